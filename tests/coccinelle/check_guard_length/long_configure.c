// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>

static int foo_configure(struct foo_priv *priv, const struct foo_cfg *cfg)
{
	u32 ctrl;
	int ret;

	guard(mutex)(&priv->lock); /* report: default netdev */

	if (cfg->speed > FOO_MAX_SPEED)
		return -EINVAL;
	if (cfg->duplex != DUPLEX_FULL && cfg->duplex != DUPLEX_HALF)
		return -EINVAL;

	ctrl = readl(priv->base + FOO_CTRL);
	ctrl &= ~(FOO_CTRL_SPEED_MASK | FOO_CTRL_DUPLEX);
	ctrl |= FIELD_PREP(FOO_CTRL_SPEED_MASK, cfg->speed);
	if (cfg->duplex == DUPLEX_FULL)
		ctrl |= FOO_CTRL_DUPLEX;
	writel(ctrl, priv->base + FOO_CTRL);

	ret = foo_wait_link(priv, FOO_LINK_TIMEOUT_MS);
	if (ret) {
		dev_warn(priv->dev, "link did not come up: %d\n", ret);
		return ret;
	}

	priv->cfg = *cfg;
	priv->configured = true;
	dev_dbg(priv->dev, "speed %u duplex %u\n", cfg->speed, cfg->duplex);
	return 0;
}
