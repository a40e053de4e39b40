// SPDX-License-Identifier: GPL-2.0
/*
 * break in safe_scoped_guard() would leave only the guard's own loop
 * and carry on with the caller's loop.
 */
// expect-gcc: break in a safe scoped statement leaves only that statement
// expect-clang: break in a safe scoped statement leaves only that statement
#include <linux/safe/guard.h>

static DEFINE_MUTEX(m);
int cf_scoped_guard_break(int n);

int cf_scoped_guard_break(int n)
{
	int i, found = -1;

	for (i = 0; i < n; i++) {
		safe_scoped_guard(mutex, &m) {
			if (i == 3) {
				found = i;
#ifndef SAFE_CF_CONTROL
				break;
#endif
			}
		}
	}
	return found;
}
