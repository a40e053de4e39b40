// SPDX-License-Identifier: GPL-2.0
/*
 * An unbalanced conditional acquisition: a failed trylock is logged, and
 * the code goes on to touch the lock-bound data and unlock as if it held
 * the lock.  ACQUIRE(mutex_try, ...) with ACQUIRE_ERR() is the form that
 * cannot get this wrong; Clang's context analysis catches the hand-written
 * one.
 */
// expect-ca: (not held on every path|requires holding mutex|releasing mutex .* that was not held)
#include <linux/safe/locked.h>

struct cf_dev {
	SAFE_DECLARE_LOCKED(struct mutex, int, count);
};

int cf_cond_unbalanced(struct cf_dev *d);

int cf_cond_unbalanced(struct cf_dev *d)
{
	if (!mutex_trylock(&d->count.lock)) {
		pr_debug("cf: busy\n");
#ifdef SAFE_CF_CONTROL
		return -EBUSY;
#endif
	}
	++*safe_locked_get(&d->count);
	mutex_unlock(&d->count.lock);
	return 0;
}
