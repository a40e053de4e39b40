// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/uaccess.h>

struct foo_priv {
	struct device *dev;
	void __iomem *base;
	u32 *buf;
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

/* an offset in words, not bytes: safe's accessors take bytes */
static int foo_peek(struct foo_priv *p, void __user *ubuf, size_t i)
{
	if (copy_to_user(ubuf, p->buf + i, sizeof(u32)))
		return -EFAULT;
	return 0;
}

static void foo_exit(struct foo_priv *p)
{
	dma_free_coherent(p->dev, 4096, p->buf, p->buf_dma);
}
