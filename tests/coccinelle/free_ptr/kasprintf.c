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

int foo_announce(struct foo *f, int id)
{
	char *msg;
	int ret;

	msg = kasprintf(GFP_KERNEL, "foo%d", id);
	if (!msg)
		return -ENOMEM;
	ret = foo_log(f, msg);
	kfree(msg);
	return ret;
}
