// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>
#include <linux/list.h>

struct foo {
	struct list_head node;
	struct list_head items;
	void *data;
	int n;
};

int foo_switch(struct foo *p, int op)
{
	void *buf;

	switch (op) {
	case 1:
		buf = kmalloc(64, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		foo_use(buf);
		kfree(buf);
		break;
	default:
		break;
	}
	return 0;
}
