// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>

static int foo_find_free_slot(struct foo_priv *priv)
{
	int ch, slot = -1;

	for (ch = 0; ch < priv->nr_channels; ch++) {
		scoped_guard(mutex, &priv->lock) {
			int i;

			for (i = 0; i < FOO_SLOTS; i++) {
				if (!priv->slots[ch][i].used) {
					slot = i;
					break;
				}
			}
			while (priv->pending[ch]) {
				if (foo_retire(priv, ch) < 0)
					break;
			}
		}
		if (slot >= 0)
			return ch * FOO_SLOTS + slot;
	}
	return -ENOSPC;
}
