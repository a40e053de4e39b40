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

int foo_pair(struct foo *f)
{
	u8 *a, *b;
	int ret;

	a = kmalloc(32, GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	b = kmalloc(32, GFP_KERNEL);
	if (!b) {
		kfree(a);
		return -ENOMEM;
	}
	ret = foo_cmp(f, a, b);
	kfree(b);
	kfree(a);
	return ret;
}
