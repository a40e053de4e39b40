// SPDX-License-Identifier: GPL-2.0
/*
 * safe.ko: the safe library as a module of its own.
 *
 * Guards, owned pointers and lock-bound data are header-only.  This module
 * carries the parts with state: revocation domains and owned DMA buffers.
 */
#include <linux/module.h>

#ifndef SAFE_EMBEDDED
MODULE_DESCRIPTION("safe: scope guards, revocable resources, owned DMA buffers");
MODULE_LICENSE("GPL");
#endif
