// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>

static int foo_scrub(struct device *dev, void __iomem *base, size_t n)
{
	void *scratch;
	dma_addr_t scratch_dma;
	int ret;

	scratch = dma_alloc_coherent(dev, n, &scratch_dma, GFP_KERNEL);
	if (!scratch)
		return -ENOMEM;
	writel(lower_32_bits(scratch_dma), base + 0x40);
	ret = foo_hw_wait(base);
	writel(0, base + 0x40);
	dma_free_coherent(dev, n, scratch, scratch_dma);
	return ret;
}
