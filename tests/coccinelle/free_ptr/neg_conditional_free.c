// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>
#include <linux/list.h>

struct foo {
	struct list_head node;
	struct list_head items;
	void *data;
	int n;
};

int foo_maybe_keep(struct foo *p, bool keep)
{
	void *buf;

	buf = kmalloc(64, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	foo_use(buf);
	if (!keep)
		kfree(buf);
	else
		p->data = buf;
	return 0;
}
