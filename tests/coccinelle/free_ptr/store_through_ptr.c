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

int foo_get_data(struct foo *f, void **out)
{
	void *d;

	d = kzalloc(f->len, GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	if (foo_read(f, d, f->len)) {
		kfree(d);
		return -EIO;
	}
	*out = d;
	return 0;
}
