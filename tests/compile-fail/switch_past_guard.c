// SPDX-License-Identifier: GPL-2.0
/*
 * A guard right after a case label, with another case below it: the switch
 * jumps over the guard into its scope.
 */
// expect-gcc: switch jumps over variable initialization
// expect-clang: (cannot jump from switch statement to this case label|label followed by a declaration|error: expected expression)
#include <linux/safe/guard.h>

static DEFINE_MUTEX(m);
int cf_switch_past_guard(int x);

int cf_switch_past_guard(int x)
{
	switch (x) {
#ifndef SAFE_CF_CONTROL
	case 0:
		guard(mutex)(&m);
		x = 5;
		fallthrough;
#else
	case 0: {
		guard(mutex)(&m);
		x = 5;
	}
		fallthrough;
#endif
	case 1:
		x++;
		break;
	}
	return x;
}
