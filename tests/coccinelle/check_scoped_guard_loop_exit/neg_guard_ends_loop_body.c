// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>

/*
 * The shape of sound/core/seq/seq_timer.c and mixer_oss.c in 7.3: the
 * guard ends the loop body, so leaving it ends this iteration, as the
 * "goto unlock" it replaced did.
 */
static void seq_info_timers(struct seq_queues *qs, struct buf *buffer)
{
	int idx;

	for (idx = 0; idx < SEQ_MAX_QUEUES; idx++) {
		struct seq_queue *q = qs->q[idx];

		if (!q)
			continue;
		scoped_guard(mutex, &q->timer_mutex) {
			if (!q->timer)
				break;
			buf_printf(buffer, "Timer for queue %i\n", q->queue);
		}
	}
}
