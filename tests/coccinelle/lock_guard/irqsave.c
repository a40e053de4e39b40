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

void foo_irq_update(struct foo *f, int x)
{
	unsigned long flags;

	spin_lock_irqsave(&f->slock, flags);
	f->a += x;
	f->b = 0;
	spin_unlock_irqrestore(&f->slock, flags);
}
