// SPDX-License-Identifier: GPL-2.0
#include <linux/mutex.h>

struct foo {
	struct mutex lock;
	int count;
};

static int foo_take(struct foo *f, int *out)
{
	int ret;

	ret = mutex_lock_killable(&f->lock);
	if (ret)
		return ret;
	*out = f->count;
	f->count = 0;
	mutex_unlock(&f->lock);
	return 0;
}
