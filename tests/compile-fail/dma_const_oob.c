// SPDX-License-Identifier: GPL-2.0
/*
 * A constant index past the end of a SAFE_DMA_ARRAY(): the ring has 16
 * descriptors, element 16 is the first byte after it.
 */
// expect-gcc: safe_dma: constant index out of the bounds of SAFE_DMA_ARRAY
// expect-clang: safe_dma: constant index out of the bounds of SAFE_DMA_ARRAY
#include <linux/safe/dma.h>

struct cf_desc {
	__le32 ctrl;
	__le32 len;
	__le64 addr;
};

struct cf_priv {
	SAFE_DMA_ARRAY(struct cf_desc, 16) ring;
};

int cf_dma_const_oob(struct cf_priv *p);

int cf_dma_const_oob(struct cf_priv *p)
{
	__le32 len = 0;
	int ret;

	/* The last element is fine. */
	ret = safe_dma_get_field(p->ring, 15, len, &len);
	if (ret)
		return ret;
#ifndef SAFE_CF_CONTROL
	ret = safe_dma_set_field(p->ring, 16, ctrl, cpu_to_le32(1));
#endif
	return ret ?: le32_to_cpu(len);
}
