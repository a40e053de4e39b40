// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>
#include <linux/list.h>

struct foo {
	struct list_head node;
	struct list_head items;
	void *data;
	int n;
};

int foo_alloc_out(struct foo *p)
{
	void *buf;

	buf = kmalloc(64, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (foo_swap(&buf)) {
		kfree(buf);
		return -EIO;
	}
	kfree(buf);
	return 0;
}
