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

static int foo_addr(struct device *dev, void __iomem *base)
{
	void *cpu;
	dma_addr_t h;
	int ret;

	cpu = dma_alloc_coherent(dev, 512, &h, GFP_KERNEL);
	if (!cpu)
		return -ENOMEM;
	ret = foo_hw_map(base, &h);
	dma_free_coherent(dev, 512, cpu, h);
	return ret;
}
