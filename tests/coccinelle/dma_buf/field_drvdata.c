// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/platform_device.h>
#include <linux/io.h>

struct foo_priv {
	void __iomem *base;
	u32 *status;
	dma_addr_t status_dma;
};

static int foo_probe(struct platform_device *pdev)
{
	struct foo_priv *p;

	p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->status = dma_alloc_coherent(&pdev->dev, 64, &p->status_dma,
				       GFP_KERNEL);
	if (!p->status)
		return -ENOMEM;
	writel(lower_32_bits(p->status_dma), p->base + 0x8);
	platform_set_drvdata(pdev, p);
	return 0;
}

static void foo_remove(struct platform_device *pdev)
{
	struct foo_priv *p = platform_get_drvdata(pdev);

	writel(0, p->base + 0x8);
	dma_free_coherent(&pdev->dev, 64, p->status, p->status_dma);
}
