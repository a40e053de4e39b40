// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>

static int quux_selftest(struct quux *q)
{
	dma_addr_t src_dma, dst_dma;
	void *src, *dst;
	int ret;

	src = dma_alloc_coherent(q->dev, SZ_4K, &src_dma, GFP_KERNEL);
	if (!src)
		return -ENOMEM;
	dst = dma_alloc_coherent(q->dev, SZ_4K, &dst_dma, GFP_KERNEL);
	if (!dst) {
		ret = -ENOMEM;
		goto free_src;
	}
	memset(src, 0xa5, SZ_4K);
	ret = quux_copy(q, dst_dma, src_dma, SZ_4K);
	if (!ret && memcmp(src, dst, SZ_4K))
		ret = -EIO;
	dma_free_coherent(q->dev, SZ_4K, dst, src_dma); /* report */
free_src:
	dma_free_coherent(q->dev, SZ_8K, src, src_dma); /* report */
	return ret;
}
