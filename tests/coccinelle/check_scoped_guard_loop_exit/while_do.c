// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/spinlock.h>

static int baz_poll_rx(struct baz_port *port, int budget)
{
	int work = 0;

	while (work < budget) {
		u32 stat;

		scoped_guard(spinlock, &port->lock) {
			stat = readl(port->base + BAZ_RX_STAT);
			if (!(stat & BAZ_RX_READY))
				break; /* report */
			writel(BAZ_RX_ACK, port->base + BAZ_RX_STAT);
		}
		baz_rx_one(port, stat);
		work++;
	}
	return work;
}

static void baz_drain_fifo(struct baz_port *port)
{
	u32 val;

	do {
		val = readl(port->base + BAZ_FIFO);
		scoped_guard(spinlock_irq, &port->lock) {
			if (val & BAZ_FIFO_ERR)
				continue; /* report */
			port->rx_bytes += val & 0xff;
		}
	} while (!(val & BAZ_FIFO_EMPTY));
}
