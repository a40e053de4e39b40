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

int foo_each(struct foo *f, int n)
{
	int i, ret = 0;

	for (i = 0; i < n; i++) {
		char *line;

		line = kasprintf(GFP_KERNEL, "item %d", i);
		if (!line)
			return -ENOMEM;
		ret = foo_emit(f, line);
		kfree(line);
		if (ret)
			break;
	}
	return ret;
}
