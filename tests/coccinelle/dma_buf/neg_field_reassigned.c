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

static int foo_resize(struct foo_priv *p, size_t n)
{
	dma_free_coherent(p->dev, 4096, p->ring, p->ring_dma);
	p->ring = dma_alloc_coherent(p->dev, n, &p->ring_dma, GFP_KERNEL);
	if (!p->ring)
		return -ENOMEM;
	memcpy(p->ring, p->keep, n);
	writel(lower_32_bits(p->ring_dma), p->base + 0x10);
	p->keep = p->ring;
	return 0;
}
