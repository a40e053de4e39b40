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

static int foo_maybe(struct device *dev, void __iomem *base, bool big)
{
	void *cpu = NULL;
	dma_addr_t h = 0;

	if (big) {
		cpu = dma_alloc_coherent(dev, 4096, &h, GFP_KERNEL);
		if (!cpu)
			return -ENOMEM;
	}
	foo_hw_go(base, h);
	if (cpu)
		dma_free_coherent(dev, 4096, cpu, h);
	return 0;
}
