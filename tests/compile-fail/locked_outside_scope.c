// SPDX-License-Identifier: GPL-2.0
/* Lock-bound data is named only inside the scope that holds the lock. */
// expect-gcc: .s. undeclared
// expect-clang: use of undeclared identifier 's'
#include <linux/safe/locked.h>

struct cf_dev {
	SAFE_DECLARE_LOCKED(struct mutex, int, count);
};

int cf_locked_outside_scope(struct cf_dev *d);

int cf_locked_outside_scope(struct cf_dev *d)
{
	int v = 0;

	safe_locked_scope(mutex, s, &d->count)
		v = ++*s;
#ifndef SAFE_CF_CONTROL
	v += *s;
#endif
	return v;
}
