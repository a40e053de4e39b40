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

void foo_bh(struct foo *f, int x)
{
	spin_lock_bh(&f->slock);
	if (x)
		f->a = x;
	else
		f->b = x;
	spin_unlock_bh(&f->slock);
}
