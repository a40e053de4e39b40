// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>

struct foo_priv {
	struct device *dev;
	void __iomem *base;
	void *ring;
	dma_addr_t ring_dma;
	void *keep;
};

static int foo_cond(struct device *dev, void __iomem *base, bool keep)
{
	void *cpu;
	dma_addr_t h;

	cpu = dma_alloc_coherent(dev, 512, &h, GFP_KERNEL);
	if (!cpu)
		return -ENOMEM;
	foo_hw_go(base, h);
	if (!keep)
		dma_free_coherent(dev, 512, cpu, h);
	return 0;
}
