// SPDX-License-Identifier: GPL-2.0
#include <linux/slab.h>

struct baz_ctx {
	char *buf;
	size_t len;
};

static int baz_fill(struct baz_ctx *ctx, size_t len)
{
	char *buf;
	int ret;

	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = baz_read(ctx, buf, len);
	if (ret) {
		kfree(buf);
		return ret;
	}
	ctx->buf = buf;
	ctx->len = len;
	return 0;
}
