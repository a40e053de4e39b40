// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

static int qux_start(struct qux_dev *qdev)
{
	int ret, i;

	guard(mutex)(&qdev->state_lock); /* report: default netdev */
	if (qdev->running)
		return 0;

	ret = qux_alloc_rings(qdev);
	if (ret)
		return ret;

	for (i = 0; i < qdev->nr_rings; i++) {
		struct qux_ring *ring = &qdev->rings[i];

		guard(spinlock_irq)(&ring->lock); /* report: default netdev */
		ring->head = 0;
		ring->tail = 0;
		writel(ring->dma, qdev->base + QUX_RING_BASE(i));
	}

	ret = qux_hw_enable(qdev);
	if (ret) {
		qux_free_rings(qdev);
		return ret;
	}
	qdev->running = true;
	return 0;
}
