// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>

static ssize_t bar_rate_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	struct bar_dev *bdev = dev_get_drvdata(dev);
	unsigned int rate;
	int ret;

	ret = kstrtouint(buf, 0, &rate);
	if (ret)
		return ret;
	if (!rate || rate > BAR_RATE_MAX)
		return -EINVAL;

	guard(mutex)(&bdev->lock);
	if (bdev->rate == rate)
		return count;
	ret = bar_hw_set_rate(bdev, rate);
	if (ret)
		return ret;
	bdev->rate = rate;
	bdev->rate_changes++;
	dev_dbg(dev, "rate %u\n", rate);
	return count;
}
