/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel feature detection for safe: what the target kernel has, as found
 * by scripts/probe-features.sh from the class table in
 * <linux/safe/compat/classes.h>.
 *
 * Macros are detected where they are used, with #ifdef.  Classes (guards and
 * __free() helpers) are typedefs and functions the preprocessor cannot see;
 * safe.kbuild probes the target kernel once for them and passes the result
 * as SAFE_FEATURES_H.
 */
#ifndef _LINUX_SAFE_COMPAT_FEATURES_H
#define _LINUX_SAFE_COMPAT_FEATURES_H

#ifndef SAFE_FEATURES_H
#error "linux/safe: include safe.kbuild from your Kbuild file (it probes the kernel)"
#endif

#include SAFE_FEATURES_H

#ifndef SAFE_FEATURES_PROBED
#error "linux/safe: SAFE_FEATURES_H is not a safe feature probe result"
#endif

#endif /* _LINUX_SAFE_COMPAT_FEATURES_H */
