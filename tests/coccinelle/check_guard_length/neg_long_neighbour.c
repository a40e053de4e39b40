// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>

static void quux_account(struct quux *q, unsigned int bytes)
{
	guard(mutex)(&q->stats_lock);
	q->bytes += bytes;
	q->packets++;
}

static int quux_xmit_batch(struct quux *q, struct sk_buff **skbs, int n)
{
	int i, sent = 0;

	for (i = 0; i < n; i++) {
		struct sk_buff *skb = skbs[i];
		dma_addr_t dma;

		dma = dma_map_single(q->dev, skb->data, skb->len, DMA_TO_DEVICE);
		if (dma_mapping_error(q->dev, dma)) {
			dev_kfree_skb_any(skb);
			continue;
		}
		q->ring[q->head].addr = cpu_to_le64(dma);
		q->ring[q->head].len = cpu_to_le32(skb->len);
		q->skbs[q->head] = skb;
		q->head = (q->head + 1) % QUUX_RING_SIZE;
		sent++;
	}
	if (sent)
		writel(q->head, q->base + QUUX_TX_TAIL);
	quux_account(q, sent);
	return sent;
}
