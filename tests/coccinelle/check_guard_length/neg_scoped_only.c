// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>

static int baz_reset(struct baz_dev *bdev)
{
	u32 val;
	int ret;

	scoped_guard(mutex, &bdev->lock) {
		if (bdev->resetting)
			return -EBUSY;
		bdev->resetting = true;
	}

	writel(BAZ_CTRL_RESET, bdev->base + BAZ_CTRL);
	ret = readl_poll_timeout(bdev->base + BAZ_STATUS, val,
				 !(val & BAZ_STATUS_RESET), 10, 1000);
	if (ret)
		dev_err(bdev->dev, "reset timed out\n");

	baz_restore_regs(bdev);
	baz_enable_irqs(bdev);

	scoped_guard(mutex, &bdev->lock) {
		bdev->resetting = false;
		bdev->resets++;
	}

	wake_up_all(&bdev->reset_wq);
	return ret;
}
