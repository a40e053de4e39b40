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

struct foo *foo_create(const char *name)
{
	struct foo *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return NULL;
	if (foo_setup(name)) {
		kfree(f);
		return NULL;
	}
	f->len = 1;
	return f;
}
