// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>

static int foo_get_stats(struct foo_priv *priv, struct foo_stats *st)
{
	guard(mutex)(&priv->stats_lock);

	*st = priv->stats;
	return 0;
}

static void foo_set_flag(struct foo_priv *priv, unsigned long flag)
{
	guard(spinlock_irqsave)(&priv->flags_lock);
	priv->flags |= flag;
}
