// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/uaccess.h>

struct foo_priv {
	struct device *dev;
	void __iomem *base;
	void *buf;
	dma_addr_t buf_dma;
};

static int foo_init(struct foo_priv *p)
{
	p->buf = dma_alloc_coherent(p->dev, 4096, &p->buf_dma, GFP_KERNEL);
	if (!p->buf)
		return -ENOMEM;
	writel(lower_32_bits(p->buf_dma), p->base + 0x10);
	return 0;
}

/* the bytes not copied are the result: safe's accessor counts the others */
static unsigned long foo_read(struct foo_priv *p, void __user *ubuf, size_t len)
{
	return copy_to_user(ubuf, p->buf, len);
}

static void foo_exit(struct foo_priv *p)
{
	dma_free_coherent(p->dev, 4096, p->buf, p->buf_dma);
}
