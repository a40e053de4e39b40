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

int foo_set_name(struct foo *f, const char *name)
{
	char *n;

	n = kstrdup(name, GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	if (foo_name_taken(n)) {
		kfree(n);
		return -EEXIST;
	}
	f->name = n;
	return 0;
}
