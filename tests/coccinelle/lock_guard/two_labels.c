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

int foo_two(struct foo *f, int x)
{
	int ret;

	ret = foo_check(x);
	if (ret)
		goto out;
	mutex_lock(&f->lock);
	if (!f->p) {
		ret = -ENODEV;
		goto out_unlock;
	}
	*f->p = x;
out_unlock:
	mutex_unlock(&f->lock);
out:
	return ret;
}
