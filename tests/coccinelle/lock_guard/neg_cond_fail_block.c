// SPDX-License-Identifier: GPL-2.0
#include <linux/mutex.h>

struct foo {
	struct mutex lock;
	struct device *dev;
	int count;
};

/* the failure branch does more than return: no macro argument for it */
static int foo_inc(struct foo *f)
{
	if (mutex_lock_interruptible(&f->lock)) {
		dev_dbg(f->dev, "interrupted\n");
		return -ERESTARTSYS;
	}
	f->count++;
	mutex_unlock(&f->lock);
	return 0;
}
