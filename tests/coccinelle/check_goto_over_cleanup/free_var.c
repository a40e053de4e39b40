// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/slab.h>

static int bar_load_table(struct bar_dev *bdev, const void *src, size_t len)
{
	int ret;

	if (!len || len > BAR_TABLE_MAX) {
		ret = -EINVAL;
		goto err; /* report */
	}

	void *buf __free(kfree) = kmemdup(src, len, GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto err;
	}
	ret = bar_write_table(bdev, buf, len);
	if (ret)
		goto err;
	return 0;

err:
	dev_err(bdev->dev, "cannot load table: %d\n", ret);
	return ret;
}
