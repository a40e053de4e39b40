// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/list.h>

struct foo {
	struct list_head node;
	char *name;
	void *data;
	size_t len;
};

int foo_batch(struct foo *f, int n)
{
	u64 *v;
	int ret;

	v = kmalloc_array(n, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	ret = foo_collect(f, v, n);
	if (ret) {
		kfree(v);
		return ret;
	}
	foo_report(v, n);
	kfree(v);
	return 0;
}
