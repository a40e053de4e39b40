// SPDX-License-Identifier: GPL-2.0
#include <linux/mutex.h>
#include <linux/spinlock.h>

struct foo {
	struct mutex lock;
	struct mutex other;
	spinlock_t slock;
	int a, b;
	bool locked;
};

int foo_lock_ready(struct foo *f)
	__acquires(&f->lock)
{
	mutex_lock(&f->lock);
	if (f->a < 0) {
		mutex_unlock(&f->lock);
		return -EIO;
	}
	/* returns with f->lock held, the caller unlocks */
	return 0;
}
