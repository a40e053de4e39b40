// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/spinlock.h>

static irqreturn_t qux_irq(int irq, void *data)
{
	struct qux_dev *qdev = data;
	u32 status = readl(qdev->base + QUX_ISR);

	if (!status)
		return IRQ_NONE;
	if (status & QUX_ISR_FATAL)
		goto ack; /* report */

	guard(spinlock)(&qdev->lock);
	if (status & QUX_ISR_RX) {
		qux_rx(qdev);
		if (status & QUX_ISR_TX) {
ack:
			writel(status, qdev->base + QUX_ISR);
		}
	}
	return IRQ_HANDLED;
}
