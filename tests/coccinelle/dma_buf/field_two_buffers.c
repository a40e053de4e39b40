// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>

struct foo_priv {
	struct device *dev;
	void __iomem *base;
	void *tx;
	dma_addr_t tx_dma;
	void *rx;
	dma_addr_t rx_dma;
};

static int foo_rings(struct foo_priv *p)
{
	p->tx = dma_alloc_coherent(p->dev, 2048, &p->tx_dma, GFP_KERNEL);
	if (!p->tx)
		return -ENOMEM;
	p->rx = dma_alloc_coherent(p->dev, 2048, &p->rx_dma, GFP_KERNEL);
	if (!p->rx) {
		dma_free_coherent(p->dev, 2048, p->tx, p->tx_dma);
		return -ENOMEM;
	}
	writel(lower_32_bits(p->tx_dma), p->base + 0x20);
	writel(lower_32_bits(p->rx_dma), p->base + 0x24);
	return 0;
}

static void foo_rings_free(struct foo_priv *p)
{
	dma_free_coherent(p->dev, 2048, p->rx, p->rx_dma);
	dma_free_coherent(p->dev, 2048, p->tx, p->tx_dma);
}
