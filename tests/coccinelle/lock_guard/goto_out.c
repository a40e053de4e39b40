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

int foo_set(struct foo *f, int x)
{
	int ret = 0;

	mutex_lock(&f->lock);
	if (x < 0) {
		ret = -EINVAL;
		goto out;
	}
	f->a = x;
out:
	mutex_unlock(&f->lock);
	return ret;
}
