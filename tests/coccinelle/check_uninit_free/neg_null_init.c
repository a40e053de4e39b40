// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/slab.h>

static int bar_get_name(struct bar_dev *bdev, char **out)
{
	char *name __free(kfree) = NULL;

	if (bdev->label)
		name = kstrdup(bdev->label, GFP_KERNEL);
	else
		name = kasprintf(GFP_KERNEL, "bar%d", bdev->id);
	if (!name)
		return -ENOMEM;
	*out = no_free_ptr(name);
	return 0;
}
