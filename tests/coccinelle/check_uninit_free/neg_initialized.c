// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/slab.h>
#include <linux/of.h>

static int foo_setup_queues(struct foo_priv *priv, int nq)
{
	struct foo_queue *queues __free(kfree) = kcalloc(nq, sizeof(*queues), GFP_KERNEL);
	struct device_node *np __free(device_node) =
		of_get_child_by_name(priv->dev->of_node, "queues");
	int i;

	if (!queues)
		return -ENOMEM;
	for (i = 0; i < nq; i++)
		queues[i].id = i;
	if (np)
		of_property_read_u32(np, "depth", &priv->depth);
	priv->queues = no_free_ptr(queues);
	return 0;
}
