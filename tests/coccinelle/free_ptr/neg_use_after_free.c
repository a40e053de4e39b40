// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>
#include <linux/list.h>

struct foo {
	struct list_head node;
	struct list_head items;
	void *data;
	int n;
};

int foo_uaf(struct foo *p)
{
	void *buf;

	buf = kmalloc(64, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	foo_use(buf);
	kfree(buf);
	if (p->data == buf)
		p->data = NULL;
	return 0;
}
