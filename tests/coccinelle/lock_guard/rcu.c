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

int foo_peek(struct foo *f)
{
	int *p, v = 0;

	rcu_read_lock();
	p = rcu_dereference(f->p);
	if (p)
		v = *p;
	rcu_read_unlock();
	return v;
}
