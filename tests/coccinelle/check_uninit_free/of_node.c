// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/of.h>

static int bar_probe_dt(struct bar_dev *bdev)
{
	struct device_node *np __free(device_node); /* report */
	u32 val;

	if (!bdev->dev->of_node)
		return -ENODEV;

	np = of_get_child_by_name(bdev->dev->of_node, "ports");
	if (!np)
		return -ENODEV;
	if (of_property_read_u32(np, "num-ports", &val))
		return -EINVAL;
	bdev->nr_ports = val;
	return 0;
}
