// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/of.h>
#include <linux/mutex.h>

static void quux_put_node(struct device_node **np)
{
	of_node_put(*np);
}

static int quux_parse_child(struct quux *q, const char *name)
{
	if (!q->dev->of_node)
		goto fallback; /* report */

	struct device_node *np __cleanup(quux_put_node) =
		of_get_child_by_name(q->dev->of_node, name);
	if (np)
		return quux_parse_node(q, np);
fallback:
	return quux_parse_defaults(q);
}

static int quux_reset(struct quux *q)
{
	int tries = 0;

	{
		guard(mutex)(&q->lock);
retry:
		if (quux_hw_reset(q) == 0)
			return 0;
	}
	if (++tries < 3)
		goto retry; /* report */
	return -EIO;
}
