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

/* memset()'s value, the buffer's CPU address, is used */
static void *foo_clear(struct foo_priv *p)
{
	return memset(p->buf, 0, 4096);
}

static void foo_exit(struct foo_priv *p)
{
	dma_free_coherent(p->dev, 4096, p->buf, p->buf_dma);
}
