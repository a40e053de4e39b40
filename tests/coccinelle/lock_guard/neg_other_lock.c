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

void foo_handover(struct foo *f)
{
	mutex_lock(&f->lock);
	f->a = 1;
	mutex_lock(&f->other);
	mutex_unlock(&f->lock);
	f->b = 1;
	mutex_unlock(&f->other);
}
