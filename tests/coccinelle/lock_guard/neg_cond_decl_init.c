// SPDX-License-Identifier: GPL-2.0
#include <linux/rwsem.h>

struct foo {
	struct rw_semaphore sem;
	int count;
};

/* the result initialises a declaration: reported, not converted */
static int foo_count(struct foo *f, int *out)
{
	int err = down_read_interruptible(&f->sem);

	if (err)
		return err;
	*out = f->count;
	up_read(&f->sem);
	return 0;
}
