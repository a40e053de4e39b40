/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exports of the safe library: real exports in safe.ko or a kernel tree,
 * none when the library is compiled into a driver (SAFE_EMBED=y), where
 * exporting would clash with another copy.
 */
#ifndef _SAFE_EXPORT_H
#define _SAFE_EXPORT_H

#include <linux/export.h>

#ifdef SAFE_EMBEDDED
#define SAFE_EXPORT(sym)
#else
#define SAFE_EXPORT(sym)	EXPORT_SYMBOL_GPL(sym)
#endif

#endif /* _SAFE_EXPORT_H */
