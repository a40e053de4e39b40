// SPDX-License-Identifier: GPL-2.0
#include <linux/mutex.h>

struct foo {
	struct mutex lock;
	int a, b;
};

/*
 * The first section alone could become a guard; the second keeps goto
 * unwinding for the same lock (its unlock is not in the block that locks),
 * so converting the first would mix guard() and goto for one lock.
 */
static int foo_two(struct foo *f, int v)
{
	int ret = 0;

	mutex_lock(&f->lock);
	f->a = v;
	mutex_unlock(&f->lock);

	foo_prepare(f);

	mutex_lock(&f->lock);
	if (v < 0) {
		ret = -EINVAL;
		goto out;
	}
	if (v > 10) {
		f->b = v;
		goto out;
	}
	f->b = 0;
	foo_log(f);
out:
	mutex_unlock(&f->lock);
	foo_notify(f);
	return ret;
}
