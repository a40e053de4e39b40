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

int foo_op(struct foo *f, int op)
{
	int ret;

	mutex_lock(&f->lock);
	switch (op) {
	case 0:
		f->a = 0;
		ret = 0;
		break;
	case 1:
		f->a++;
		ret = f->a;
		break;
	default:
		ret = -EINVAL;
		break;
	}
	mutex_unlock(&f->lock);
	return ret;
}
