// SPDX-License-Identifier: GPL-2.0
#include <linux/mutex.h>

struct foo {
	struct mutex lock;
	int count;
};

static int foo_set(struct foo *f, int v)
{
	if (mutex_lock_interruptible(&f->lock))
		return -ERESTARTSYS;
	if (v < 0) {
		mutex_unlock(&f->lock);
		return -EINVAL;
	}
	f->count = v;
	mutex_unlock(&f->lock);
	foo_notify(f);
	return 0;
}
