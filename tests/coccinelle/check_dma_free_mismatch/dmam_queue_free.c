// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>

/* The shape of mtk_wed_wo.c in 7.3: a devres ring freed by hand. */
struct wo_queue {
	struct wo_desc *desc;
	dma_addr_t desc_dma;
	int n_desc;
};

static int wo_queue_alloc(struct device *dev, struct wo_queue *q, int n_desc)
{
	q->n_desc = n_desc;
	q->desc = dmam_alloc_coherent(dev, n_desc * sizeof(*q->desc),
				      &q->desc_dma, GFP_KERNEL);
	if (!q->desc)
		return -ENOMEM;
	return 0;
}

static void wo_queue_free(struct device *dev, struct wo_queue *q)
{
	dma_free_coherent(dev, q->n_desc * sizeof(*q->desc), q->desc, /* report */
			  q->desc_dma);
}
