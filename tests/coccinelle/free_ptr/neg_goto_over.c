// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>
#include <linux/list.h>

struct foo {
	struct list_head node;
	struct list_head items;
	void *data;
	int n;
};

int foo_jump(struct foo *p)
{
	void *buf;
	int ret;

	if (p->n < 0) {
		ret = -EINVAL;
		goto out;
	}
	buf = kmalloc(64, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = foo_use(buf);
	kfree(buf);
out:
	foo_log(p, ret);
	return ret;
}
