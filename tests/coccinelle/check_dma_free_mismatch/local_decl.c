// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/sizes.h>

/*
 * A local pointer initialized by the allocation in its declaration is
 * paired with the frees of its function only: corge_other() frees some
 * other "buf".
 */
static int corge_selftest(struct device *dev)
{
	dma_addr_t h;
	void *buf = dma_alloc_coherent(dev, SZ_4K, &h, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	corge_run(buf);
	dma_free_coherent(dev, SZ_8K, buf, h); /* report */
	return 0;
}

static void corge_other(struct device *dev, void *buf, dma_addr_t h)
{
	dma_free_coherent(dev, SZ_2K, buf, h);
}
