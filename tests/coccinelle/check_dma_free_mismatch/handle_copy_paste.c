// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/pci.h>

struct foo_priv {
	struct pci_dev *pdev;
	struct foo_desc *tx_ring;
	dma_addr_t tx_dma;
	struct foo_desc *rx_ring;
	dma_addr_t rx_dma;
};

static int foo_alloc_rings(struct foo_priv *priv)
{
	struct device *dev = &priv->pdev->dev;

	priv->tx_ring = dma_alloc_coherent(dev, FOO_TX_BYTES, &priv->tx_dma, GFP_KERNEL);
	if (!priv->tx_ring)
		return -ENOMEM;
	priv->rx_ring = dma_alloc_coherent(dev, FOO_RX_BYTES, &priv->rx_dma, GFP_KERNEL);
	if (!priv->rx_ring) {
		dma_free_coherent(dev, FOO_TX_BYTES, priv->tx_ring, priv->tx_dma);
		return -ENOMEM;
	}
	return 0;
}

static void foo_free_rings(struct foo_priv *priv)
{
	struct device *dev = &priv->pdev->dev;

	dma_free_coherent(dev, FOO_RX_BYTES, priv->rx_ring, priv->tx_dma); /* report */
	dma_free_coherent(dev, FOO_TX_BYTES, priv->tx_ring, priv->tx_dma);
}
