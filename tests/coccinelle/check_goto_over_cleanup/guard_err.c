// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>

static int foo_set_speed(struct foo_priv *priv, u32 speed)
{
	int ret = 0;

	if (speed > FOO_MAX_SPEED) {
		ret = -EINVAL;
		goto out; /* report */
	}

	guard(mutex)(&priv->lock);
	if (priv->speed == speed)
		goto out;
	ret = foo_hw_write(priv, FOO_REG_SPEED, speed);
	if (!ret)
		priv->speed = speed;
out:
	return ret;
}
