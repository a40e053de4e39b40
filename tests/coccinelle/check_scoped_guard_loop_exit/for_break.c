// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/spinlock.h>

/* reclaim the descriptors the device is done with */
static int foo_tx_clean(struct foo_priv *priv, int budget)
{
	int done = 0;
	int i;

	for (i = 0; i < budget; i++) {
		struct foo_desc *desc = &priv->tx_ring[priv->tx_tail];

		scoped_guard(spinlock_irqsave, &priv->tx_lock) {
			if (le32_to_cpu(desc->status) & FOO_DESC_OWN)
				break; /* report */
			priv->tx_tail = (priv->tx_tail + 1) % FOO_TX_RING;
		}
		dev_kfree_skb_any(priv->tx_skb[i]);
		done++;
	}
	return done;
}
