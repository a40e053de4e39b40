// SPDX-License-Identifier: GPL-2.0
#include <linux/rwsem.h>

struct foo {
	struct rw_semaphore sem;
	int count;
};

static int foo_reset(struct foo *f)
{
	int ret = -EINTR;

	foo_prepare(f);
	if (down_write_killable(&f->sem))
		goto undo;
	f->count = 0;
	up_write(&f->sem);
	return 0;

undo:
	foo_unprepare(f);
	return ret;
}
