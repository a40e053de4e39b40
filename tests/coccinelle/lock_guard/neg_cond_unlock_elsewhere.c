// SPDX-License-Identifier: GPL-2.0
#include <linux/mutex.h>

struct foo {
	struct mutex lock;
	int count;
};

/* returns with the lock held: the caller unlocks */
static int foo_lock(struct foo *f)
{
	if (mutex_lock_interruptible(&f->lock))
		return -EINTR;
	f->count++;
	return 0;
}
