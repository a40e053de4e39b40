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

void foo_sub(struct foo *f)
{
	mutex_lock_nested(&f->lock, 1);
	f->a++;
	mutex_unlock(&f->lock);
}
