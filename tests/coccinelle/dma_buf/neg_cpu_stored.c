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

static int foo_store(struct foo_priv *p)
{
	void *cpu;
	dma_addr_t h;

	cpu = dma_alloc_coherent(p->dev, 512, &h, GFP_KERNEL);
	if (!cpu)
		return -ENOMEM;
	if (foo_hw_go(p->base, h)) {
		dma_free_coherent(p->dev, 512, cpu, h);
		return -EIO;
	}
	p->keep = cpu;
	return 0;
}
