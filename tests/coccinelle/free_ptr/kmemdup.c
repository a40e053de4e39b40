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

int foo_send_copy(struct foo *f, const void *src, size_t len)
{
	void *copy;
	int ret;

	copy = kmemdup(src, len, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	ret = foo_xmit(f, copy, len);
	kfree(copy);
	return ret;
}
