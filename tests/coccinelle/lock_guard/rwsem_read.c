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

int foo_lookup(struct foo *f, int key)
{
	int ret = -ENOENT;

	down_read(&f->sem);
	if (f->a == key)
		ret = f->b;
	up_read(&f->sem);
	return ret;
}
