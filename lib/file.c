// SPDX-License-Identifier: GPL-2.0
/*
 * Revocable file operations for misc and character devices.
 *
 * Each registration gets one proxy file_operations, built once from the
 * driver's table and never written again: every member the driver sets
 * is set in the proxy, to a function that enters the device's revocation
 * domain around the driver's own, so the VFS sees exactly the members the
 * driver has.  file->f_op points into the proxy, so every call finds its
 * domain without touching file->private_data, which stays the driver's.
 *
 * User memory never stalls an access: the proxy faults in the user range
 * a call names (the read or write buffer, the ioctl argument that the
 * command encodes) before it enters the domain, and runs the driver's
 * function with page faults disabled.  A stalled fault (userfaultfd, FUSE)
 * then stalls the caller outside the access, and unbind goes on.
 */
#include <linux/cdev.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/poll.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/safe/guard.h>
#include <linux/safe/file.h>
#include <linux/export.h>
#include "internal.h"

#include "compat.h"

/*
 * The largest user range one call faults in: a longer read or write of
 * user memory reaches the driver cut to it, and returns short.
 */
#define SAFE_FILE_PREFAULT_MAX	SZ_1M

/**
 * struct safe_file_proxy - what files opened through one registration share
 * @fops: the proxy table; read-only once the registration is published
 * @inner: the driver's table
 * @ioctl_prefault: the driver's hook that faults in what an ioctl reaches
 * @domain: the domain the calls run in; referenced while @users is not 0
 * @drain: the resource in @domain that turns notification off at
 *	revocation, or NULL
 * @users: kref; the registration and every open file hold one
 * @ref: kref on the memory; the users (together) and @drain hold one
 * @fasync_lock: serialises ->fasync with the drain at revocation
 * @fasync_files: files whose asynchronous notification is on
 *
 * The domain holds the proxy through @drain, so the proxy holds the
 * domain only while it has users: neither keeps the other alive after.
 */
struct safe_file_proxy {
	const struct file_operations fops;
	const struct file_operations *inner;
	int (*ioctl_prefault)(unsigned int cmd, unsigned long arg);
	struct safe_revocable_domain *domain;
	struct safe_revocable *drain;
	struct kref users;
	struct kref ref;
	struct mutex fasync_lock;	/* see above */
	struct list_head fasync_files;
};

struct safe_fasync_file {
	struct list_head node;
	struct file *file;
};

/*
 * Where file->f_op goes once the proxy may be gone.  Its owner is this
 * code's own module, so the final fops_put() in __fput() keeps this code
 * loaded until the VFS is done with the file.
 */
static const struct file_operations safe_file_closed_fops = {
	.owner = THIS_MODULE,
};

static struct safe_file_proxy *safe_proxy(struct file *f)
{
	return container_of(f->f_op, struct safe_file_proxy, fops);
}

static void safe_file_proxy_free(struct kref *ref)
{
	struct safe_file_proxy *p = container_of(ref, struct safe_file_proxy,
						 ref);

	WARN_ON(!list_empty(&p->fasync_files));
	mutex_destroy(&p->fasync_lock);
	kfree(p);
}

static void safe_file_proxy_put(struct safe_file_proxy *p)
{
	if (p)
		kref_put(&p->ref, safe_file_proxy_free);
}

/*
 * The registration is gone and no file is open, so no call can enter the
 * domain through @p any more, and no file is on the drain's list: take
 * the drain out of the domain and drop the domain.  Detached, not
 * revoked: no access ever loads the drain, so there is no grace period to
 * wait for, and a revocation's would wait for every sleeper in the domain
 * (unbind deregisters the nodes before it revokes the domain, which is
 * what wakes them).  A drain that the domain's revocation has taken
 * already keeps its reference until that revocation releases it.
 */
static void safe_file_proxy_unused(struct kref *users)
{
	struct safe_file_proxy *p = container_of(users, struct safe_file_proxy,
						 users);

	if (p->drain && safe_revocable_detach(p->drain))
		safe_file_proxy_put(p);		/* the drain's */
	safe_revocable_domain_put(p->domain);
	safe_file_proxy_put(p);
}

/* Drop a user's reference.  Context: process context; may sleep. */
static void safe_file_proxy_unuse(struct safe_file_proxy *p)
{
	if (p)
		kref_put(&p->users, safe_file_proxy_unused);
}

/*
 * Run @call inside the file's domain, page faults disabled; @gone when
 * the domain is revoked.
 */
#define SAFE_FILE_CALL(f, gone, call)					\
	({								\
		struct safe_file_proxy *__p = safe_proxy(f);		\
		struct safe_revocable_access __a;			\
		typeof(call) __ret = (gone);				\
									\
		if (safe_revocable_domain_enter(__p->domain, &__a)) {	\
			pagefault_disable();				\
			__ret = (call);					\
			pagefault_enable();				\
		}							\
		safe_revocable_end(&__a);				\
		__ret;							\
	})

#define inner_of(f)	(safe_proxy(f)->inner)

/*
 * Fault in up to SAFE_FILE_PREFAULT_MAX bytes at @ubuf; the length the
 * driver gets, or -EFAULT when nothing is there.  A range that is mapped
 * only in part is not cut to that part: the driver's copy fails on the
 * rest, as it would without safe.  A task without a user address space (a
 * kthread) has nothing to fault in: its copies fail inside, as they would
 * without safe.
 */
static ssize_t safe_file_prefault(const void __user *ubuf, size_t len,
				  bool write)
{
	size_t left;

	if (!current->mm)
		return len;
	len = min_t(size_t, len, SAFE_FILE_PREFAULT_MAX);
	left = write ? fault_in_safe_writeable(ubuf, len) :
		       fault_in_readable(ubuf, len);
	if (len && left == len)
		return -EFAULT;
	return len;
}

static ssize_t safe_file_read(struct file *f, char __user *buf, size_t len,
			      loff_t *pos)
{
	ssize_t n = safe_file_prefault(buf, len, true);

	if (n < 0)
		return n;
	return SAFE_FILE_CALL(f, (ssize_t)-ENODEV,
			      inner_of(f)->read(f, buf, n, pos));
}

static ssize_t safe_file_write(struct file *f, const char __user *buf,
			       size_t len, loff_t *pos)
{
	ssize_t n = safe_file_prefault(buf, len, false);

	if (n < 0)
		return n;
	return SAFE_FILE_CALL(f, (ssize_t)-ENODEV,
			      inner_of(f)->write(f, buf, n, pos));
}

/*
 * As safe_file_prefault(), for an iterator.  A kernel one (kernel_write(),
 * splice, a bvec) has nothing to fault in and keeps its length.
 */
static int safe_file_prefault_iter(struct iov_iter *i, bool write)
{
	size_t len, left;

	if (!user_backed_iter(i) || !current->mm)
		return 0;
	len = min_t(size_t, iov_iter_count(i), SAFE_FILE_PREFAULT_MAX);
	left = write ? fault_in_iov_iter_writeable(i, len) :
		       fault_in_iov_iter_readable(i, len);
	if (len && left == len)
		return -EFAULT;
	iov_iter_truncate(i, len);
	return 0;
}

static ssize_t safe_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct file *f = iocb->ki_filp;
	int ret = safe_file_prefault_iter(to, true);

	if (ret)
		return ret;
	return SAFE_FILE_CALL(f, (ssize_t)-ENODEV,
			      inner_of(f)->read_iter(iocb, to));
}

static ssize_t safe_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *f = iocb->ki_filp;
	int ret = safe_file_prefault_iter(from, false);

	if (ret)
		return ret;
	return SAFE_FILE_CALL(f, (ssize_t)-ENODEV,
			      inner_of(f)->write_iter(iocb, from));
}

/*
 * The argument the command encodes, if any, then what the driver's
 * ->ioctl_prefault names.  A failure of the first is left for the driver
 * to report (the argument may not be a pointer at all).
 */
static int safe_file_prefault_ioctl(struct file *f, unsigned int cmd,
				    unsigned long arg, void __user *uarg)
{
	struct safe_file_proxy *p = safe_proxy(f);
	int (*prefault)(unsigned int cmd, unsigned long arg);
	size_t size = _IOC_SIZE(cmd);

	/*
	 * Called again from inside a call of ours: a compat handler such as
	 * compat_ptr_ioctl() calling ->unlocked_ioctl of the same file.  The
	 * outer call has prefaulted; a fault here could sleep in the access.
	 */
	if (pagefault_disabled())
		return 0;
	if (size && _IOC_DIR(cmd) != _IOC_NONE)
		safe_file_prefault(uarg, size, _IOC_DIR(cmd) & _IOC_READ);
	prefault = READ_ONCE(p->ioctl_prefault);
	return prefault ? prefault(cmd, arg) : 0;
}

static long safe_file_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	int ret = safe_file_prefault_ioctl(f, cmd, arg, (void __user *)arg);

	if (ret)
		return ret;
	return SAFE_FILE_CALL(f, -ENODEV, inner_of(f)->unlocked_ioctl(f, cmd, arg));
}

static long safe_file_compat_ioctl(struct file *f, unsigned int cmd,
				   unsigned long arg)
{
	int ret = safe_file_prefault_ioctl(f, cmd, arg, compat_ptr(arg));

	if (ret)
		return ret;
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

#ifdef SAFE_HAVE_MMAP_PREPARE
/*
 * What the kernel does after ->mmap_prepare has returned (the desc's
 * action: a PFN remap, the driver's pages mapped; vm_ops->mapped) runs
 * outside the access, where an unbind may have freed what it names, and a
 * mapping made after the unbind escapes the driver's zap.  Refused: map in
 * the hook itself, or fault pages in through vm_ops->fault.
 */
static int safe_file_mmap_prepare_inner(struct vm_area_desc *desc)
{
	const struct file_operations *inner = inner_of(desc->file);
	int ret = inner->mmap_prepare(desc);

	if (ret)
		return ret;
	if (desc->action.type != MMAP_NOTHING ||
	    (desc->vm_ops && desc->vm_ops->mapped)) {
		pr_warn_once("safe: %ps: an mmap action or vm_ops->mapped would run outside the device's access; mapping refused (nothing the hook set up is undone)\n",
			     inner->mmap_prepare);
		return -EINVAL;
	}
	return 0;
}

static int safe_file_mmap_prepare(struct vm_area_desc *desc)
{
	struct file *f = desc->file;

	return SAFE_FILE_CALL(f, -ENODEV, safe_file_mmap_prepare_inner(desc));
}
#endif

/* Nothing to flush on a dead device; close goes on. */
static int safe_file_flush(struct file *f, fl_owner_t id)
{
	return SAFE_FILE_CALL(f, 0, inner_of(f)->flush(f, id));
}

static int safe_file_fsync(struct file *f, loff_t start, loff_t end,
			   int datasync)
{
	return SAFE_FILE_CALL(f, -ENODEV,
			      inner_of(f)->fsync(f, start, end, datasync));
}

static unsigned long safe_file_get_unmapped_area(struct file *f,
						 unsigned long addr,
						 unsigned long len,
						 unsigned long pgoff,
						 unsigned long flags)
{
	return SAFE_FILE_CALL(f, (unsigned long)-ENODEV,
			      inner_of(f)->get_unmapped_area(f, addr, len,
							     pgoff, flags));
}

static ssize_t safe_file_splice_read(struct file *f, loff_t *pos,
				     struct pipe_inode_info *pipe, size_t len,
				     unsigned int flags)
{
	return SAFE_FILE_CALL(f, (ssize_t)-ENODEV,
			      inner_of(f)->splice_read(f, pos, pipe, len,
						       flags));
}

static void safe_file_splice_eof(struct file *f)
{
	struct safe_revocable_access a;

	if (safe_revocable_domain_enter(safe_proxy(f)->domain, &a))
		inner_of(f)->splice_eof(f);
	safe_revocable_end(&a);
}

static void safe_file_show_fdinfo(struct seq_file *m, struct file *f)
{
	struct safe_revocable_access a;

	if (safe_revocable_domain_enter(safe_proxy(f)->domain, &a))
		inner_of(f)->show_fdinfo(m, f);
	safe_revocable_end(&a);
}

static struct safe_fasync_file *safe_fasync_find(struct safe_file_proxy *p,
						 struct file *f)
{
	struct safe_fasync_file *n;

	lockdep_assert_held(&p->fasync_lock);
	list_for_each_entry(n, &p->fasync_files, node)
		if (n->file == f)
			return n;
	return NULL;
}

/*
 * The driver's ->fasync keeps an entry for the file on a list in its own
 * data, which unbind frees; the final fput() calls ->fasync(-1, f, 0)
 * whenever that is.  So safe records which files turned it on, and the
 * revocation turns it off for each of them while the data is still there.
 * A file on the list means its entry, and the driver's data, are alive.
 */
static int safe_file_fasync(int fd, struct file *f, int on)
{
	struct safe_file_proxy *p = safe_proxy(f);
	struct safe_fasync_file *n __free(kfree) = NULL;
	struct safe_fasync_file *listed;
	struct safe_revocable_access a;
	int ret;

	if (on) {
		n = kzalloc(sizeof(*n), GFP_KERNEL);
		if (!n)
			return -ENOMEM;
		n->file = f;
	}

	guard(mutex)(&p->fasync_lock);
	listed = safe_fasync_find(p, f);
	if (!on) {
		/* Never on, or the revocation turned it off already. */
		if (!listed)
			return 0;
		ret = p->inner->fasync(fd, f, 0);
		list_del(&listed->node);
		kfree(listed);
		return ret;
	}

	ret = -ENODEV;
	if (safe_revocable_domain_enter(p->domain, &a))
		ret = p->inner->fasync(fd, f, 1);
	safe_revocable_end(&a);
	if (ret >= 0 && !listed)
		list_add_tail(&no_free_ptr(n)->node, &p->fasync_files);
	return ret;
}

/*
 * A resource of the domain.  Its quiesce step turns notification off:
 * the queue may live in a resource created after the registration, which
 * the teardown releases before this one, and quiesce steps run before
 * any release.
 */
static void safe_file_fasync_drain(void *data)
{
	struct safe_file_proxy *p = data;
	struct safe_fasync_file *n, *tmp;

	scoped_guard(mutex, &p->fasync_lock) {
		list_for_each_entry_safe(n, tmp, &p->fasync_files, node) {
			p->inner->fasync(-1, n->file, 0);
			list_del(&n->node);
			kfree(n);
		}
	}
}

static void safe_file_fasync_put(void *data)
{
	safe_file_proxy_put(data);
}

/* Point @f back at the closed fops and drop its proxy reference. */
static void safe_file_unproxy(struct file *f, struct safe_file_proxy *p)
{
	/* Cannot fail: an open file of ours pins this module already. */
	__module_get(THIS_MODULE);
	replace_fops(f, &safe_file_closed_fops);
	safe_file_proxy_unuse(p);
}

/*
 * ->release runs whether or not the device is still there, outside any
 * access, so it must only free what the file itself owns.
 */
static int safe_file_release(struct inode *inode, struct file *f)
{
	struct safe_file_proxy *p = safe_proxy(f);
	struct safe_fasync_file *n;
	int ret = 0;

	/*
	 * Still listed: notification is on although __fput() saw FASYNC
	 * clear (an F_SETFL racing FIOASYNC) and skipped ->fasync.  The
	 * drain has not run and waits for this lock, so the driver's queue
	 * is there: take the file off it before ->release frees anything.
	 */
	scoped_guard(mutex, &p->fasync_lock) {
		n = safe_fasync_find(p, f);
		if (n) {
			p->inner->fasync(-1, f, 0);
			list_del(&n->node);
		}
	}
	kfree(n);
	if (p->inner->release)
		ret = p->inner->release(inode, f);
	safe_file_unproxy(f, p);
	return ret;
}

static int safe_file_open(struct inode *inode, struct file *f,
			  struct safe_file_proxy *p)
{
	const struct file_operations *inner = p->inner;
	struct safe_revocable_access a;
	int ret = 0;

	if (!try_module_get(inner->owner))
		return -ENODEV;
	kref_get(&p->users);
	/* Drops the open-time fops (ours); p->fops holds inner->owner. */
	replace_fops(f, &p->fops);

	if (!safe_revocable_domain_enter(p->domain, &a))
		ret = -ENODEV;
	else if (inner->open)
		ret = inner->open(inode, f);
	safe_revocable_end(&a);

	if (!ret && f->f_op != &p->fops) {
		/*
		 * The driver's ->open replaced f_op (and put ours): its
		 * calls would bypass the domain.  Undo its open and refuse.
		 */
		pr_err("safe: %ps: ->open replaced the file operations; a protected device cannot switch tables\n",
		       inner->open);
		if (f->f_op->release)
			f->f_op->release(inode, f);
		safe_file_proxy_unuse(p);
		return -EINVAL;
	}
	if (ret)
		safe_file_unproxy(f, p);
	return ret;
}

/* The first member of @inner that safe does not forward, or NULL. */
static const char *safe_file_refused(const struct file_operations *inner)
{
	if (inner->iopoll)
		return "iopoll";
	if (inner->iterate_shared)
		return "iterate_shared";
	/*
	 * A blocking lock request, or a splice that waits for data in a
	 * pipe, would wait inside the access for as long as another process
	 * likes, and unbind with it (F2).  Without ->lock and ->flock the VFS
	 * locks by itself, outside the driver; iter_file_splice_write() waits
	 * for the pipe on its own and enters the domain per ->write_iter.
	 */
	if (inner->lock)
		return "lock";
	if (inner->flock)
		return "flock";
	if (inner->splice_write && (inner->splice_write != iter_file_splice_write ||
				    !inner->write_iter))
		return "splice_write (other than iter_file_splice_write with write_iter)";
	if (inner->setlease)
		return "setlease";
	if (inner->fallocate)
		return "fallocate";
	if (inner->copy_file_range)
		return "copy_file_range";
	if (inner->remap_file_range)
		return "remap_file_range";
	if (inner->fadvise)
		return "fadvise";
	/* Completes asynchronously, outside any access of safe's. */
	if (inner->uring_cmd)
		return "uring_cmd";
	if (inner->uring_cmd_iopoll)
		return "uring_cmd_iopoll";
	return NULL;
}

/*
 * Every member this code knows, forwarded or refused, set to all ones.  A
 * byte of a driver's table that is set where this one is zero belongs to
 * a member safe does not know (a newer kernel's, or one of an older
 * kernel's that it refuses without naming).
 */
#define SAFE_KNOWN	((void *)-1L)
static const struct file_operations safe_file_known = {
	.owner = SAFE_KNOWN,
	SAFE_FOPS_FLAGS_KNOWN
	SAFE_FOPS_MMAP_PREPARE_KNOWN
	.llseek = SAFE_KNOWN,
	.read = SAFE_KNOWN,
	.write = SAFE_KNOWN,
	.read_iter = SAFE_KNOWN,
	.write_iter = SAFE_KNOWN,
	.iopoll = SAFE_KNOWN,
	.iterate_shared = SAFE_KNOWN,
	.poll = SAFE_KNOWN,
	.unlocked_ioctl = SAFE_KNOWN,
	.compat_ioctl = SAFE_KNOWN,
	.mmap = SAFE_KNOWN,
	.open = SAFE_KNOWN,
	.flush = SAFE_KNOWN,
	.release = SAFE_KNOWN,
	.fsync = SAFE_KNOWN,
	.fasync = SAFE_KNOWN,
	.lock = SAFE_KNOWN,
	.get_unmapped_area = SAFE_KNOWN,
	.check_flags = SAFE_KNOWN,
	.flock = SAFE_KNOWN,
	.splice_write = SAFE_KNOWN,
	.splice_read = SAFE_KNOWN,
	.splice_eof = SAFE_KNOWN,
	.setlease = SAFE_KNOWN,
	.fallocate = SAFE_KNOWN,
	.show_fdinfo = SAFE_KNOWN,
	.copy_file_range = SAFE_KNOWN,
	.remap_file_range = SAFE_KNOWN,
	.fadvise = SAFE_KNOWN,
	.uring_cmd = SAFE_KNOWN,
	.uring_cmd_iopoll = SAFE_KNOWN,
};

static bool safe_file_unknown(const struct file_operations *inner)
{
	const u8 *set = (const u8 *)inner;
	const u8 *known = (const u8 *)&safe_file_known;
	size_t i;

	for (i = 0; i < sizeof(*inner); i++)
		if (set[i] & ~known[i])
			return true;
	return false;
}

/*
 * The proxy table: every member the driver sets is set, to the function
 * that forwards it; ->release always, for safe's own bookkeeping; ->open
 * never, since only the open-time table's ->open is called.
 */
static void safe_file_build(struct safe_file_proxy *p,
			    const struct file_operations *inner)
{
	const struct file_operations fops = {
		.owner = inner->owner,
		SAFE_FOPS_FLAGS_INIT(inner)
		.llseek = inner->llseek ? safe_file_llseek : NULL,
		.read = inner->read ? safe_file_read : NULL,
		.write = inner->write ? safe_file_write : NULL,
		.read_iter = inner->read_iter ? safe_file_read_iter : NULL,
		.write_iter = inner->write_iter ? safe_file_write_iter : NULL,
		.poll = inner->poll ? safe_file_poll : NULL,
		.unlocked_ioctl = inner->unlocked_ioctl ? safe_file_ioctl : NULL,
		.compat_ioctl = inner->compat_ioctl ? safe_file_compat_ioctl : NULL,
		.mmap = inner->mmap ? safe_file_mmap : NULL,
		.flush = inner->flush ? safe_file_flush : NULL,
		.release = safe_file_release,
		.fsync = inner->fsync ? safe_file_fsync : NULL,
		.fasync = inner->fasync ? safe_file_fasync : NULL,
		.get_unmapped_area = inner->get_unmapped_area ? safe_file_get_unmapped_area : NULL,
		/* Takes no file; the open file pins the driver's module. */
		.check_flags = inner->check_flags,
		/* Calls ->write_iter above, one access per chunk. */
		.splice_write = inner->splice_write,
		.splice_read = inner->splice_read ? safe_file_splice_read : NULL,
		.splice_eof = inner->splice_eof ? safe_file_splice_eof : NULL,
		.show_fdinfo = inner->show_fdinfo ? safe_file_show_fdinfo : NULL,
		SAFE_FOPS_MMAP_PREPARE_INIT
	};

	memcpy((void *)&p->fops, &fops, sizeof(fops));
}

/*
 * The proxy of one registration.  With ->fasync, a resource in @d turns
 * notification off for every file at revocation.
 */
static struct safe_file_proxy *
safe_file_proxy_new(const struct file_operations *inner,
		    struct safe_revocable_domain *d)
{
	struct safe_file_proxy *p;
	struct safe_revocable *r;
	int ret;

	if (!inner || IS_ERR_OR_NULL(d))
		return ERR_PTR(-EINVAL);
	/* Every open would fail: no device node for that. */
	if (safe_revocable_domain_dead(d))
		return ERR_PTR(-ENODEV);
	ret = safe_lib_init();
	if (ret)
		return ERR_PTR(ret);
	if (safe_file_refused(inner)) {
		pr_err("safe: %ps: file operation .%s is not supported by protected files\n",
		       inner, safe_file_refused(inner));
		return ERR_PTR(-EINVAL);
	}
	if (safe_file_unknown(inner)) {
		pr_err("safe: %ps: file_operations has a member this version of safe does not know; it would be dropped\n",
		       inner);
		return ERR_PTR(-EINVAL);
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	safe_file_build(p, inner);
	p->inner = inner;
	p->domain = d;
	safe_revocable_domain_get(d);
	kref_init(&p->users);		/* the registration */
	kref_init(&p->ref);		/* the users */
	mutex_init(&p->fasync_lock);
	INIT_LIST_HEAD(&p->fasync_files);

	if (inner->fasync) {
		kref_get(&p->ref);	/* the drain */
		r = safe_revocable_create_quiesced(d, p, safe_file_fasync_drain,
						   safe_file_fasync_put);
		if (IS_ERR(r)) {
			kref_put(&p->ref, safe_file_proxy_free);
			safe_file_proxy_unuse(p);
			return ERR_CAST(r);
		}
		p->drain = r;
	}
	return p;
}

static int safe_misc_open(struct inode *inode, struct file *f)
{
	/* misc_open() leaves the miscdevice in private_data. */
	struct miscdevice *misc = f->private_data;
	struct safe_miscdevice *sm =
		container_of(misc, struct safe_miscdevice, misc);

	return safe_file_open(inode, f, sm->proxy);
}

static const struct file_operations safe_misc_fops = {
	.owner = THIS_MODULE,
	.open = safe_misc_open,
};

/**
 * safe_misc_register() - register a misc device with revocable file ops
 * @sm: the device: ->misc filled in except ->fops, ->fops and ->domain set,
 *	->ioctl_prefault if the driver's ioctls pass pointers inside their
 *	argument
 *
 * Opens, and every file operation on files already open, fail with
 * -ENODEV once ->domain is revoked; revoking it waits for the calls in
 * flight.  Every member of ->fops is forwarded (->release always runs,
 * outside the domain); one safe cannot forward is refused with an error
 * that names it.  Deregister with safe_misc_deregister() before @sm is
 * freed.
 *
 * Context: process context; may sleep.
 * Return: 0, or the error from misc_register(); -EINVAL if ->fops or
 * ->domain is missing or ->fops has a member safe cannot forward;
 * -ENODEV if ->domain is revoked; -ENOMEM.
 */
int safe_misc_register(struct safe_miscdevice *sm)
{
	struct safe_file_proxy *p;
	int ret;

	p = safe_file_proxy_new(sm->fops, sm->domain);
	if (IS_ERR(p))
		return PTR_ERR(p);
	p->ioctl_prefault = sm->ioctl_prefault;
	sm->proxy = p;
	sm->misc.fops = &safe_misc_fops;
	ret = misc_register(&sm->misc);
	if (ret) {
		sm->proxy = NULL;
		safe_file_proxy_unuse(p);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(safe_misc_register);

/**
 * safe_misc_deregister() - deregister a misc device
 * @sm: the device
 *
 * Stops new opens.  Files already open keep working until the domain is
 * revoked, and fail with -ENODEV after.  A device that is not registered
 * (never, not successfully, or deregistered already) is ignored.
 *
 * Context: process context; may sleep.
 * Return: nothing.
 */
void safe_misc_deregister(struct safe_miscdevice *sm)
{
	if (!sm || !sm->proxy)
		return;
	misc_deregister(&sm->misc);
	safe_file_proxy_unuse(sm->proxy);
	sm->proxy = NULL;
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
 * Return: 0 or a negative errno, as safe_misc_register().
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
	struct safe_file_proxy *proxy;
	void *drvdata;
	bool deleted;
};

static void safe_cdev_free(struct kobject *kobj)
{
	struct safe_cdev *sc = container_of(kobj, struct safe_cdev, holder);

	safe_file_proxy_unuse(sc->proxy);
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
	return safe_file_open(inode, f, sc->proxy);
}

static const struct file_operations safe_cdev_fops = {
	.owner = THIS_MODULE,
	.open = safe_cdev_open,
};

/**
 * safe_cdev_add() - add a character device with revocable file operations
 * @first: the first device number, from alloc_chrdev_region()
 * @count: how many minors, from @first on
 * @fops: the driver's file operations, forwarded as by safe_misc_register()
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
 * Return: the device, or ERR_PTR(-EINVAL) if @fops or @d is missing, @fops
 * has a member safe cannot forward, or @count is 0; ERR_PTR(-ENODEV) if
 * @d is revoked; ERR_PTR(-ENOMEM); or the error from cdev_add().
 */
struct safe_cdev *safe_cdev_add(dev_t first, unsigned int count,
				const struct file_operations *fops,
				struct safe_revocable_domain *d, void *drvdata)
{
	struct safe_file_proxy *p;
	struct safe_cdev *sc;
	int ret;

	if (!count)
		return ERR_PTR(-EINVAL);
	p = safe_file_proxy_new(fops, d);
	if (IS_ERR(p))
		return ERR_CAST(p);
	sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	if (!sc) {
		safe_file_proxy_unuse(p);
		return ERR_PTR(-ENOMEM);
	}
	sc->proxy = p;
	sc->drvdata = drvdata;
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
 * Call it once per safe_cdev_add(), as cdev_del(): @sc may be freed when
 * it returns.  A device from devm_safe_cdev_add() may also be removed
 * here, before unbind; the devres action then does nothing.
 *
 * Context: process context; may sleep.
 * Return: nothing.
 */
void safe_cdev_del(struct safe_cdev *sc)
{
	/* The devres action's call after the driver's own. */
	if (IS_ERR_OR_NULL(sc) || READ_ONCE(sc->deleted))
		return;
	WRITE_ONCE(sc->deleted, true);
	cdev_del(&sc->cdev);
	kobject_put(&sc->holder);
}
EXPORT_SYMBOL_GPL(safe_cdev_del);

/**
 * safe_cdev_set_ioctl_prefault() - fault in what a cdev's ioctls reach
 * @sc: the device, from safe_cdev_add(); NULL or an error pointer is
 *	ignored
 * @prefault: the driver's hook, as &safe_miscdevice.ioctl_prefault
 *	describes it; NULL removes it
 *
 * Memory an ioctl reaches through pointers inside its argument is not
 * faulted in by safe: the driver's ioctl runs with page faults disabled,
 * and a copy through such a pointer fails with -EFAULT when the memory is
 * not resident.  @prefault runs before ->unlocked_ioctl and ->compat_ioctl,
 * outside the domain, and faults that memory in.  Set it right after
 * safe_cdev_add(), before the device node is announced (device_create()):
 * a call that comes earlier runs without it.
 *
 * Context: process context.
 * Return: nothing.
 */
void safe_cdev_set_ioctl_prefault(struct safe_cdev *sc,
				  int (*prefault)(unsigned int cmd,
						  unsigned long arg))
{
	if (!IS_ERR_OR_NULL(sc))
		WRITE_ONCE(sc->proxy->ioctl_prefault, prefault);
}
EXPORT_SYMBOL_GPL(safe_cdev_set_ioctl_prefault);

/*
 * The devres action holds a reference of its own, so that a driver that
 * also calls safe_cdev_del() in remove() leaves it something to look at.
 */
static void safe_cdev_devm_del(void *data)
{
	struct safe_cdev *sc = data;

	safe_cdev_del(sc);
	kobject_put(&sc->holder);
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
	kobject_get(&sc->holder);
	ret = devm_add_action_or_reset(dev, safe_cdev_devm_del, sc);
	return ret ? ERR_PTR(ret) : sc;
}
EXPORT_SYMBOL_GPL(devm_safe_cdev_add);
