// SPDX-License-Identifier: GPL-2.0
#include <linux/mutex.h>

struct foo {
	struct mutex lock;
	int count;
};

/* work follows the critical section: only scoped_cond_guard() fits */
static int foo_inc(struct foo *f)
{
	if (mutex_lock_interruptible(&f->lock))
		return -ERESTARTSYS;
	f->count++;
	mutex_unlock(&f->lock);
	foo_notify(f);
	return 0;
}
