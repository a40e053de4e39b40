// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>
#include <linux/list.h>

struct foo {
	struct list_head node;
	struct list_head items;
	void *data;
	int n;
};

int foo_add(struct foo *parent)
{
	struct foo *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	if (parent->n > 10) {
		kfree(f);
		return -ENOSPC;
	}
	list_add(&f->node, &parent->items);
	return 0;
}
