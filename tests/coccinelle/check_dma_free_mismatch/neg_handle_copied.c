// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>

/*
 * The shape of davinci_cpdma.c in 7.3: the handle is allocated into one
 * field and copied into another, which the free passes.  Same value: no
 * report.
 */
struct qux_pool {
	void *cpumap;
	void __iomem *iomap;
	dma_addr_t hw_addr;
	phys_addr_t phys;
	size_t mem_size;
};

static void qux_pool_destroy(struct device *dev, struct qux_pool *pool)
{
	if (pool->cpumap)
		dma_free_coherent(dev, pool->mem_size, pool->cpumap,
				  pool->phys);
}

static int qux_pool_create(struct device *dev, struct qux_pool *pool,
			   phys_addr_t on_chip, dma_addr_t on_chip_hw)
{
	if (on_chip) {
		pool->phys = on_chip;
		pool->iomap = devm_ioremap(dev, pool->phys, pool->mem_size);
		pool->hw_addr = on_chip_hw;
	} else {
		pool->cpumap = dma_alloc_coherent(dev, pool->mem_size,
						  &pool->hw_addr, GFP_KERNEL);
		pool->iomap = (void __iomem __force *)pool->cpumap;
		pool->phys = pool->hw_addr;
	}
	if (!pool->iomap) {
		qux_pool_destroy(dev, pool);
		return -ENOMEM;
	}
	return 0;
}
