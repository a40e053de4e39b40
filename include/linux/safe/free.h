/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __free() classes for the common allocators and reference counts.
 *
 * Upstream classes the running kernel lacks (kvfree, kfree_sensitive,
 * bitmap, ... on 6.1) are backfilled under their upstream names, with the
 * upstream semantics, by <linux/safe/compat/classes.h>.  safe_vfree has no
 * upstream counterpart.
 *
 * Ownership idioms (see Documentation/guards.rst)::
 *
 *	struct foo *f __free(kfree) = kzalloc(sizeof(*f), GFP_KERNEL);
 *	if (!f)
 *		return -ENOMEM;
 *	...
 *	priv->foo = no_free_ptr(f);	// ownership moves to priv
 *	return 0;
 *
 * Declare and initialise in one statement: an uninitialised __free()
 * variable frees stack garbage on an early return.
 */
#ifndef _LINUX_SAFE_FREE_H
#define _LINUX_SAFE_FREE_H

#include <linux/safe/cleanup.h>
#include <linux/safe/compat/classes.h>
#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/of.h>
#include <linux/percpu.h>
#include <linux/property.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

/* vfree() has no upstream class; drivers define their own "vfree". */
DEFINE_FREE(safe_vfree, void *, IS_ERR_OR_NULL(_T) ? (void)0 : vfree(_T))

#endif /* _LINUX_SAFE_FREE_H */
