// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/interrupt.h>
#include <linux/spinlock.h>

static irqreturn_t bar_irq(int irq, void *data)
{
	struct bar_dev *bdev = data;
	u32 status, handled = 0;

	guard(spinlock)(&bdev->lock); /* report */

	status = readl(bdev->base + BAR_ISR);
	if (!status)
		return IRQ_NONE;

	if (status & BAR_ISR_RX) {
		bar_handle_rx(bdev);
		handled |= BAR_ISR_RX;
		bdev->stats.rx_irqs++;
	}
	if (status & BAR_ISR_TX) {
		bar_handle_tx(bdev);
		handled |= BAR_ISR_TX;
		bdev->stats.tx_irqs++;
	}
	if (status & BAR_ISR_ERR) {
		bar_handle_err(bdev);
		handled |= BAR_ISR_ERR;
		bdev->stats.err_irqs++;
	}
	if (status & BAR_ISR_LINK) {
		bar_handle_link(bdev);
		handled |= BAR_ISR_LINK;
		bdev->stats.link_irqs++;
	}
	if (status & BAR_ISR_DMA) {
		bar_handle_dma(bdev);
		handled |= BAR_ISR_DMA;
		bdev->stats.dma_irqs++;
	}
	if (status & BAR_ISR_WDT) {
		bar_handle_wdt(bdev);
		handled |= BAR_ISR_WDT;
		bdev->stats.wdt_irqs++;
	}

	writel(handled, bdev->base + BAR_ISR);
	return IRQ_HANDLED;
}
