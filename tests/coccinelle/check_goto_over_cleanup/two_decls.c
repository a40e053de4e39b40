// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

/*
 * Three cleanup declarations in one scope: each goto is checked against
 * every one, and is reported once for each it jumps past (the first past
 * the guard() and the __free() variable, the second past the variable
 * only); the last is after all three.
 */
static int corge_fill(struct corge *c)
{
	int ret = 0;

	guard(mutex)(&c->cfg_lock);
	if (c->dead)
		goto out; /* report */
	guard(spinlock)(&c->lock);
	if (c->busy) {
		ret = -EBUSY;
		goto out; /* report */
	}
	char *buf __free(kfree) = kzalloc(CORGE_BUF, GFP_ATOMIC);
	if (!buf)
		goto out;
	ret = corge_write(c, buf);
out:
	return ret;
}
