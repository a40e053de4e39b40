// SPDX-License-Identifier: GPL-2.0
#include <linux/mutex.h>

struct foo {
	struct mutex lock;
	int count;
};

/* "out" sits inside the critical section; every goto to it becomes a return */
static int foo_update(struct foo *f, int v)
{
	int ret;

	if (mutex_lock_interruptible(&f->lock))
		return -ERESTARTSYS;
	ret = foo_check(f, v);
	if (ret)
		goto out;
	f->count = v;
	ret = foo_commit(f);
out:
	mutex_unlock(&f->lock);
	return ret;
}
