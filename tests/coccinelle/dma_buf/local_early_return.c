// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>

static int foo_identify(struct device *dev, void __iomem *base, u8 *id)
{
	u8 *buf;
	dma_addr_t buf_dma;

	buf = dma_alloc_coherent(dev, 64, &buf_dma, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (foo_hw_read(base, buf_dma, 64)) {
		dma_free_coherent(dev, 64, buf, buf_dma);
		return -EIO;
	}
	memcpy(id, buf, 16);
	dma_free_coherent(dev, 64, buf, buf_dma);
	return 0;
}
