// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>

struct bar_dev {
	struct device *dev;
	void *buf;
	dma_addr_t buf_dma;
	size_t buf_size;
};

static int bar_resize(struct bar_dev *bdev, unsigned int entries)
{
	size_t size = entries * sizeof(struct bar_entry);
	struct device *dev = bdev->dev;

	bdev->buf = dma_alloc_coherent(dev, size, &bdev->buf_dma, GFP_KERNEL);
	if (!bdev->buf)
		return -ENOMEM;
	bdev->buf_size = size;
	return 0;
}

static void bar_release(struct bar_dev *bdev)
{
	dma_addr_t dma = bdev->buf_dma;

	bar_hw_detach(bdev, dma);
	dma_free_coherent(bdev->dev, bdev->buf_size, bdev->buf, dma);
}
