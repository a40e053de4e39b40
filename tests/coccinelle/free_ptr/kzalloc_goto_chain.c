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

int foo_query(struct foo *f)
{
	u8 *req;
	int ret;

	req = kzalloc(8, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	ret = foo_prepare(f, req);
	if (ret)
		goto err;
	ret = foo_submit(f, req);
	if (ret)
		goto err;
	kfree(req);
	return 0;
err:
	kfree(req);
	return ret;
}
