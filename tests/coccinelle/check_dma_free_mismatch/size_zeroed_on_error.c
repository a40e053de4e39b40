// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>

/*
 * The shape of tegra-se-hash.c in 7.3: an error path frees with the
 * length of the data held, which is 0, not the size allocated.
 */
struct sha_buf {
	void *buf;
	dma_addr_t addr;
	unsigned int size;
};

struct sha_reqctx {
	struct sha_buf residue;
	struct sha_buf result;
	unsigned int blk_size;
};

static int sha_init(struct device *dev, struct sha_reqctx *rctx)
{
	rctx->residue.size = 0;
	rctx->residue.buf = dma_alloc_coherent(dev, rctx->blk_size,
					       &rctx->residue.addr, GFP_KERNEL);
	if (!rctx->residue.buf)
		return -ENOMEM;
	rctx->result.size = 64;
	rctx->result.buf = dma_alloc_coherent(dev, rctx->result.size,
					      &rctx->result.addr, GFP_KERNEL);
	if (!rctx->result.buf)
		goto free_residue;
	return 0;

free_residue:
	dma_free_coherent(dev, rctx->residue.size, rctx->residue.buf, /* report */
			  rctx->residue.addr);
	return -ENOMEM;
}
