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

int foo_get(struct foo *f, int *out)
{
	mutex_lock(&f->lock);
	if (!f->p) {
		mutex_unlock(&f->lock);
		return -ENODEV;
	}
	*out = *f->p;
	mutex_unlock(&f->lock);
	return 0;
}
