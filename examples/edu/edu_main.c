// SPDX-License-Identifier: GPL-2.0
/*
 * edu: a driver for QEMU's edu PCI device, written with safe.
 *
 * Compare with examples/edu-legacy, the same driver written the usual way.
 * That one oopses when the device is hot-unplugged while /dev/edu is open;
 * this one cannot, for three reasons you will meet below:
 *
 *  1. Everything that dies with the device (the BAR mapping, the DMA
 *     buffer) is a revocable resource of one domain.  Unplug revokes the
 *     domain: accesses in flight finish, later ones fail with -ENODEV.
 *  2. The file operations run inside that domain (safe_miscdevice), and
 *     sleepers wait on the domain's wait queue, so unplug wakes them.
 *  3. The DMA buffer is one object that remembers its device, size and
 *     handle; the domain frees it after stopping the device's DMA.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/safe/dma.h>
#include <linux/safe/file.h>
#include <linux/safe/free.h>
#include <linux/safe/guard.h>
#include <linux/safe/revocable.h>
#include "edu_hw.h"
#include "edu_ioctl.h"

struct edu {
	struct pci_dev *pdev;
	struct safe_revocable_domain *domain;
	SAFE_DECLARE_REVOCABLE(void __iomem, regs);
	/* The bounce buffer, typed: a constant index past it fails the build. */
	SAFE_DMA_REVOCABLE(SAFE_DMA_ARRAY(u8, EDU_BUF_SIZE)) buf;
	/* Only for quiescing, in devres, before the BAR is unmapped. */
	void __iomem *bar;
	struct mutex lock;		/* the device does one thing at a time */
	atomic_t irq_status;		/* interrupt causes not yet consumed */
	atomic64_t completed;		/* operations finished */
	struct safe_miscdevice misc;
};

/*
 * The interrupt handler is freed at unbind before the domain is revoked
 * (devres order, see edu_probe()), so it always runs while the device is
 * bound: the BAR is one pointer load away, no SRCU needed.
 */
static irqreturn_t edu_irq(int irq, void *data)
{
	struct edu *edu = data;
	void __iomem *regs = safe_revocable_bound_ptr(edu->regs, &edu->pdev->dev);
	u32 status = ioread32(regs + EDU_REG_IRQ_STATUS);

	if (!status || status == ~0U)
		return IRQ_NONE;
	iowrite32(status, regs + EDU_REG_IRQ_ACK);
	atomic_or(status, &edu->irq_status);
	atomic64_inc(&edu->completed);
	wake_up_all(safe_revocable_domain_wq(edu->domain));
	return IRQ_HANDLED;
}

/*
 * Sleep until the interrupt handler reports @bit.  Unplug wakes us with
 * -ENODEV; the sleep must be on the domain's queue for that.
 */
static int edu_wait_irq(struct edu *edu, u32 bit)
{
	int ret = safe_revocable_wait(edu->domain,
				      atomic_read(&edu->irq_status) & bit);

	if (!ret)
		atomic_andnot(bit, &edu->irq_status);
	return ret;
}

static int edu_dma(struct edu *edu, void __iomem *regs, dma_addr_t bus,
		   size_t len, bool to_ram)
{
	u32 cmd = EDU_DMA_START | EDU_DMA_IRQ | (to_ram ? EDU_DMA_TO_RAM : 0);

	iowrite32(to_ram ? EDU_DEV_BUF : lower_32_bits(bus),
		  regs + EDU_REG_DMA_SRC);
	iowrite32(to_ram ? lower_32_bits(bus) : EDU_DEV_BUF,
		  regs + EDU_REG_DMA_DST);
	iowrite32(len, regs + EDU_REG_DMA_COUNT);
	iowrite32(cmd, regs + EDU_REG_DMA_CMD);
	return edu_wait_irq(edu, EDU_IRQ_DMA);
}

static struct edu *edu_of(struct file *f)
{
	return container_of(f->private_data, struct edu, misc.misc);
}

#define EDU_TO_DEVICE	BIT(0)
#define EDU_FROM_DEVICE	BIT(1)

/*
 * Move @len bytes of @data through the device's buffer: to the device,
 * back from it, or both.  A round trip clears @data in between, so what
 * comes back really came from the device.
 */
static long edu_transfer(struct edu *edu, void *data, size_t len,
			 unsigned int dir)
{
	dma_addr_t bus;
	long ret = -ENODEV;

	scoped_cond_guard(mutex_intr, return -ERESTARTSYS, &edu->lock) {
		safe_revocable_guard_or_return(regs, edu->regs);

		safe_dma_scope(buf, edu->buf) {
			ret = safe_dma_addr_of(buf, 0, &bus);
			if (!ret && (dir & EDU_TO_DEVICE)) {
				ret = safe_dma_copy_in(buf, 0, data, len);
				if (!ret)
					ret = edu_dma(edu, regs, bus, len, false);
			}
			if (!ret && (dir & EDU_FROM_DEVICE)) {
				memset(data, 0, len);
				ret = edu_dma(edu, regs, bus, len, true);
				if (!ret)
					ret = safe_dma_copy_out(buf, 0, data, len);
			}
		}
	}
	return ret;
}

static long edu_ioc_roundtrip(struct edu *edu, unsigned long arg)
{
	struct edu_roundtrip rt;
	long ret;

	if (copy_from_user(&rt, (void __user *)arg, sizeof(rt)))
		return -EFAULT;
	if (!rt.len || rt.len > EDU_XFER_MAX)
		return -EINVAL;

	u8 *data __free(kfree) = memdup_user(u64_to_user_ptr(rt.in), rt.len);

	if (IS_ERR(data))
		return PTR_ERR(no_free_ptr(data));
	ret = edu_transfer(edu, data, rt.len, EDU_TO_DEVICE | EDU_FROM_DEVICE);
	if (!ret && copy_to_user(u64_to_user_ptr(rt.out), data, rt.len))
		ret = -EFAULT;
	return ret;
}

static long edu_ioc_readback(struct edu *edu, unsigned long arg)
{
	struct edu_xfer x;
	long ret;

	if (copy_from_user(&x, (void __user *)arg, sizeof(x)))
		return -EFAULT;
	if (!x.len || x.len > EDU_XFER_MAX)
		return -EINVAL;

	u8 *data __free(kfree) = kzalloc(x.len, GFP_KERNEL);

	if (!data)
		return -ENOMEM;
	ret = edu_transfer(edu, data, x.len, EDU_FROM_DEVICE);
	if (!ret && copy_to_user(u64_to_user_ptr(x.buf), data, x.len))
		ret = -EFAULT;
	return ret;
}

static long edu_ioc_factorial(struct edu *edu, unsigned long arg)
{
	u32 __user *up = (u32 __user *)arg;
	u32 n;
	int ret;

	if (get_user(n, up))
		return -EFAULT;
	scoped_cond_guard(mutex_intr, return -ERESTARTSYS, &edu->lock) {
		safe_revocable_guard_or_return(regs, edu->regs);

		iowrite32(EDU_STATUS_IRQ_FACT, regs + EDU_REG_STATUS);
		iowrite32(n, regs + EDU_REG_FACTORIAL);
		ret = edu_wait_irq(edu, EDU_IRQ_FACT);
		if (ret)
			return ret;
		n = ioread32(regs + EDU_REG_FACTORIAL);
	}
	return put_user(n, up);
}

static long edu_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct edu *edu = edu_of(f);

	switch (cmd) {
	case EDU_IOC_FACTORIAL:
		return edu_ioc_factorial(edu, arg);
	case EDU_IOC_READBACK:
		return edu_ioc_readback(edu, arg);
	case EDU_IOC_ROUNDTRIP:
		return edu_ioc_roundtrip(edu, arg);
	default:
		return -ENOTTY;
	}
}

static ssize_t edu_write(struct file *f, const char __user *ubuf, size_t len,
			 loff_t *pos)
{
	long ret;

	if (!len || len > EDU_XFER_MAX)
		return -EINVAL;

	u8 *data __free(kfree) = memdup_user(ubuf, len);

	if (IS_ERR(data))
		return PTR_ERR(no_free_ptr(data));
	ret = edu_transfer(edu_of(f), data, len, EDU_TO_DEVICE);
	return ret ? ret : len;
}

/* Blocks until another operation completes; unplug ends it with -ENODEV. */
static ssize_t edu_read(struct file *f, char __user *ubuf, size_t len,
			loff_t *pos)
{
	struct edu *edu = edu_of(f);
	u64 seen = atomic64_read(&edu->completed);
	int ret;

	if (len < sizeof(seen))
		return -EINVAL;
	ret = safe_revocable_wait(edu->domain,
				  atomic64_read(&edu->completed) != seen);
	if (ret)
		return ret;
	seen = atomic64_read(&edu->completed);
	return copy_to_user(ubuf, &seen, sizeof(seen)) ? -EFAULT : sizeof(seen);
}

/*
 * The file operations are written as if the device could never go away:
 * safe_miscdevice runs each one inside the domain, and returns -ENODEV
 * without calling it once the device is gone.
 */
static const struct file_operations edu_fops = {
	.owner = THIS_MODULE,
	.read = edu_read,
	.write = edu_write,
	.unlocked_ioctl = edu_ioctl,
};

/*
 * Before the DMA buffer is freed: the device must not be copying into it.
 * Runs at revocation, after every access ended and after the interrupt
 * handler is gone.  A device that has been unplugged reads all ones.
 */
static void edu_quiesce(void *data)
{
	struct edu *edu = data;
	u32 cmd;

	readl_poll_timeout(edu->bar + EDU_REG_DMA_CMD, cmd,
			   !(cmd & EDU_DMA_START) || cmd == ~0U, 1000, 500000);
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct edu *edu;
	int ret;

	/*
	 * Devres undoes all this in reverse order at unbind, which is the
	 * order that matters: the misc device goes first (no new opens),
	 * then the interrupt, then the domain is revoked (every access
	 * finishes, the DMA buffer is quiesced and freed), and only then is
	 * the BAR unmapped and the device disabled.
	 */
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		return ret;
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(EDU_DMA_BITS));
	if (ret)
		return ret;

	edu = devm_kzalloc(dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	edu->bar = pcim_iomap_table(pdev)[0];
	mutex_init(&edu->lock);

	edu->domain = devm_safe_revocable_domain_create(dev);
	if (IS_ERR(edu->domain))
		return PTR_ERR(edu->domain);
	ret = safe_revocable_init(edu->regs, edu->domain, edu->bar, NULL);
	if (ret)
		return ret;

	struct safe_dma_buf *buf __free(safe_dma) =
		safe_dma_alloc_array(dev, u8, EDU_BUF_SIZE, GFP_KERNEL);

	if (IS_ERR(buf))
		return PTR_ERR(no_free_ptr(buf));
	safe_dma_set_quiesce(buf, edu_quiesce, edu);
	/* From here the domain owns the buffer. */
	edu->buf.rev = safe_dma_attach(buf, edu->domain);
	if (IS_ERR(edu->buf.rev))
		return PTR_ERR(edu->buf.rev);
	retain_and_null_ptr(buf);

	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_ALL_TYPES);
	if (ret < 0)
		return ret;
	ret = devm_request_irq(dev, pci_irq_vector(pdev, 0), edu_irq,
			       IRQF_SHARED, KBUILD_MODNAME, edu);
	if (ret)
		return ret;

	edu->misc.misc.minor = MISC_DYNAMIC_MINOR;
	edu->misc.misc.name = "edu";
	edu->misc.fops = &edu_fops;
	edu->misc.domain = edu->domain;
	ret = devm_safe_misc_register(dev, &edu->misc);
	if (ret)
		return ret;

	dev_info(dev, "edu %#x ready\n",
		 ioread32(safe_revocable_bound_ptr(edu->regs, dev) + EDU_REG_ID));
	return 0;
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

/* No remove(): devres undoes probe() in the right order. */
static struct pci_driver edu_driver = {
	.name = "edu",
	.id_table = edu_ids,
	.probe = edu_probe,
};
module_pci_driver(edu_driver);

MODULE_DESCRIPTION("QEMU edu device, written with safe: survives hot-unplug");
MODULE_LICENSE("GPL");
