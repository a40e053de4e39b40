// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>

static int foo_calibrate(struct device *dev, void __iomem *base)
{
	s16 *tbl;
	dma_addr_t tbl_dma;
	int ret;

	tbl = dma_alloc_coherent(dev, 256, &tbl_dma, GFP_KERNEL);
	if (!tbl) {
		dev_err(dev, "no memory for the table\n");
		return -ENOMEM;
	}
	ret = foo_hw_measure(base, tbl_dma);
	if (ret) {
		dma_free_coherent(dev, 256, tbl, tbl_dma);
		return ret;
	}
	foo_apply(dev, tbl);
	dma_free_coherent(dev, 256, tbl, tbl_dma);
	return 0;
}
