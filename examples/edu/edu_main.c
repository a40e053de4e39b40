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
 *  4. Nothing of it outlives the binding: a per-open buffer that user
 *     space maps is freed (and unmapped) at unplug by safe even though
 *     the file that owns it is still open, and the close that comes
 *     later frees only what is left of it.
 *
 * Documentation/lifetime.rst states what safe guarantees and what stays
 * the driver's job; this file follows it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iopoll.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/safe/dma.h>
#include <linux/safe/embed.h>
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
	/* The device's DMA buffer, typed: a constant index past it fails the build. */
	SAFE_DMA_REVOCABLE(SAFE_DMA_ARRAY(u8, EDU_BUF_SIZE)) buf;
	struct mutex lock;		/* the device does one thing at a time */
	bool stopped;			/* under @lock: unbind, nothing starts */
	atomic_t irq_status;		/* interrupt causes not yet consumed */
	atomic64_t completed;		/* operations finished */
	struct fasync_struct *async_queue;
	struct safe_miscdevice misc;
};

/*
 * What one open file owns.  Freed in ->release, which runs after unplug
 * too: it must not touch struct edu, which unplug frees.
 */
struct edu_file {
	struct edu *edu;
	struct mutex lock;		/* serialises this file's mmap buffer */
	struct safe_dma_buf *mapped;	/* allocated at the first mmap() */
	u64 seen;			/* completions this file has read */
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
	kill_fasync(&edu->async_queue, SIGIO, POLL_IN);
	return IRQ_HANDLED;
}

/* Far longer than the device takes, even emulated on a loaded host. */
#define EDU_HW_TIMEOUT	(5 * HZ)

/*
 * Sleep until the interrupt handler reports @bit, for an operation the
 * device has started.  Unplug wakes us with -ENODEV; the sleep must be on
 * the domain's queue for that.  A signal must not end it: the operation
 * would go on while the next caller programs the device, and that caller
 * would take this operation's interrupt for its own (a factorial read
 * before the device computed it, a DMA started on half-written
 * registers).  Whatever an earlier operation that timed out or was cut
 * short left in @bit is cleared before starting: edu_forget_irq().
 */
static int edu_wait_irq(struct edu *edu, u32 bit)
{
	int ret = safe_revocable_wait_timeout(edu->domain,
					      atomic_read(&edu->irq_status) & bit,
					      EDU_HW_TIMEOUT);

	if (!ret)
		atomic_andnot(bit, &edu->irq_status);
	return ret;
}

/* Forget a stale report of @bit; call with edu->lock held, then start. */
static void edu_forget_irq(struct edu *edu, u32 bit)
{
	atomic_andnot(bit, &edu->irq_status);
}

/*
 * Wait for the DMA engine to stop, for at most 0.5 s; past that, take its
 * bus mastering away, so that it copies into no buffer freed after this.
 * A device that has been unplugged reads all ones.
 */
static void edu_dma_stop(struct edu *edu, void __iomem *regs)
{
	u32 cmd;

	if (readl_poll_timeout(regs + EDU_REG_DMA_CMD, cmd,
			       !(cmd & EDU_DMA_START) || cmd == ~0U,
			       1000, 500000)) {
		dev_warn(&edu->pdev->dev, "DMA engine stuck: bus mastering off\n");
		pci_clear_master(edu->pdev);
	}
}

static int edu_dma(struct edu *edu, void __iomem *regs, dma_addr_t bus,
		   size_t len, bool to_ram)
{
	u32 cmd = EDU_DMA_START | EDU_DMA_IRQ | (to_ram ? EDU_DMA_TO_RAM : 0);
	int ret;

	iowrite32(to_ram ? EDU_DEV_BUF : lower_32_bits(bus),
		  regs + EDU_REG_DMA_SRC);
	iowrite32(to_ram ? lower_32_bits(bus) : EDU_DEV_BUF,
		  regs + EDU_REG_DMA_DST);
	iowrite32(len, regs + EDU_REG_DMA_COUNT);
	edu_forget_irq(edu, EDU_IRQ_DMA);
	iowrite32(cmd, regs + EDU_REG_DMA_CMD);
	ret = edu_wait_irq(edu, EDU_IRQ_DMA);
	/* The caller may free the buffer next (a per-open one at close). */
	if (ret == -ETIMEDOUT)
		edu_dma_stop(edu, regs);
	return ret;
}

/* Only inside the file operations, which run inside the domain. */
static struct edu *edu_of(struct file *f)
{
	return ((struct edu_file *)f->private_data)->edu;
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
		if (edu->stopped)
			return -ENODEV;
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

/*
 * Send @len bytes from an owned buffer to the device and back into it:
 * the device works on the buffer's own bus address, no copy at all.
 */
static long edu_roundtrip_buf(struct edu *edu, struct safe_dma_buf *mb,
			      size_t len)
{
	dma_addr_t bus = safe_dma_handle(mb);
	long ret;

	scoped_cond_guard(mutex_intr, return -ERESTARTSYS, &edu->lock) {
		if (edu->stopped)
			return -ENODEV;
		safe_revocable_guard_or_return(regs, edu->regs);

		ret = edu_dma(edu, regs, bus, len, false);
		if (!ret)
			ret = edu_dma(edu, regs, bus, len, true);
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
		if (edu->stopped)
			return -ENODEV;
		safe_revocable_guard_or_return(regs, edu->regs);

		iowrite32(EDU_STATUS_IRQ_FACT, regs + EDU_REG_STATUS);
		edu_forget_irq(edu, EDU_IRQ_FACT);
		iowrite32(n, regs + EDU_REG_FACTORIAL);
		ret = edu_wait_irq(edu, EDU_IRQ_FACT);
		if (ret)
			return ret;
		n = ioread32(regs + EDU_REG_FACTORIAL);
	}
	return put_user(n, up);
}

static long edu_ioc_mapped(struct file *f, unsigned long arg)
{
	struct edu_file *ef = f->private_data;
	u32 len;

	if (get_user(len, (u32 __user *)arg))
		return -EFAULT;
	if (!len || len > EDU_XFER_MAX)
		return -EINVAL;
	guard(mutex)(&ef->lock);
	if (!ef->mapped)
		return -ENXIO;
	return edu_roundtrip_buf(ef->edu, ef->mapped, len);
}

/*
 * safe runs edu_ioctl() with page faults disabled, so that a page that
 * never arrives (userfaultfd, FUSE) cannot hold unbind.  It faults in the
 * argument itself; the buffers READBACK and ROUNDTRIP point at are named
 * here.  This runs outside the domain and gets no file: it must not touch
 * the device or struct edu, only user memory.  A failure is left for
 * edu_ioctl() to report.
 */
static int edu_ioctl_prefault(unsigned int cmd, unsigned long arg)
{
	struct edu_roundtrip rt;
	struct edu_xfer x;

	switch (cmd) {
	case EDU_IOC_READBACK:
		if (!copy_from_user(&x, (void __user *)arg, sizeof(x)))
			fault_in_safe_writeable(u64_to_user_ptr(x.buf),
						min_t(u32, x.len, EDU_XFER_MAX));
		break;
	case EDU_IOC_ROUNDTRIP:
		if (copy_from_user(&rt, (void __user *)arg, sizeof(rt)))
			break;
		fault_in_readable(u64_to_user_ptr(rt.in),
				  min_t(u32, rt.len, EDU_XFER_MAX));
		fault_in_safe_writeable(u64_to_user_ptr(rt.out),
					min_t(u32, rt.len, EDU_XFER_MAX));
		break;
	}
	return 0;
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
	case EDU_IOC_MAPPED:
		return edu_ioc_mapped(f, arg);
	default:
		return -ENOTTY;
	}
}

/*
 * From the caller's buffer straight into the device's DMA buffer: one
 * copy.  safe faulted the caller's buffer in before entering the domain.
 */
static ssize_t edu_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct edu *edu = edu_of(iocb->ki_filp);
	size_t len = iov_iter_count(from);
	dma_addr_t bus;
	ssize_t ret = -ENODEV;

	if (!len || len > EDU_XFER_MAX)
		return -EINVAL;
	scoped_cond_guard(mutex_intr, return -ERESTARTSYS, &edu->lock) {
		if (edu->stopped)
			return -ENODEV;
		safe_revocable_guard_or_return(regs, edu->regs);

		safe_dma_scope(buf, edu->buf) {
			ret = safe_dma_addr_of(buf, 0, &bus);
			if (!ret)
				ret = safe_dma_copy_from_iter(buf.buf, 0, len, from);
			if (ret == len)
				ret = edu_dma(edu, regs, bus, len, false) ?: len;
			else if (ret >= 0)
				ret = -EFAULT;
		}
	}
	return ret;
}

/* Blocks until another operation completes; unplug ends it with -ENODEV. */
static ssize_t edu_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct edu_file *ef = iocb->ki_filp->private_data;
	struct edu *edu = ef->edu;
	u64 seen = atomic64_read(&edu->completed);
	int ret;

	if (iov_iter_count(to) < sizeof(seen))
		return -EINVAL;
	ret = safe_revocable_wait(edu->domain,
				  atomic64_read(&edu->completed) != seen);
	if (ret)
		return ret;
	seen = atomic64_read(&edu->completed);
	WRITE_ONCE(ef->seen, seen);
	return copy_to_iter(&seen, sizeof(seen), to) == sizeof(seen) ?
		sizeof(seen) : -EFAULT;
}

/* Readable when an operation completed since this file last read. */
static __poll_t edu_poll(struct file *f, struct poll_table_struct *pt)
{
	struct edu_file *ef = f->private_data;
	struct edu *edu = ef->edu;

	/* The domain's queue lives as long as any file: safe to sleep on. */
	poll_wait(f, safe_revocable_domain_wq(edu->domain), pt);
	return atomic64_read(&edu->completed) != READ_ONCE(ef->seen) ?
		EPOLLIN | EPOLLRDNORM : 0;
}

/* The queue is in struct edu; safe turns it off for every file at unplug. */
static int edu_fasync(int fd, struct file *f, int on)
{
	return fasync_helper(fd, f, on, &edu_of(f)->async_queue);
}

/*
 * A DMA buffer of this file's own, mapped into the caller: what the
 * device writes there, the caller sees without a copy.  safe_dma_mmap()
 * records the mapping, so unplug zaps it before it frees the memory.
 */
static int edu_mmap(struct file *f, struct vm_area_struct *vma)
{
	struct edu_file *ef = f->private_data;
	struct safe_dma_buf *mb;

	guard(mutex)(&ef->lock);
	if (!ef->mapped) {
		mb = safe_dma_alloc(&ef->edu->pdev->dev, 1, EDU_BUF_SIZE,
				    GFP_KERNEL, 0);
		if (IS_ERR(mb))
			return PTR_ERR(mb);
		ef->mapped = mb;
	}
	return safe_dma_mmap(ef->mapped, vma);
}

static int edu_open(struct inode *inode, struct file *f)
{
	struct edu *edu = container_of(f->private_data, struct edu, misc.misc);
	struct edu_file *ef = kzalloc(sizeof(*ef), GFP_KERNEL);

	if (!ef)
		return -ENOMEM;
	ef->edu = edu;
	mutex_init(&ef->lock);
	ef->seen = atomic64_read(&edu->completed);
	f->private_data = ef;
	return 0;
}

/*
 * Runs after unplug too, outside the domain: free what the file owns and
 * nothing else.  If the device is gone, safe freed the buffer's memory at
 * unplug already (and zapped the mapping); this frees what is left.
 */
static int edu_release(struct inode *inode, struct file *f)
{
	struct edu_file *ef = f->private_data;

	safe_dma_free(ef->mapped);
	mutex_destroy(&ef->lock);
	kfree(ef);
	return 0;
}

/*
 * The file operations are written as if the device could never go away:
 * safe_miscdevice runs each one inside the domain, and returns -ENODEV
 * without calling it once the device is gone.
 */
static const struct file_operations edu_fops = {
	.owner = THIS_MODULE,
	.open = edu_open,
	.release = edu_release,
	.read_iter = edu_read_iter,
	.write_iter = edu_write_iter,
	.poll = edu_poll,
	.fasync = edu_fasync,
	.mmap = edu_mmap,
	.unlocked_ioctl = edu_ioctl,
};

/*
 * Unbind frees the interrupt handler, then the MSI vector, and only then
 * revokes the domain; open files may start operations until then.  One
 * that completed in between would raise its interrupt into a torn-down
 * MSI (behind an IOMMU, a write to bus address 0).  So first nothing
 * starts any more, the operation in flight (under the lock) has ended,
 * and a DMA that outlived an earlier timeout is stopped.  A devres action
 * registered after the domain: the device is still bound here.
 */
static void edu_stop(void *data)
{
	struct edu *edu = data;

	guard(mutex)(&edu->lock);
	edu->stopped = true;
	edu_dma_stop(edu, safe_revocable_bound_ptr(edu->regs, &edu->pdev->dev));
}

/*
 * Before any DMA buffer of the device is freed: the device must not be
 * copying into it.  Runs in the domain's teardown, after every access
 * ended and after the interrupt handler is gone, before anything of the
 * domain is released: the BAR is still there, through
 * safe_revocable_teardown_ptr().  A device that has been unplugged reads
 * all ones.
 */
static void edu_quiesce(void *data)
{
	struct edu *edu = data;
	void __iomem *regs = safe_revocable_teardown_ptr(edu->regs);

	if (regs)
		edu_dma_stop(edu, regs);
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct edu *edu;
	int ret;

	/*
	 * Devres undoes all this in reverse order at unbind, which is the
	 * order that matters: the misc device goes first (no new opens),
	 * then no operation starts any more (edu_stop()), then the interrupt
	 * and its MSI vector, then the domain is revoked (every access
	 * finishes, every DMA buffer of the device, per-open ones included,
	 * is quiesced and freed), and only then is the BAR unmapped and the
	 * device disabled.
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
	mutex_init(&edu->lock);

	edu->domain = devm_safe_revocable_domain_create(dev);
	if (IS_ERR(edu->domain))
		return PTR_ERR(edu->domain);
	ret = safe_revocable_init(edu->regs, edu->domain,
				  pcim_iomap_table(pdev)[0], NULL);
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
	/* Runs before the interrupt and the MSI vector are freed. */
	ret = devm_add_action_or_reset(dev, edu_stop, edu);
	if (ret)
		return ret;

	edu->misc.misc.minor = MISC_DYNAMIC_MINOR;
	edu->misc.misc.name = "edu";
	edu->misc.fops = &edu_fops;
	edu->misc.ioctl_prefault = edu_ioctl_prefault;
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

static int __init edu_init(void)
{
	return pci_register_driver(&edu_driver);
}
module_init(edu_init);

/*
 * With the library built in (make SAFE_EMBED=y), its deferred work runs
 * this module's code: wait for it before the module goes.  With safe.ko
 * it does nothing.
 */
static void __exit edu_exit(void)
{
	pci_unregister_driver(&edu_driver);
	safe_embed_exit();
}
module_exit(edu_exit);

MODULE_DESCRIPTION("QEMU edu device, written with safe: survives hot-unplug");
MODULE_LICENSE("GPL");
