// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/uaccess.h>

struct foo_priv {
	struct device *dev;
	void __iomem *base;
	void *buf;		/* shared with the device */
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

static ssize_t foo_write(struct foo_priv *p, const char __user *ubuf,
			 size_t len)
{
	if (len > 4096)
		return -EINVAL;
	if (copy_from_user(p->buf, ubuf, len))
		return -EFAULT;
	writel(len, p->base + 0x14);
	return len;
}

static ssize_t foo_read(struct foo_priv *p, char __user *ubuf, size_t len)
{
	if (len > 4096)
		return -EINVAL;
	memset(p->buf, 0, len);
	writel(len, p->base + 0x18);
	return copy_to_user(ubuf, p->buf, len) ? -EFAULT : len;
}

static int foo_peek(struct foo_priv *p, void __user *ubuf, size_t off)
{
	if (off > 4096 - 16)
		return -EINVAL;
	if (!copy_to_user(ubuf, p->buf + off, 16))
		return 0;
	return -EFAULT;
}

static void foo_exit(struct foo_priv *p)
{
	dma_free_coherent(p->dev, 4096, p->buf, p->buf_dma);
}
