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

int foo_try(struct foo *f)
{
	if (!mutex_trylock(&f->lock))
		return -EBUSY;
	f->a++;
	mutex_unlock(&f->lock);
	return 0;
}
