// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>

static int foo_probe_banks(struct device *dev, void __iomem *base, int nbanks)
{
	int i, ret = 0;

	for (i = 0; i < nbanks; i++) {
		u32 *st;
		dma_addr_t st_dma;

		st = dma_alloc_coherent(dev, 16, &st_dma, GFP_KERNEL);
		if (!st)
			return -ENOMEM;
		foo_hw_status(base, i, st_dma);
		ret = st[0] ? -EIO : 0;
		dma_free_coherent(dev, 16, st, st_dma);
		if (ret)
			break;
	}
	return ret;
}
