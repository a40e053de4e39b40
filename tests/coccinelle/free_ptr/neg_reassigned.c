// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>
#include <linux/list.h>

struct foo {
	struct list_head node;
	struct list_head items;
	void *data;
	int n;
};

int foo_grow(struct foo *p, size_t n)
{
	void *buf;

	buf = kmalloc(n, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	foo_use(buf);
	kfree(buf);
	buf = kmalloc(2 * n, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	foo_use(buf);
	kfree(buf);
	return 0;
}
