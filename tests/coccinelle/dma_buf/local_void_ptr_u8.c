// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>

static int foo_echo(struct device *dev, void __iomem *base, const u8 *in, u8 *out, size_t n)
{
	u8 *b;
	dma_addr_t bd;
	int ret;

	b = dma_alloc_coherent(dev, n, &bd, GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	memcpy(b, in, n);
	ret = foo_hw_loop(base, bd, n);
	if (!ret)
		memcpy(out, b, n);
	dma_free_coherent(dev, n, b, bd);
	return ret;
}
