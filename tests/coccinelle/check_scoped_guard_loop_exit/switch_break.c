// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>

static long qux_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct qux_dev *qdev = file->private_data;
	long ret = 0;

	switch (cmd) {
	case QUX_IOC_RESET:
		scoped_guard(mutex, &qdev->lock) {
			if (qdev->busy) {
				ret = -EBUSY;
				break; /* report */
			}
			qux_hw_reset(qdev);
		}
		qdev->resets++;
		break;
	default:
		ret = -ENOTTY;
	}
	return ret;
}
