// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>

struct baz_ring {
	struct baz_desc *desc;
	dma_addr_t dma;
	unsigned int size;
};

struct baz_cq {
	struct baz_cqe *desc;
	dma_addr_t dma;
};

static int baz_ring_alloc(struct device *dev, struct baz_ring *ring)
{
	ring->desc = dma_alloc_coherent(dev, ring->size, &ring->dma, GFP_KERNEL);
	return ring->desc ? 0 : -ENOMEM;
}

static int baz_cq_alloc(struct device *dev, struct baz_cq *cq)
{
	cq->desc = dmam_alloc_coherent(dev, BAZ_CQ_BYTES, &cq->dma, GFP_KERNEL);
	return cq->desc ? 0 : -ENOMEM;
}

static void baz_ring_free(struct device *dev, struct baz_ring *r)
{
	dma_free_coherent(dev, r->size, r->desc, r->dma);
	r->desc = NULL;
}
