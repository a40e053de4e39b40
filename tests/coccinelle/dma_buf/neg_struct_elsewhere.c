// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include "foo.h"

static int foo_init(struct foo_hw *p)
{
	p->ring = dma_alloc_coherent(p->dev, 4096, &p->ring_dma, GFP_KERNEL);
	if (!p->ring)
		return -ENOMEM;
	writel(lower_32_bits(p->ring_dma), p->base + 0x10);
	return 0;
}

static void foo_exit(struct foo_hw *p)
{
	dma_free_coherent(p->dev, 4096, p->ring, p->ring_dma);
}
