// SPDX-License-Identifier: GPL-2.0
/*
 * Revocable file operations for misc and character devices.
 *
 * Each open file gets a proxy file_operations, allocated at open as
 * debugfs does, whose functions enter the device's revocation domain
 * around the driver's own.  file->f_op points into the proxy, so every
 * call finds its domain without touching file->private_data, which stays
 * the driver's.
 */
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/safe/file.h>
#include <linux/export.h>

/* Built once at open, then never changed. */
struct safe_file_proxy {
	const struct file_operations fops;
	const struct file_operations *inner;
	struct safe_revocable_domain *domain;
};

/*
 * Where file->f_op goes once the proxy is gone.  Its owner is this code's
 * own module, so the final fops_put() in __fput() keeps this code loaded
 * until the VFS is done with the file.
 */
static const struct file_operations safe_file_closed_fops = {
	.owner = THIS_MODULE,
};

static struct safe_file_proxy *safe_proxy(struct file *f)
{
	return container_of(f->f_op, struct safe_file_proxy, fops);
}

/* Run @call inside the file's domain; @gone when the domain is revoked. */
#define SAFE_FILE_CALL(f, gone, call)					\
	({								\
		struct safe_file_proxy *__p = safe_proxy(f);		\
		struct safe_revocable_access __a;			\
		typeof(call) __ret = (gone);				\
									\
		if (safe_revocable_domain_enter(__p->domain, &__a))	\
			__ret = (call);					\
		safe_revocable_end(&__a);				\
		__ret;							\
	})

#define inner_of(f)	(safe_proxy(f)->inner)

static ssize_t safe_file_read(struct file *f, char __user *buf, size_t len,
			      loff_t *pos)
{
	return SAFE_FILE_CALL(f, -ENODEV, inner_of(f)->read(f, buf, len, pos));
}

static ssize_t safe_file_write(struct file *f, const char __user *buf,
			       size_t len, loff_t *pos)
{
	return SAFE_FILE_CALL(f, -ENODEV, inner_of(f)->write(f, buf, len, pos));
}

static ssize_t safe_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct file *f = iocb->ki_filp;

	return SAFE_FILE_CALL(f, -ENODEV, inner_of(f)->read_iter(iocb, to));
}

static ssize_t safe_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *f = iocb->ki_filp;

	return SAFE_FILE_CALL(f, -ENODEV, inner_of(f)->write_iter(iocb, from));
}

static long safe_file_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	return SAFE_FILE_CALL(f, -ENODEV, inner_of(f)->unlocked_ioctl(f, cmd, arg));
}

static long safe_file_compat_ioctl(struct file *f, unsigned int cmd,
				   unsigned long arg)
{
	return SAFE_FILE_CALL(f, -ENODEV, inner_of(f)->compat_ioctl(f, cmd, arg));
}

static __poll_t safe_file_poll(struct file *f, struct poll_table_struct *pt)
{
	return SAFE_FILE_CALL(f, (__poll_t)(EPOLLHUP | EPOLLERR),
			      inner_of(f)->poll(f, pt));
}

static loff_t safe_file_llseek(struct file *f, loff_t off, int whence)
{
	return SAFE_FILE_CALL(f, (loff_t)-ENODEV,
			      inner_of(f)->llseek(f, off, whence));
}

static int safe_file_mmap(struct file *f, struct vm_area_struct *vma)
{
	return SAFE_FILE_CALL(f, -ENODEV, inner_of(f)->mmap(f, vma));
}

static int safe_file_fasync(int fd, struct file *f, int on)
{
	/* Turning async notification off must work on a dead device too. */
	if (!on)
		return inner_of(f)->fasync(fd, f, on);
	return SAFE_FILE_CALL(f, -ENODEV, inner_of(f)->fasync(fd, f, on));
}

/* Point @f back at the closed fops and free the proxy. */
static void safe_file_unproxy(struct file *f)
{
	struct safe_file_proxy *p = safe_proxy(f);
	struct safe_revocable_domain *d = p->domain;

	/* Cannot fail: an open file of ours pins this module already. */
	__module_get(THIS_MODULE);
	replace_fops(f, &safe_file_closed_fops);
	kfree(p);
	safe_revocable_domain_put(d);
}

static int safe_file_release(struct inode *inode, struct file *f)
{
	const struct file_operations *inner = inner_of(f);
	int ret = 0;

	if (inner->release)
		ret = inner->release(inode, f);
	safe_file_unproxy(f);
	return ret;
}

static int safe_file_open(struct inode *inode, struct file *f,
			  struct safe_revocable_domain *d,
			  const struct file_operations *inner)
{
	struct safe_file_proxy *p;
	struct safe_revocable_access a;
	int ret = 0;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	if (!try_module_get(inner->owner)) {
		kfree(p);
		return -ENODEV;
	}
	p->inner = inner;
	p->domain = d;
	safe_revocable_domain_get(d);

	{
		const struct file_operations fops = {
			.owner = inner->owner,
			.release = safe_file_release,
			.read = inner->read ? safe_file_read : NULL,
			.write = inner->write ? safe_file_write : NULL,
			.read_iter = inner->read_iter ? safe_file_read_iter : NULL,
			.write_iter = inner->write_iter ? safe_file_write_iter : NULL,
			.unlocked_ioctl = inner->unlocked_ioctl ? safe_file_ioctl : NULL,
			.compat_ioctl = inner->compat_ioctl ?
					safe_file_compat_ioctl : NULL,
			.poll = inner->poll ? safe_file_poll : NULL,
			.llseek = inner->llseek ? safe_file_llseek : NULL,
			.mmap = inner->mmap ? safe_file_mmap : NULL,
			.fasync = inner->fasync ? safe_file_fasync : NULL,
		};

		memcpy((void *)&p->fops, &fops, sizeof(fops));
	}

	/* Drops the open-time fops (ours); the proxy holds inner->owner. */
	replace_fops(f, &p->fops);

	if (!safe_revocable_domain_enter(d, &a))
		ret = -ENODEV;
	else if (inner->open)
		ret = inner->open(inode, f);
	safe_revocable_end(&a);
	if (ret)
		safe_file_unproxy(f);
	return ret;
}

static int safe_misc_open(struct inode *inode, struct file *f)
{
	/* misc_open() leaves the miscdevice in private_data. */
	struct miscdevice *misc = f->private_data;
	struct safe_miscdevice *sm =
		container_of(misc, struct safe_miscdevice, misc);

	return safe_file_open(inode, f, sm->domain, sm->fops);
}

static const struct file_operations safe_misc_fops = {
	.owner = THIS_MODULE,
	.open = safe_misc_open,
};

/**
 * safe_misc_register() - register a misc device with revocable file ops
 * @sm: the device: ->misc filled in except ->fops, ->fops and ->domain set
 *
 * Opens, and every file operation on files already open, fail with
 * -ENODEV once ->domain is revoked; revoking it waits for the calls in
 * flight.  Deregister with safe_misc_deregister() before @sm is freed.
 *
 * Context: process context; may sleep.
 * Return: 0, or the error from misc_register(); -EINVAL if ->fops or
 * ->domain is missing.
 */
int safe_misc_register(struct safe_miscdevice *sm)
{
	if (!sm->fops || !sm->domain)
		return -EINVAL;
	sm->misc.fops = &safe_misc_fops;
	return misc_register(&sm->misc);
}
EXPORT_SYMBOL_GPL(safe_misc_register);

/**
 * safe_misc_deregister() - deregister a misc device
 * @sm: the device
 *
 * Stops new opens.  Files already open keep working until the domain is
 * revoked, and fail with -ENODEV after.
 *
 * Context: process context; may sleep.
 * Return: nothing.
 */
void safe_misc_deregister(struct safe_miscdevice *sm)
{
	misc_deregister(&sm->misc);
}
EXPORT_SYMBOL_GPL(safe_misc_deregister);

static void safe_misc_devm_deregister(void *data)
{
	safe_misc_deregister(data);
}

/**
 * devm_safe_misc_register() - safe_misc_register(), undone at unbind
 * @dev: the device whose unbind deregisters @sm
 * @sm: the misc device
 *
 * Context: process context, typically probe(); may sleep.
 * Return: 0 or a negative errno.
 */
int devm_safe_misc_register(struct device *dev, struct safe_miscdevice *sm)
{
	int ret = safe_misc_register(sm);

	if (ret)
		return ret;
	return devm_add_action_or_reset(dev, safe_misc_devm_deregister, sm);
}
EXPORT_SYMBOL_GPL(devm_safe_misc_register);

/*
 * The cdev's parent kobject is @holder, which frees the whole struct: a
 * cdev drops its parent only after its own last reference, the one an
 * open file holds until __fput() is done with it.
 */
struct safe_cdev {
	struct cdev cdev;
	struct kobject holder;
	const struct file_operations *fops;
	struct safe_revocable_domain *domain;
	void *drvdata;
	bool deleted;
};

static void safe_cdev_free(struct kobject *kobj)
{
	struct safe_cdev *sc = container_of(kobj, struct safe_cdev, holder);

	safe_revocable_domain_put(sc->domain);
	kfree(sc);
}

static const struct kobj_type safe_cdev_ktype = {
	.release = safe_cdev_free,
};

static int safe_cdev_open(struct inode *inode, struct file *f)
{
	struct safe_cdev *sc = container_of(inode->i_cdev, struct safe_cdev,
					    cdev);

	/*
	 * An inode that still caches the cdev (another file is open) opens
	 * it without a lookup, so cdev_del() alone does not stop opens.
	 */
	if (READ_ONCE(sc->deleted))
		return -ENXIO;
	/* As misc drivers find their miscdevice there. */
	f->private_data = sc->drvdata;
	return safe_file_open(inode, f, sc->domain, sc->fops);
}

static const struct file_operations safe_cdev_fops = {
	.owner = THIS_MODULE,
	.open = safe_cdev_open,
};

/**
 * safe_cdev_add() - add a character device with revocable file operations
 * @first: the first device number, from alloc_chrdev_region()
 * @count: how many minors, from @first on
 * @fops: the driver's file operations
 * @d: the revocation domain the calls run in; a reference is taken
 * @drvdata: what the driver's ->open() finds in file->private_data
 *
 * Opens, and every file operation on files already open, fail with
 * -ENODEV once @d is revoked; revoking it waits for the calls in flight.
 * The returned object lives until safe_cdev_del() and the last close of a
 * file opened through it, whichever is later, so the driver may free its
 * own data at unbind while files are still open.
 *
 * Context: process context; may sleep.
 * Return: the device, or ERR_PTR(-EINVAL) if @fops or @d is missing or
 * @count is 0, ERR_PTR(-ENOMEM), or the error from cdev_add().
 */
struct safe_cdev *safe_cdev_add(dev_t first, unsigned int count,
				const struct file_operations *fops,
				struct safe_revocable_domain *d, void *drvdata)
{
	struct safe_cdev *sc;
	int ret;

	if (!fops || !d || !count)
		return ERR_PTR(-EINVAL);
	sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	if (!sc)
		return ERR_PTR(-ENOMEM);
	sc->fops = fops;
	sc->domain = d;
	sc->drvdata = drvdata;
	safe_revocable_domain_get(d);
	kobject_init(&sc->holder, &safe_cdev_ktype);

	cdev_init(&sc->cdev, &safe_cdev_fops);
	sc->cdev.owner = fops->owner;
	cdev_set_parent(&sc->cdev, &sc->holder);
	ret = cdev_add(&sc->cdev, first, count);
	if (ret) {
		/* The cdev took no reference to its parent. */
		kobject_put(&sc->holder);
		return ERR_PTR(ret);
	}
	return sc;
}
EXPORT_SYMBOL_GPL(safe_cdev_add);

/**
 * safe_cdev_del() - remove a character device added by safe_cdev_add()
 * @sc: the device; NULL or an error pointer is ignored
 *
 * Stops new opens (they fail with -ENXIO, as for a device number nobody
 * has added).  Files already open keep working until the domain is
 * revoked, and fail with -ENODEV after; @sc is freed at their last close.
 *
 * Context: process context; may sleep.
 * Return: nothing.
 */
void safe_cdev_del(struct safe_cdev *sc)
{
	if (IS_ERR_OR_NULL(sc))
		return;
	WRITE_ONCE(sc->deleted, true);
	cdev_del(&sc->cdev);
	kobject_put(&sc->holder);
}
EXPORT_SYMBOL_GPL(safe_cdev_del);

static void safe_cdev_devm_del(void *data)
{
	safe_cdev_del(data);
}

/**
 * devm_safe_cdev_add() - safe_cdev_add(), undone at unbind
 * @dev: the device whose unbind removes the character device
 * @first: the first device number
 * @count: how many minors
 * @fops: the driver's file operations
 * @d: the revocation domain the calls run in
 * @drvdata: what the driver's ->open() finds in file->private_data
 *
 * Context: process context, typically probe(); may sleep.
 * Return: the device, or an ERR_PTR() as safe_cdev_add() returns it.
 */
struct safe_cdev *devm_safe_cdev_add(struct device *dev, dev_t first,
				     unsigned int count,
				     const struct file_operations *fops,
				     struct safe_revocable_domain *d,
				     void *drvdata)
{
	struct safe_cdev *sc = safe_cdev_add(first, count, fops, d, drvdata);
	int ret;

	if (IS_ERR(sc))
		return sc;
	ret = devm_add_action_or_reset(dev, safe_cdev_devm_del, sc);
	return ret ? ERR_PTR(ret) : sc;
}
EXPORT_SYMBOL_GPL(devm_safe_cdev_add);
