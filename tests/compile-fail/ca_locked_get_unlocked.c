// SPDX-License-Identifier: GPL-2.0
/*
 * Lock-bound data reached through safe_locked_get() by a caller that does
 * not hold its lock.  Only lockdep would see this, at run time, on the
 * path that runs; Clang's context analysis sees it at build time.
 */
// expect-ca: reading variable '__safe_locked_data' requires holding mutex
#include <linux/safe/locked.h>

struct cf_dev {
	SAFE_DECLARE_LOCKED(struct mutex, int, count);
};

int cf_get_unlocked(struct cf_dev *d);

int cf_get_unlocked(struct cf_dev *d)
{
#ifdef SAFE_CF_CONTROL
	guard(mutex)(&d->count.lock);
#endif
	return ++*safe_locked_get(&d->count);
}
