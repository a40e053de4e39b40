/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Clang's context analysis (7.0, CONFIG_WARN_CONTEXT_ANALYSIS) annotations
 * that safe uses, as no-ops on kernels without <linux/compiler-context-
 * analysis.h>.  Where the kernel has them, its definitions stand.
 */
#ifndef _LINUX_SAFE_COMPAT_CONTEXT_H
#define _LINUX_SAFE_COMPAT_CONTEXT_H

#include <linux/compiler.h>

#ifndef __guarded_by
#define __guarded_by(...)
#endif

#ifndef __pt_guarded_by
#define __pt_guarded_by(...)
#endif

#ifndef __no_context_analysis
#define __no_context_analysis
#endif

#ifndef __acquires_shared
#define __acquires_shared(...)
#endif

#ifndef __releases_shared
#define __releases_shared(...)
#endif

#ifndef __reentrant_ctx_lock
#define __reentrant_ctx_lock
#endif

#ifndef token_context_lock
/**
 * token_context_lock() - declare an abstract context lock
 * @name: the token's name
 * @...: attributes of its type, such as __reentrant_ctx_lock
 *
 * Backfill of the 7.0 macro, for kernels without the analysis: an
 * incomplete type and an extern pointer that nothing defines or reads.
 *
 * Context: file scope.
 * Return: nothing; it is a declaration of @name.
 */
#define token_context_lock(name, ...)					\
	struct __ctx_lock_##name;					\
	extern const struct __ctx_lock_##name *(name)
#endif

#ifndef context_unsafe
/**
 * context_unsafe() - an expression the context analysis does not check
 * @...: the expression
 *
 * Backfill of the 7.0 macro, for kernels without the analysis.
 *
 * Context: any.
 * Return: the value of the expression.
 */
#define context_unsafe(...)	({ __VA_ARGS__; })
#endif

#endif /* _LINUX_SAFE_COMPAT_CONTEXT_H */
