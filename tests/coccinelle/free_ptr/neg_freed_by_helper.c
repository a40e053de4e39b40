// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>
#include <linux/list.h>

struct foo {
	struct list_head node;
	struct list_head items;
	void *data;
	int n;
};

static void foo_release(void *buf)
{
	kfree(buf);
}

int foo_helper(struct foo *p)
{
	void *buf;

	buf = kmalloc(64, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	foo_use(buf);
	foo_release(buf);
	return 0;
}
