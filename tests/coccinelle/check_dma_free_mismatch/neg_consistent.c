// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/pci.h>

struct foo_priv {
	struct pci_dev *pdev;
	struct device *dev;
	struct foo_desc *ring;
	dma_addr_t ring_dma;
	void *scratch;
	dma_addr_t scratch_dma;
};

static int foo_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct foo_priv *priv;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->pdev = pdev;
	priv->dev = &pdev->dev;
	priv->ring = dma_alloc_coherent(&pdev->dev, FOO_RING_BYTES, &priv->ring_dma, GFP_KERNEL);
	if (!priv->ring)
		return -ENOMEM;
	priv->scratch = dma_alloc_coherent(&pdev->dev, PAGE_SIZE, &priv->scratch_dma, GFP_KERNEL);
	if (!priv->scratch) {
		dma_free_coherent(&pdev->dev, FOO_RING_BYTES, priv->ring, priv->ring_dma);
		return -ENOMEM;
	}
	pci_set_drvdata(pdev, priv);
	return 0;
}

static void foo_remove(struct pci_dev *pdev)
{
	struct foo_priv *p = pci_get_drvdata(pdev);

	dma_free_coherent(&p->pdev->dev, PAGE_SIZE, p->scratch, p->scratch_dma);
	dma_free_coherent(p->dev, FOO_RING_BYTES, (void *)p->ring, p->ring_dma);
}
