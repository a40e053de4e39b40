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

void foo_maybe(struct foo *f, bool need)
{
	if (need)
		mutex_lock(&f->lock);
	f->a++;
	if (need)
		mutex_unlock(&f->lock);
}
