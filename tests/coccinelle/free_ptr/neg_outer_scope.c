// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>
#include <linux/list.h>

struct foo {
	struct list_head node;
	struct list_head items;
	void *data;
	int n;
};

int foo_scope(struct foo *p, bool big)
{
	void *buf = NULL;

	if (big) {
		buf = kmalloc(4096, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}
	foo_use(buf);
	kfree(buf);
	return 0;
}
