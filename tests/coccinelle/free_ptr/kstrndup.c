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

int foo_match(struct foo *f, const char *s, size_t n)
{
	char *t;
	bool m;

	t = kstrndup(s, n, GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	m = foo_name_is(f, t);
	kfree(t);
	return m;
}
