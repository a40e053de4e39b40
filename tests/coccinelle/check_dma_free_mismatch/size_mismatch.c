// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/platform_device.h>

#define BAR_CMDQ_ENTRIES	256
#define BAR_CMDQ_BYTES		(BAR_CMDQ_ENTRIES * sizeof(struct bar_cmd))

struct bar_dev {
	struct device *dev;
	struct bar_cmd *cmdq;
	dma_addr_t cmdq_dma;
	void *evq;
	dma_addr_t evq_dma;
	size_t evq_size;
	size_t cmdq_size;
};

static int bar_init_queues(struct bar_dev *bdev)
{
	bdev->cmdq = dma_alloc_coherent(bdev->dev, BAR_CMDQ_BYTES, &bdev->cmdq_dma, GFP_KERNEL);
	if (!bdev->cmdq)
		return -ENOMEM;
	bdev->evq = dma_alloc_coherent(bdev->dev, bdev->evq_size, &bdev->evq_dma, GFP_KERNEL);
	if (!bdev->evq) {
		dma_free_coherent(bdev->dev, BAR_CMDQ_ENTRIES, bdev->cmdq, bdev->cmdq_dma); /* report */
		return -ENOMEM;
	}
	return 0;
}

static void bar_remove(struct platform_device *pdev)
{
	struct bar_dev *bdev = platform_get_drvdata(pdev);

	dma_free_coherent(bdev->dev, bdev->cmdq_size, bdev->evq, bdev->evq_dma); /* report */
	dma_free_coherent(bdev->dev, BAR_CMDQ_BYTES, bdev->cmdq, bdev->cmdq_dma);
}
