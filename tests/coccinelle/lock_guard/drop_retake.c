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

int foo_sleepy(struct foo *f)
{
	int v;

	spin_lock(&f->slock);
	v = f->a;
	spin_unlock(&f->slock);
	v = foo_slow(v);
	spin_lock(&f->slock);
	f->b = v;
	spin_unlock(&f->slock);
	return v;
}
