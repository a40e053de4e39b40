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

static int foo_probe(struct foo_priv *p)
{
	int ret;

	p->ring = dma_alloc_coherent(p->dev, 4096, &p->ring_dma, GFP_KERNEL);
	if (!p->ring)
		return -ENOMEM;
	writel(lower_32_bits(p->ring_dma), p->base + 0x10);
	ret = foo_request_irq(p);
	if (ret)
		goto err_ring;
	return 0;

err_ring:
	dma_free_coherent(p->dev, 4096, p->ring, p->ring_dma);
	return ret;
}

static void foo_remove(struct foo_priv *p)
{
	foo_free_irq(p);
	dma_free_coherent(p->dev, 4096, p->ring, p->ring_dma);
}
