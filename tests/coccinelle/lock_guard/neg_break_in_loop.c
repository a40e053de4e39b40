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

void foo_scan(struct foo *f, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		mutex_lock(&f->lock);
		if (f->a == i) {
			mutex_unlock(&f->lock);
			break;
		}
		f->b = i;
		mutex_unlock(&f->lock);
		foo_step(f, i);
	}
}
