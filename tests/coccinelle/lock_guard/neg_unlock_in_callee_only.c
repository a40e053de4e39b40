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

void foo_start(struct foo *f)
{
	mutex_lock(&f->lock);
	f->locked = true;
}

void foo_stop(struct foo *f)
{
	f->locked = false;
	mutex_unlock(&f->lock);
}
