/* SPDX-License-Identifier: GPL-2.0 */
/*
 * File operations that survive hot-unplug.
 *
 * A character device's file operations run as long as a file is open,
 * which can be long after the device is gone: misc_deregister() stops new
 * opens but neither waits for calls in flight nor stops later ones on
 * files already open.  safe_miscdevice wraps the driver's file_operations
 * so that every call runs inside the device's revocation domain:
 *
 *  - once the domain is revoked, every call returns -ENODEV (poll returns
 *    EPOLLHUP | EPOLLERR) without reaching the driver;
 *  - revocation waits for the calls in flight, after waking sleepers on
 *    the domain's wait queue (see safe_revocable_wait());
 *  - an open file holds a reference to the domain, so the wrapper itself
 *    never touches freed memory.
 *
 * Every member of the driver's file_operations is passed on (or, for the
 * few safe cannot protect, refused at registration with an error naming
 * it).  ->release is always passed on, after revocation too, outside the
 * domain, so it must only free what the file itself owns.  Revocation
 * turns asynchronous notification (->fasync) off for every file while the
 * driver's data still exists.  User memory never stalls revocation: the
 * user range a call names is faulted in before the domain is entered, and
 * the driver's function runs with page faults disabled; memory an ioctl
 * reaches through pointers inside its argument is faulted in by the
 * driver's ->ioctl_prefault, where it has one.  A mapping
 * outlives the ->mmap call: map DMA buffers with safe_dma_mmap(), which
 * zaps the mapping when the memory is freed at unbind, or zap device
 * memory at unbind yourself.  See Documentation/lifetime.rst.
 *
 * safe_cdev does the same for a character device region the driver
 * allocated itself (alloc_chrdev_region()).  Unlike a struct cdev embedded
 * in driver data, it is allocated and freed by safe: an open file pins the
 * cdev until its last close, which is after unbind has freed the driver's
 * data, so the cdev must not live there.
 *
 * The driver keeps file->private_data for itself.
 */
#ifndef _LINUX_SAFE_FILE_H
#define _LINUX_SAFE_FILE_H

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/safe/revocable.h>

struct safe_file_proxy;

/**
 * struct safe_miscdevice - a misc device with revocable file operations
 * @misc: the misc device; fill in everything but ->fops
 * @fops: the driver's file operations
 * @ioctl_prefault: optional: faults in the user memory a command reaches
 *	through pointers inside its argument.  Called before ->unlocked_ioctl
 *	and ->compat_ioctl (there @arg is the compat value: compat_ptr()),
 *	outside the domain, where page faults may sleep; the driver's ioctl
 *	then runs with them disabled.  It gets no file because the driver's
 *	data may be gone by then: it reads the argument from user space and
 *	calls fault_in_readable() or fault_in_safe_writeable() on the ranges
 *	it names.  It returns 0, or an error that fails the call before the
 *	driver sees it.  Without it, a copy through such a pointer fails with
 *	-EFAULT when the memory is not resident.
 * @domain: the revocation domain the calls run in
 * @proxy: private: the table the files use
 */
struct safe_miscdevice {
	struct miscdevice misc;
	const struct file_operations *fops;
	int (*ioctl_prefault)(unsigned int cmd, unsigned long arg);
	struct safe_revocable_domain *domain;
	struct safe_file_proxy *proxy;
};

int safe_misc_register(struct safe_miscdevice *sm);
void safe_misc_deregister(struct safe_miscdevice *sm);
int devm_safe_misc_register(struct device *dev, struct safe_miscdevice *sm);

struct safe_cdev;

struct safe_cdev *safe_cdev_add(dev_t first, unsigned int count,
				const struct file_operations *fops,
				struct safe_revocable_domain *d, void *drvdata);
void safe_cdev_del(struct safe_cdev *sc);
void safe_cdev_set_ioctl_prefault(struct safe_cdev *sc,
				  int (*prefault)(unsigned int cmd,
						  unsigned long arg));
struct safe_cdev *devm_safe_cdev_add(struct device *dev, dev_t first,
				     unsigned int count,
				     const struct file_operations *fops,
				     struct safe_revocable_domain *d,
				     void *drvdata);

#endif /* _LINUX_SAFE_FILE_H */
