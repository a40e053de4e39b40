// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>

static ssize_t baz_mode_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	struct baz_dev *bdev = dev_get_drvdata(dev);
	unsigned int mode;
	int ret;

	ret = kstrtouint(buf, 0, &mode);
	if (ret)
		return ret;
	if (mode >= BAZ_MODE_MAX)
		return -EINVAL;

	guard(mutex)(&bdev->lock); /* report: default netdev */
	if (bdev->mode == mode)
		return count;
	ret = baz_hw_set_mode(bdev, mode);
	if (ret)
		return ret;
	bdev->mode = mode;
	bdev->mode_changes++;
	dev_dbg(dev, "mode %u\n", mode);
	sysfs_notify(&dev->kobj, NULL, "mode");
	return count;
}
