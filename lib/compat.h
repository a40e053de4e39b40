/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel differences that only the library's own code sees: where struct
 * file_operations and its headers differ between the kernels safe builds
 * on.  Detected from the headers themselves, not from version numbers.
 */
#ifndef _SAFE_LIB_COMPAT_H
#define _SAFE_LIB_COMPAT_H

#include <linux/fs.h>
#include <linux/mm.h>

/* File locks moved out of <linux/fs.h> into their own header in 6.3. */
#ifndef FL_POSIX
#include <linux/filelock.h>
#endif

/*
 * fop_flags (with FOP_MMAP_SYNC) replaced mmap_supported_flags; both are
 * copied from the driver's table as they are.
 */
#ifdef FOP_MMAP_SYNC
#define SAFE_FOPS_FLAGS_INIT(inner)	.fop_flags = (inner)->fop_flags,
#define SAFE_FOPS_FLAGS_KNOWN		.fop_flags = (__force fop_flags_t)~0U,
#else
#define SAFE_FOPS_FLAGS_INIT(inner)					\
	.mmap_supported_flags = (inner)->mmap_supported_flags,
#define SAFE_FOPS_FLAGS_KNOWN		.mmap_supported_flags = ~0UL,
#endif

/*
 * ->mmap_prepare (6.16).  Detected through a helper that came with the
 * vm_area_desc flags API; on a kernel that has the member but not the
 * helper, a table that sets it is refused as unknown, never dropped.
 */
#ifdef vma_desc_test_any
#define SAFE_HAVE_MMAP_PREPARE 1
/* In safe_file_build(), where the driver's table is @inner. */
#define SAFE_FOPS_MMAP_PREPARE_INIT					\
	.mmap_prepare = inner->mmap_prepare ? safe_file_mmap_prepare : NULL,
#define SAFE_FOPS_MMAP_PREPARE_KNOWN	.mmap_prepare = SAFE_KNOWN,
#else
#define SAFE_FOPS_MMAP_PREPARE_INIT
#define SAFE_FOPS_MMAP_PREPARE_KNOWN
#endif

/*
 * ->mmap_capabilities exists without an MMU only; safe refuses it (as an
 * unknown member, see safe_file_known).
 */

#endif /* _SAFE_LIB_COMPAT_H */
