// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>

struct foo_priv {
	struct device *dev;
	void __iomem *base;
	void *ring;
	dma_addr_t ring_dma;
	void *keep;
};

static void *foo_get_buf(struct device *dev, dma_addr_t *out)
{
	void *cpu;
	dma_addr_t h;

	cpu = dma_alloc_coherent(dev, 512, &h, GFP_KERNEL);
	if (!cpu)
		return NULL;
	*out = h;
	return cpu;
}
