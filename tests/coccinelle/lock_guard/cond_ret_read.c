// SPDX-License-Identifier: GPL-2.0
#include <linux/mutex.h>

struct foo {
	struct mutex lock;
	int count;
};

/* ret is returned after the unlock: ACQUIRE() keeps the assignment */
static int foo_check(struct foo *f)
{
	int ret;

	ret = mutex_lock_interruptible(&f->lock);
	if (ret)
		return ret;
	if (f->count > 10)
		ret = -ENOSPC;
	mutex_unlock(&f->lock);
	return ret;
}
