// SPDX-License-Identifier: GPL-2.0
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/rwsem.h>
#include <linux/rcupdate.h>

struct foo {
	struct mutex lock;
	spinlock_t slock;
	raw_spinlock_t rlock;
	struct rw_semaphore sem;
	int a, b;
	int *p;
};

int foo_both(struct foo *f, int x)
{
	int a;

	mutex_lock(&f->lock);
	a = f->a;
	mutex_unlock(&f->lock);
	a = foo_scale(a, x);
	spin_lock(&f->slock);
	f->b = a;
	spin_unlock(&f->slock);
	return a;
}
