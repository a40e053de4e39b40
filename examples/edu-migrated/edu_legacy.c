// SPDX-License-Identifier: GPL-2.0
/*
 * edu_legacy: a driver for QEMU's edu device, written the traditional way.
 *
 * This is the "before" picture for examples/edu: manual lock/unlock, goto
 * unwinding, dma_alloc_coherent()/dma_free_coherent(), and nothing that
 * keeps a file that is still open from reaching the device after it is
 * gone.  It works until the device is hot-unplugged with /dev/edu open;
 * then remove() frees what the next ioctl() touches.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/safe/guard.h>
#include <linux/safe/dma.h>
#include "edu_hw.h"
#include "edu_ioctl.h"

struct edu_dev {
	struct pci_dev *pdev;
	void __iomem *bar;
	struct safe_dma_buf *buf;	/* DMA-coherent bounce buffer */
	struct mutex lock;		/* one device operation at a time */
	wait_queue_head_t wq;
	u32 irq_status;			/* accumulated by the IRQ handler */
	u64 completed;			/* operations finished */
	struct miscdevice misc;
};

static irqreturn_t edu_irq(int irq, void *data)
{
	struct edu_dev *edu = data;
	u32 status = ioread32(edu->bar + EDU_REG_IRQ_STATUS);

	if (!status || status == ~0U)
		return IRQ_NONE;
	iowrite32(status, edu->bar + EDU_REG_IRQ_ACK);
	WRITE_ONCE(edu->irq_status, READ_ONCE(edu->irq_status) | status);
	WRITE_ONCE(edu->completed, edu->completed + 1);
	wake_up_all(&edu->wq);
	return IRQ_HANDLED;
}

/* Wait for the IRQ handler to report @bit; the caller holds edu->lock. */
static int edu_wait_irq(struct edu_dev *edu, u32 bit)
{
	int ret;

	ret = wait_event_interruptible_timeout(edu->wq,
					       READ_ONCE(edu->irq_status) & bit,
					       HZ);
	if (ret < 0)
		return ret;
	if (!ret)
		return -ETIMEDOUT;
	WRITE_ONCE(edu->irq_status, READ_ONCE(edu->irq_status) & ~bit);
	return 0;
}

static int edu_dma(struct edu_dev *edu, size_t len, bool to_ram)
{
	u32 cmd = EDU_DMA_START | EDU_DMA_IRQ | (to_ram ? EDU_DMA_TO_RAM : 0);

	iowrite32(to_ram ? EDU_DEV_BUF : lower_32_bits(safe_dma_handle(edu->buf)),
		  edu->bar + EDU_REG_DMA_SRC);
	iowrite32(to_ram ? lower_32_bits(safe_dma_handle(edu->buf)) : EDU_DEV_BUF,
		  edu->bar + EDU_REG_DMA_DST);
	iowrite32(len, edu->bar + EDU_REG_DMA_COUNT);
	iowrite32(cmd, edu->bar + EDU_REG_DMA_CMD);
	return edu_wait_irq(edu, EDU_IRQ_DMA);
}

static struct edu_dev *edu_of(struct file *f)
{
	return container_of(f->private_data, struct edu_dev, misc);
}

static ssize_t edu_write(struct file *f, const char __user *ubuf, size_t len,
			 loff_t *pos)
{
	struct edu_dev *edu = edu_of(f);
	int ret;

	if (len > EDU_XFER_MAX)
		return -EINVAL;
	guard(mutex)(&edu->lock);
	if (safe_dma_copy_from_user(edu->buf, 0, ubuf, len) != len) {
		ret = -EFAULT;
		return ret ? ret : len;
	}
	ret = edu_dma(edu, len, false);
	return ret ? ret : len;
}

static long edu_readback(struct edu_dev *edu, unsigned long arg)
{
	struct edu_xfer x;
	int ret;

	if (copy_from_user(&x, (void __user *)arg, sizeof(x)))
		return -EFAULT;
	if (x.len > EDU_XFER_MAX)
		return -EINVAL;
	guard(mutex)(&edu->lock);
	ret = edu_dma(edu, x.len, true);
	if (ret)
		return ret;
	if (safe_dma_copy_to_user(edu->buf, 0, u64_to_user_ptr(x.buf), x.len) != x.len)
		ret = -EFAULT;
	return ret;
}

static long edu_roundtrip(struct edu_dev *edu, unsigned long arg)
{
	struct edu_roundtrip rt;
	int ret;

	if (copy_from_user(&rt, (void __user *)arg, sizeof(rt)))
		return -EFAULT;
	if (rt.len > EDU_XFER_MAX)
		return -EINVAL;
	guard(mutex)(&edu->lock);
	if (safe_dma_copy_from_user(edu->buf, 0, u64_to_user_ptr(rt.in), rt.len) != rt.len)
		return -EFAULT;
	ret = edu_dma(edu, rt.len, false);
	if (ret)
		return ret;
	safe_dma_memset(edu->buf, 0, 0, rt.len);
	ret = edu_dma(edu, rt.len, true);
	if (ret)
		return ret;
	if (safe_dma_copy_to_user(edu->buf, 0, u64_to_user_ptr(rt.out), rt.len) != rt.len)
		ret = -EFAULT;
	return ret;
}

static long edu_factorial(struct edu_dev *edu, unsigned long arg)
{
	u32 __user *up = (u32 __user *)arg;
	u32 n;
	int ret;

	if (get_user(n, up))
		return -EFAULT;
	scoped_cond_guard(mutex_intr, return -ERESTARTSYS, &edu->lock) {
		iowrite32(EDU_STATUS_IRQ_FACT, edu->bar + EDU_REG_STATUS);
		iowrite32(n, edu->bar + EDU_REG_FACTORIAL);
		ret = edu_wait_irq(edu, EDU_IRQ_FACT);
		if (ret)
			return ret;
		n = ioread32(edu->bar + EDU_REG_FACTORIAL);
		ret = put_user(n, up);
	}
	return ret;
}

static long edu_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct edu_dev *edu = edu_of(f);

	switch (cmd) {
	case EDU_IOC_FACTORIAL:
		return edu_factorial(edu, arg);
	case EDU_IOC_READBACK:
		return edu_readback(edu, arg);
	case EDU_IOC_ROUNDTRIP:
		return edu_roundtrip(edu, arg);
	default:
		return -ENOTTY;
	}
}

static ssize_t edu_read(struct file *f, char __user *ubuf, size_t len,
			loff_t *pos)
{
	struct edu_dev *edu = edu_of(f);
	u64 seen = READ_ONCE(edu->completed);
	int ret;

	if (len < sizeof(seen))
		return -EINVAL;
	ret = wait_event_interruptible(edu->wq,
				       READ_ONCE(edu->completed) != seen);
	if (ret)
		return ret;
	seen = READ_ONCE(edu->completed);
	return copy_to_user(ubuf, &seen, sizeof(seen)) ? -EFAULT : sizeof(seen);
}

static const struct file_operations edu_fops = {
	.owner = THIS_MODULE,
	.read = edu_read,
	.write = edu_write,
	.unlocked_ioctl = edu_ioctl,
};

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu_dev *edu;
	int ret;

	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	mutex_init(&edu->lock);
	init_waitqueue_head(&edu->wq);

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_request_regions(pdev, KBUILD_MODNAME);
	if (ret)
		goto err_disable;
	edu->bar = pci_iomap(pdev, 0, 0);
	if (!edu->bar) {
		ret = -ENOMEM;
		goto err_regions;
	}
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(EDU_DMA_BITS));
	if (ret)
		goto err_unmap;
	edu->buf = safe_dma_alloc(&pdev->dev, EDU_BUF_SIZE, 1, GFP_KERNEL, 0);
	if (IS_ERR(edu->buf)) {
		ret = -ENOMEM;
		goto err_unmap;
	}
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_ALL_TYPES);
	if (ret < 0)
		goto err_dma;
	ret = request_irq(pci_irq_vector(pdev, 0), edu_irq, IRQF_SHARED,
			  KBUILD_MODNAME, edu);
	if (ret)
		goto err_vectors;

	edu->misc.minor = MISC_DYNAMIC_MINOR;
	edu->misc.name = "edu";
	edu->misc.fops = &edu_fops;
	ret = misc_register(&edu->misc);
	if (ret)
		goto err_irq;
	pci_set_drvdata(pdev, edu);
	dev_info(&pdev->dev, "edu %#x ready\n",
		 ioread32(edu->bar + EDU_REG_ID));
	return 0;

err_irq:
	free_irq(pci_irq_vector(pdev, 0), edu);
err_vectors:
	pci_free_irq_vectors(pdev);
err_dma:
	safe_dma_free(edu->buf);
err_unmap:
	pci_iounmap(pdev, edu->bar);
err_regions:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
	return ret;
}

static void edu_remove(struct pci_dev *pdev)
{
	struct edu_dev *edu = pci_get_drvdata(pdev);

	/* Stops new opens.  Files already open still point at edu. */
	misc_deregister(&edu->misc);
	free_irq(pci_irq_vector(pdev, 0), edu);
	pci_free_irq_vectors(pdev);
	safe_dma_free(edu->buf);
	pci_iounmap(pdev, edu->bar);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = "edu_legacy",
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
};
module_pci_driver(edu_driver);

MODULE_DESCRIPTION("QEMU edu device, the traditional way (no revocation)");
MODULE_LICENSE("GPL");
