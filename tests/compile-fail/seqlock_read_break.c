// SPDX-License-Identifier: GPL-2.0
/* break inside safe_seqlock_read() would keep a possibly torn snapshot. */
// expect-gcc: break in a safe scoped statement leaves only that statement
// expect-clang: break in a safe scoped statement leaves only that statement
#include <linux/safe/guard.h>

static DEFINE_SEQLOCK(sl);
static int a, b;
int cf_seqlock_read_break(void);

int cf_seqlock_read_break(void)
{
	int x, y;

	safe_seqlock_read(&sl) {
		x = READ_ONCE(a);
#ifndef SAFE_CF_CONTROL
		if (x < 0)
			break;
#endif
		y = READ_ONCE(b);
	}
	return x + y;
}
