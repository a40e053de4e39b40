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

int foo_read_irq(struct foo *f)
{
	int v;

	spin_lock_irq(&f->slock);
	v = f->a;
	spin_unlock_irq(&f->slock);
	return v;
}
