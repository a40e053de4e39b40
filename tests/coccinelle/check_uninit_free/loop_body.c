// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/property.h>
#include <linux/slab.h>

static int baz_parse_leds(struct baz_chip *chip, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct fwnode_handle *child __free(fwnode_handle); /* report */
		struct baz_led *led __free(kfree); /* report */

		led = kzalloc(sizeof(*led), GFP_KERNEL);
		if (!led)
			return -ENOMEM;
		child = device_get_named_child_node(chip->dev, baz_led_names[i]);
		if (!child)
			continue;
		led->idx = i;
		chip->leds[i] = no_free_ptr(led);
	}
	return 0;
}
