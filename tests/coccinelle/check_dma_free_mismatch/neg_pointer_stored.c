// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/sizes.h>

/*
 * The ring is either a coherent buffer or part of another one: a pointer
 * assigned anything but NULL or an allocation is not compared.
 */
struct grault {
	struct device *dev;
	void *ring;
	dma_addr_t ring_dma;
	void *mem;
};

static int grault_init(struct grault *g, bool shared)
{
	if (shared) {
		g->ring = g->mem + 64;
		return 0;
	}
	g->ring = dma_alloc_coherent(g->dev, SZ_4K, &g->ring_dma, GFP_KERNEL);
	return g->ring ? 0 : -ENOMEM;
}

static void grault_exit(struct grault *g)
{
	dma_free_coherent(g->dev, SZ_8K, g->ring, g->ring_dma);
	g->ring = NULL;
}
