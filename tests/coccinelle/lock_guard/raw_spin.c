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

void foo_raw(struct foo *f)
{
	raw_spin_lock(&f->rlock);
	f->a++;
	raw_spin_unlock(&f->rlock);
	foo_kick(f);
}
