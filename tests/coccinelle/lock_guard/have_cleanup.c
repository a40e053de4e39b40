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

#include <linux/cleanup.h>

void foo_clear(struct foo *f)
{
	spin_lock(&f->slock);
	f->b = 0;
	spin_unlock(&f->slock);
}
