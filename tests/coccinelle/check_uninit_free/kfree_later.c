// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/slab.h>

static int foo_read_eeprom(struct foo_priv *priv, unsigned int off, size_t len)
{
	char *buf __free(kfree); /* report */
	int ret;

	if (off + len > FOO_EEPROM_SIZE)
		return -EINVAL;

	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = foo_eeprom_read(priv, off, buf, len);
	if (ret)
		return ret;
	memcpy(priv->mac, buf, ETH_ALEN);
	return 0;
}
