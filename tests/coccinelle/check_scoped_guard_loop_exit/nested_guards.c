// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

static void quux_flush_queues(struct quux *q)
{
	int i;

	for (i = 0; i < q->nr_queues; i++) {
		struct quux_queue *qu = &q->queues[i];

		scoped_guard(mutex, &q->cfg_lock) {
			if (!qu->enabled)
				continue; /* the guard ends the loop body: as a continue */
			scoped_guard(spinlock_bh, &qu->lock) {
				if (qu->stopped)
					break; /* report */
				qu->head = qu->tail;
			}
			qu->flushes++;
		}
	}
}

static int quux_find_idle(struct quux *q)
{
	int i, busy = 0;

	for (i = 0; i < q->nr_queues; i++)
		scoped_cond_guard(mutex_try, busy++, &q->queues[i].lock) {
			if (q->queues[i].idle)
				break; /* report */
		}
	return busy ? -EBUSY : i;
}
