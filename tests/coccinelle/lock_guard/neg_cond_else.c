// SPDX-License-Identifier: GPL-2.0
#include <linux/spinlock.h>

struct foo {
	spinlock_t lock;
	int count;
	int missed;
};

/* the lock is taken in the test and both branches do work */
static void foo_poll(struct foo *f)
{
	if (spin_trylock(&f->lock)) {
		f->count++;
		spin_unlock(&f->lock);
	} else {
		f->missed++;
	}
}
