// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/pci.h>

struct baz_priv {
	struct pci_dev *pdev;
	struct net_device *ndev;
	struct baz_stats *stats;
	dma_addr_t stats_dma;
};

static int baz_open(struct net_device *ndev)
{
	struct baz_priv *priv = netdev_priv(ndev);

	priv->stats = dma_alloc_coherent(&priv->pdev->dev, sizeof(*priv->stats),
					 &priv->stats_dma, GFP_KERNEL);
	if (!priv->stats)
		return -ENOMEM;
	baz_hw_set_stats_addr(priv, priv->stats_dma);
	return 0;
}

static int baz_stop(struct net_device *ndev)
{
	struct baz_priv *p = netdev_priv(ndev);

	baz_hw_set_stats_addr(p, 0);
	dma_free_coherent(&ndev->dev, sizeof(*p->stats), p->stats, p->stats_dma); /* report */
	p->stats = NULL;
	return 0;
}
