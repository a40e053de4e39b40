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

int foo_swap(struct foo *f)
{
	int t;

	spin_lock(&f->slock);
	t = f->a;
	f->a = f->b;
	f->b = t;
	spin_unlock(&f->slock);
	wake_up_foo(f);
	return t;
}
