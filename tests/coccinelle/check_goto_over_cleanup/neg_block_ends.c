// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>
#include <linux/slab.h>

static int foo_update_stats(struct foo_priv *priv)
{
	int ret = 0;

	if (!priv->running)
		goto out;

	{
		guard(mutex)(&priv->stats_lock);
		priv->stats.rx = readl(priv->base + FOO_RX_CNT);
		priv->stats.tx = readl(priv->base + FOO_TX_CNT);
	}
	if (priv->stats.rx > priv->stats.tx) {
		char *msg __free(kfree) = kasprintf(GFP_KERNEL, "rx %u", priv->stats.rx);

		if (!msg)
			goto out;
		ret = foo_log(priv, msg);
	}
out:
	return ret;
}
