// SPDX-License-Identifier: GPL-2.0
/*
 * break in safe_dma_scope() would leave only the scope and carry on with
 * the caller's loop.
 */
// expect-gcc: break in a safe scoped statement leaves only that statement
// expect-clang: break in a safe scoped statement leaves only that statement
#include <linux/safe/dma.h>

struct cf_desc {
	__le32 ctrl;
};

struct cf_priv {
	SAFE_DMA_REVOCABLE(SAFE_DMA_ARRAY(struct cf_desc, 8)) ring;
};

int cf_dma_scope_break(struct cf_priv *p);

int cf_dma_scope_break(struct cf_priv *p)
{
	__le32 v = 0;
	int i, found = -1;

	for (i = 0; i < 8; i++) {
		safe_dma_scope(ring, p->ring) {
			if (!safe_dma_get_field(ring, i, ctrl, &v) && v) {
				found = i;
#ifndef SAFE_CF_CONTROL
				break;
#endif
			}
		}
	}
	return found;
}
