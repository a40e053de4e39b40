/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by safe's KUnit suites.
 */
#ifndef _SAFE_TESTUTIL_H
#define _SAFE_TESTUTIL_H

#include <linux/types.h>

struct file;
struct mm_struct;

/*
 * Write @val to /sys/kernel/debug/@path, or read up to @len bytes of it into
 * @buf (NUL-terminated).  Works before userspace exists: the helpers mount
 * their own instance of debugfs.
 */
int safe_test_debugfs_write(const char *path, const char *val);
ssize_t safe_test_debugfs_read(const char *path, char *buf, size_t len);

/*
 * A throwaway user address space for this kthread with one page mapped at
 * ->addr, so code that wants user pointers can be called from a test.
 */
struct user_page {
	struct mm_struct *mm;
	unsigned long addr;
};

int safe_test_user_page_get(struct user_page *u);
void safe_test_user_page_put(struct user_page *u);

/* Open /dev/@name through a private devtmpfs mount. */
struct file *safe_test_dev_open(const char *name, int flags);

/* read(2) on @f into @buf, through a user page. */
ssize_t safe_test_file_read(struct file *f, char *buf, size_t len);

#endif /* _SAFE_TESTUTIL_H */
