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

int foo_probe_id(struct foo *f)
{
	u8 *id;
	int ret;

	id = kzalloc(16, GFP_KERNEL);
	if (!id)
		return -ENOMEM;
	ret = foo_read(f, id, 16);
	if (ret)
		goto out_free;
	ret = foo_check_id(id);
out_free:
	kfree(id);
	return ret;
}
