// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>

static int baz_wait_ready(struct baz_dev *bdev)
{
	int tries;

	for (tries = 0; tries < 100; tries++) {
		guard(mutex)(&bdev->lock);

		if (readl(bdev->base + BAZ_STATUS) & BAZ_READY)
			break;
		if (bdev->dead)
			continue;
		usleep_range(100, 200);
	}
	return tries < 100 ? 0 : -ETIMEDOUT;
}

static void baz_set_mode(struct baz_dev *bdev, int mode)
{
	scoped_guard(mutex, &bdev->lock) {
		if (bdev->mode == mode)
			return;
		bdev->mode = mode;
	}
	baz_notify(bdev);
}
