// SPDX-License-Identifier: GPL-2.0
/*
 * Reaching around the accessors to the hidden member compiles in C, but
 * sparse (make C=2) reports it.
 */
// expect-sparse: dereference of noderef expression
#include <linux/safe/locked.h>

struct cf_dev {
	SAFE_DECLARE_LOCKED(struct mutex, int, count);
};

int cf_locked_direct_access(struct cf_dev *d);

int cf_locked_direct_access(struct cf_dev *d)
{
#ifndef SAFE_CF_CONTROL
	return d->count.__safe_locked_data;
#else
	return 0;
#endif
}
