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

int foo_tmp(struct foo *f)
{
	char *tmp = kmalloc(64, GFP_KERNEL);
	int ret;

	if (!tmp)
		return -ENOMEM;
	ret = foo_fmt(f, tmp, 64);
	kfree(tmp);
	return ret;
}
