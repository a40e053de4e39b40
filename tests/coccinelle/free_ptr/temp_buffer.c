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

int foo_checksum(struct foo *f, size_t n)
{
	u8 *buf;
	int ret;

	buf = kmalloc(n, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = foo_read(f, buf, n);
	if (ret < 0) {
		kfree(buf);
		return ret;
	}
	ret = foo_sum(buf, n);
	kfree(buf);
	return ret;
}
