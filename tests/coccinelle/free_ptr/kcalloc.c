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

int foo_table(struct foo *f, int n)
{
	u32 *tbl;
	int i, ret;

	tbl = kcalloc(n, sizeof(*tbl), GFP_KERNEL);
	if (!tbl)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		tbl[i] = i * 2;
	ret = foo_load(f, tbl, n);
	kfree(tbl);
	return ret;
}
