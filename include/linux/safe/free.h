/* SPDX-License-Identifier: GPL-2.0 */
/*
 * __free() classes for the common allocators and reference counts.
 *
 * Upstream classes the running kernel lacks are defined under their upstream
 * names (kvfree, kfree_sensitive, bitmap, ... on 6.1), each only when the
 * feature probe did not find it.  safe_vfree has no upstream counterpart.
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

#ifndef SAFE_HAVE_FREE_kfree
DEFINE_FREE(kfree, void *, IS_ERR_OR_NULL(_T) ? (void)0 : kfree(_T))
#endif

#ifndef SAFE_HAVE_FREE_kvfree
DEFINE_FREE(kvfree, void *, IS_ERR_OR_NULL(_T) ? (void)0 : kvfree(_T))
#endif

#ifndef SAFE_HAVE_FREE_kfree_sensitive
DEFINE_FREE(kfree_sensitive, void *, IS_ERR_OR_NULL(_T) ? (void)0 : kfree_sensitive(_T))
#endif

#ifndef SAFE_HAVE_FREE_bitmap
DEFINE_FREE(bitmap, unsigned long *, _T ? bitmap_free(_T) : (void)0)
#endif

#ifndef SAFE_HAVE_FREE_put_device
DEFINE_FREE(put_device, struct device *, _T ? put_device(_T) : (void)0)
#endif

#ifndef SAFE_HAVE_FREE_device_node
DEFINE_FREE(device_node, struct device_node *, _T ? of_node_put(_T) : (void)0)
#endif

#ifndef SAFE_HAVE_FREE_fwnode_handle
DEFINE_FREE(fwnode_handle, struct fwnode_handle *,
	    IS_ERR_OR_NULL(_T) ? (void)0 : fwnode_handle_put(_T))
#endif

#ifndef SAFE_HAVE_FREE_free_percpu
DEFINE_FREE(free_percpu, void __percpu *, free_percpu(_T))
#endif

#ifndef SAFE_HAVE_FREE_fput
DEFINE_FREE(fput, struct file *, IS_ERR_OR_NULL(_T) ? (void)0 : fput(_T))
#endif

#ifndef SAFE_HAVE_FREE_put_task
DEFINE_FREE(put_task, struct task_struct *, _T ? put_task_struct(_T) : (void)0)
#endif

/* vfree() has no upstream class; drivers define their own "vfree". */
DEFINE_FREE(safe_vfree, void *, IS_ERR_OR_NULL(_T) ? (void)0 : vfree(_T))

#endif /* _LINUX_SAFE_FREE_H */
