// SPDX-License-Identifier: GPL-2.0
#include <linux/mutex.h>

struct foo {
	struct mutex lock;
	int count;
};

/* "out" inside the section is also reached by falling through to more
 * work: its gotos cannot become returns */
static int foo_update(struct foo *f, int v)
{
	int ret;

	mutex_lock(&f->lock);
	ret = foo_check(f, v);
	if (ret)
		goto out;
	f->count = v;
out:
	foo_log(f);
	mutex_unlock(&f->lock);
	foo_notify(f);
	return ret;
}
