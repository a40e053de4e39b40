// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>

static int bar_write_reg(struct bar_dev *bdev, u32 reg, u32 val)
{
	int ret;

	guard(mutex)(&bdev->io_lock);
retry:
	ret = bar_wait_idle(bdev);
	if (ret == -EAGAIN)
		goto retry;
	if (ret)
		goto out;
	writel(val, bdev->base + reg);
out:
	bdev->last_ret = ret;
	return ret;
}
