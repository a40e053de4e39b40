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

int foo_store(struct foo *f, int key, int val)
{
	int ret;

	down_write(&f->sem);
	if (f->a != key) {
		ret = -EBUSY;
		goto out_unlock;
	}
	f->b = val;
	ret = 0;
out_unlock:
	up_write(&f->sem);
	return ret;
}
