// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>

struct foo_desc {
	__le64 addr;
	__le32 len;
	__le32 flags;
};

struct foo_priv {
	struct device *dev;
	void __iomem *base;
	struct foo_desc *desc;
	dma_addr_t desc_dma;
};

static int foo_desc_init(struct foo_priv *p, int n)
{
	p->desc = dma_alloc_coherent(p->dev, n * sizeof(*p->desc), &p->desc_dma,
				     GFP_KERNEL);
	if (!p->desc)
		return -ENOMEM;
	writeq(p->desc_dma, p->base + 0x30);
	return 0;
}

static void foo_desc_exit(struct foo_priv *p, int n)
{
	dma_free_coherent(p->dev, n * sizeof(*p->desc), p->desc, p->desc_dma);
}
