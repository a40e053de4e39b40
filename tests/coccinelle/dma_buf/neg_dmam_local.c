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

static int foo_scratch(struct device *dev, void __iomem *base)
{
	void *cpu;
	dma_addr_t h;

	cpu = dmam_alloc_coherent(dev, 512, &h, GFP_KERNEL);
	if (!cpu)
		return -ENOMEM;
	return foo_hw_go(base, h);
}
