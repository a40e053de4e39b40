// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/spinlock.h>

static void bar_handle_events(struct bar_dev *bdev, u32 *ev, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		scoped_guard(spinlock_irqsave, &bdev->lock) {
			switch (ev[i] & BAR_EV_MASK) {
			case BAR_EV_LINK:
				bdev->link = !!(ev[i] & BAR_EV_UP);
				break;
			case BAR_EV_ERR:
				bdev->errors++;
				break;
			default:
				break;
			}
		}
		if (ev[i] & BAR_EV_LAST)
			break;
	}
}
