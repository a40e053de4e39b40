// SPDX-License-Identifier: GPL-2.0
#include <linux/spinlock.h>

struct foo {
	spinlock_t lock;
	int a;
};

static int foo_get(struct foo *f)
{
	unsigned long flags, timeout = 10;
	int v;

	spin_lock_irqsave(&f->lock, flags);
	v = f->a + timeout;
	spin_unlock_irqrestore(&f->lock, flags);
	return v;
}

/* a flags variable in each branch: both go */
static void foo_set(struct foo *f, int v)
{
	if (v) {
		unsigned long flags;

		spin_lock_irqsave(&f->lock, flags);
		f->a = v;
		spin_unlock_irqrestore(&f->lock, flags);
	} else {
		unsigned long flags;

		spin_lock_irqsave(&f->lock, flags);
		f->a = 0;
		spin_unlock_irqrestore(&f->lock, flags);
	}
}
