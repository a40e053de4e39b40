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

int foo_big(struct foo *f, size_t n)
{
	void *big;
	int ret;

	big = kvmalloc(n, GFP_KERNEL);
	if (!big)
		return -ENOMEM;
	ret = foo_fill(f, big, n);
	kvfree(big);
	return ret;
}
