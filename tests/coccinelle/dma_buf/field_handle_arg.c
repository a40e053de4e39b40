// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>

struct foo_priv {
	struct device *dev;
	void __iomem *base;
	void *ring;
	dma_addr_t ring_dma;
	int irq;
};

static int foo_start(struct foo_priv *p)
{
	p->ring = dma_alloc_coherent(p->dev, 8192, &p->ring_dma, GFP_KERNEL);
	if (!p->ring)
		return -ENOMEM;
	return foo_hw_set_ring(p->base, p->ring_dma, 8192);
}

static void foo_stop(struct foo_priv *p)
{
	foo_hw_set_ring(p->base, 0, 0);
	dma_free_coherent(p->dev, 8192, p->ring, p->ring_dma);
}
