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

static void foo_unlock(struct foo *f)
{
	f->locked = false;
	mutex_unlock(&f->lock);
}

int foo_begin(struct foo *f)
{
	mutex_lock(&f->lock);
	f->locked = true;
	if (f->a < 0) {
		foo_unlock(f);
		return -EIO;
	}
	f->a++;
	foo_unlock(f);
	return 0;
}
