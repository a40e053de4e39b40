// SPDX-License-Identifier: GPL-2.0
/*
 * The lock of lock-bound data left held on an error path: the early
 * return skips the unlock.  A guard() would not; plain lock/unlock code
 * needs Clang's context analysis to see it.
 */
// expect-ca: mutex 'd->count.lock' is (not held on every path|still held at the end of function)
#include <linux/safe/locked.h>

struct cf_dev {
	SAFE_DECLARE_LOCKED(struct mutex, int, count);
};

int cf_lock_left_held(struct cf_dev *d, int limit);

int cf_lock_left_held(struct cf_dev *d, int limit)
{
	int *n;

	mutex_lock(&d->count.lock);
	n = safe_locked_get(&d->count);
	if (*n >= limit) {
#ifdef SAFE_CF_CONTROL
		mutex_unlock(&d->count.lock);
#endif
		return -EBUSY;
	}
	++*n;
	mutex_unlock(&d->count.lock);
	return 0;
}
