/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by safe's KUnit suites.
 */
#ifndef _SAFE_TESTUTIL_H
#define _SAFE_TESTUTIL_H

#include <linux/types.h>

/*
 * Write @val to /sys/kernel/debug/@path, or read up to @len bytes of it into
 * @buf (NUL-terminated).  Works before userspace exists: the helpers mount
 * their own instance of debugfs.
 */
int safe_test_debugfs_write(const char *path, const char *val);
ssize_t safe_test_debugfs_read(const char *path, char *buf, size_t len);

#endif /* _SAFE_TESTUTIL_H */
