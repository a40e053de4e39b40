// SPDX-License-Identifier: GPL-2.0
#include <linux/mutex.h>
#include <linux/spinlock.h>

struct foo {
	struct mutex lock;
	struct mutex other;
	spinlock_t slock;
	int a, b;
	bool locked;
};

int foo_buggy(struct foo *f, int x)
{
	mutex_lock(&f->lock);
	if (x < 0)
		return -EINVAL;
	f->a = x;
	mutex_unlock(&f->lock);
	return 0;
}
