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

static int foo_ring_init(struct foo_priv *p)
{
	p->ring = dmam_alloc_coherent(p->dev, 4096, &p->ring_dma, GFP_KERNEL);
	if (!p->ring)
		return -ENOMEM;
	writel(lower_32_bits(p->ring_dma), p->base + 0x10);
	return 0;
}
