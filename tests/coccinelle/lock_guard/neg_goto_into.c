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

int foo_retry(struct foo *f)
{
	int tries = 0;

	if (f->b)
		goto again;
	mutex_lock(&f->lock);
again:
	f->a++;
	tries++;
	mutex_unlock(&f->lock);
	if (tries < 3 && foo_busy(f))
		goto again;
	return tries;
}
