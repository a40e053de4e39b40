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

void foo_drain(struct foo *f)
{
	mutex_lock(&f->lock);
	while (f->a > 0) {
		f->a--;
		mutex_unlock(&f->lock);
		cond_resched();
		mutex_lock(&f->lock);
	}
	mutex_unlock(&f->lock);
}
