// SPDX-License-Identifier: GPL-2.0
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/uaccess.h>

struct foo_xfer {
	__u64 buf;
	__u32 len;
};

struct foo_priv {
	struct device *dev;
	void __iomem *base;
	void *buf;			/* shared with the device */
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

static int foo_xfer(struct foo_priv *p, struct foo_xfer __user *uarg)
{
	struct foo_xfer x;

	if (copy_from_user(&x, uarg, sizeof(x)))
		return -EFAULT;
	if (x.len > 4096 - 64)
		return -EINVAL;
	memset(p->buf + 64, 0xff, x.len);
	writel(x.len, p->base + 0x14);
	if (copy_to_user(u64_to_user_ptr(x.buf), p->buf + 64, x.len) ||
	    put_user(0, &uarg->len))
		return -EFAULT;
	return 0;
}

static void foo_exit(struct foo_priv *p)
{
	dma_free_coherent(p->dev, 4096, p->buf, p->buf_dma);
}
