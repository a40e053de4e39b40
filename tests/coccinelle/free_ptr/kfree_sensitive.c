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

int foo_key(struct foo *f, const u8 *key, size_t len)
{
	u8 *k;
	int ret;

	k = kmemdup(key, len, GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	ret = foo_setkey(f, k, len);
	kfree_sensitive(k);
	return ret;
}
