// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/file.h>

static long baz_attach_fd(struct baz_ctx *ctx, int fd)
{
	long ret = -EBADF;

	if (fd < 0)
		goto out; /* report */
	if (ctx->attached)
		goto out; /* report */

	CLASS(fd, f)(fd);
	if (fd_empty(f))
		goto out;
	ret = baz_attach_file(ctx, fd_file(f));
out:
	return ret;
}
