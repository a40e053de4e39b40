// SPDX-License-Identifier: GPL-2.0
/* A goto that jumps over a guard: the unlock would run on garbage. */
// expect-gcc: jump skips variable initialization
// expect-clang: cannot jump from this goto statement to its label
#include <linux/safe/guard.h>

static DEFINE_MUTEX(m);
int cf_goto_past_guard(int x);

int cf_goto_past_guard(int x)
{
#ifndef SAFE_CF_CONTROL
	if (x)
		goto out;
#endif
	guard(mutex)(&m);
	x++;
#ifndef SAFE_CF_CONTROL
out:
#endif
	return x;
}
