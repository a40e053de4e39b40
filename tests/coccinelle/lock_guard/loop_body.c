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

void foo_fill(struct foo *f, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		foo_prepare(f, i);
		mutex_lock(&f->lock);
		f->a = i;
		f->b = foo_compute(i);
		mutex_unlock(&f->lock);
	}
}
