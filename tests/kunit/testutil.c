// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by safe's KUnit suites.
 */
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "testutil.h"

/* Open @path inside a private mount of the filesystem @fs. */
static struct file *fs_open(const char *fs, const char *path, int flags)
{
	struct file_system_type *type = get_fs_type(fs);
	struct vfsmount *mnt;
	struct file *f;

	if (!type)
		return ERR_PTR(-ENODEV);
	mnt = vfs_kern_mount(type, 0, fs, NULL);
	if (IS_ERR(mnt))
		return ERR_CAST(mnt);
	f = file_open_root_mnt(mnt, path, flags, 0);
	/* An open file pins its mount. */
	mntput(mnt);
	return f;
}

static struct file *debugfs_open(const char *path, int flags)
{
	return fs_open("debugfs", path, flags);
}

struct file *safe_test_dev_open(const char *name, int flags)
{
	return fs_open("devtmpfs", name, flags);
}

/*
 * Some debugfs files (kmemleak's among them) only implement ->read() and
 * ->write() with user pointers.  Give this kthread a throwaway mm, as
 * KUnit's own kunit_vm_mmap() does on newer kernels, and pass the data
 * through a user page.
 */
int safe_test_user_page_get(struct user_page *u)
{
	if (current->mm)
		return -EBUSY;
	u->mm = mm_alloc();
	if (!u->mm)
		return -ENOMEM;
	u->mm->task_size = TASK_SIZE;
	arch_pick_mmap_layout(u->mm, &current->signal->rlim[RLIMIT_STACK]);
	kthread_use_mm(u->mm);
	u->addr = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			  MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(u->addr)) {
		kthread_unuse_mm(u->mm);
		mmput(u->mm);
		return (long)u->addr;
	}
	return 0;
}

void safe_test_user_page_put(struct user_page *u)
{
	vm_munmap(u->addr, PAGE_SIZE);
	kthread_unuse_mm(u->mm);
	mmput(u->mm);
}

int safe_test_debugfs_write(const char *path, const char *val)
{
	struct file *f = debugfs_open(path, O_WRONLY);
	size_t len = strlen(val);
	struct user_page u;
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	if (f->f_op->write_iter) {
		n = kernel_write(f, val, len, &pos);
	} else if (!f->f_op->write || len > PAGE_SIZE) {
		n = -EINVAL;
	} else {
		n = safe_test_user_page_get(&u);
		if (!n) {
			if (copy_to_user((void __user *)u.addr, val, len))
				n = -EFAULT;
			else
				n = f->f_op->write(f, (const char __user *)u.addr,
						   len, &pos);
			safe_test_user_page_put(&u);
		}
	}
	fput(f);
	if (n >= 0 && n != len)
		return -EIO;
	return n < 0 ? n : 0;
}

ssize_t safe_test_debugfs_read(const char *path, char *buf, size_t len)
{
	struct file *f = debugfs_open(path, O_RDONLY);
	bool via_user = false;
	struct user_page u;
	size_t total = 0;
	loff_t pos = 0;
	ssize_t n = 0;

	if (IS_ERR(f))
		return PTR_ERR(f);
	if (!f->f_op->read_iter) {
		if (!f->f_op->read) {
			fput(f);
			return -EINVAL;
		}
		n = safe_test_user_page_get(&u);
		if (n) {
			fput(f);
			return n;
		}
		via_user = true;
	}
	while (total + 1 < len) {
		size_t chunk = min_t(size_t, len - 1 - total, PAGE_SIZE);

		if (!via_user) {
			n = kernel_read(f, buf + total, chunk, &pos);
		} else {
			n = f->f_op->read(f, (char __user *)u.addr, chunk, &pos);
			if (n > 0 && copy_from_user(buf + total,
						    (const char __user *)u.addr, n))
				n = -EFAULT;
		}
		if (n <= 0)
			break;
		total += n;
	}
	if (via_user)
		safe_test_user_page_put(&u);
	fput(f);
	buf[total] = '\0';
	return n < 0 ? n : total;
}

ssize_t safe_test_file_read(struct file *f, char *buf, size_t len)
{
	struct user_page u;
	loff_t pos = 0;
	ssize_t n;

	if (len > PAGE_SIZE)
		return -EINVAL;
	n = safe_test_user_page_get(&u);
	if (n)
		return n;
	n = vfs_read(f, (char __user *)u.addr, len, &pos);
	if (n > 0 && copy_from_user(buf, (const char __user *)u.addr, n))
		n = -EFAULT;
	safe_test_user_page_put(&u);
	return n;
}

MODULE_DESCRIPTION("Helpers shared by safe's KUnit suites");
MODULE_LICENSE("GPL");
