// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/spinlock.h>

/*
 * spatch 1.1.1 cannot match do-while in a pattern: the checker finds this
 * loop by control flow.
 */
static void quux_drain(struct quux *q)
{
	u32 val;

	do {
		scoped_guard(spinlock, &q->lock) {
			val = readl(q->base + QUUX_FIFO);
			if (val & QUUX_FIFO_ERR)
				break; /* report */
			q->bytes += val & 0xff;
		}
		q->reads++;
	} while (!(val & QUUX_FIFO_EMPTY));
}
