// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

/*
 * No loop around the guards: the outer scoped_guard() is a loop to
 * spatch's control flow, and a goto back to a label makes one, but
 * neither is a loop the break could have been meant for.
 */
static void qux_sync(struct qux *q)
{
	scoped_guard(mutex, &q->cfg_lock) {
		scoped_guard(spinlock, &q->lock) {
			if (q->stopped)
				break;
			q->head = q->tail;
		}
		q->syncs++;
	}
}

static int qux_retry(struct qux *q)
{
	int tries = 0;

retry:
	scoped_guard(spinlock, &q->lock) {
		if (q->busy)
			break;
		q->owner = current;
	}
	if (q->owner != current && ++tries < 3)
		goto retry;
	return q->owner == current ? 0 : -EBUSY;
}
