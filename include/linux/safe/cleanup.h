/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The upstream cleanup.h API on every kernel safe supports, and safe's own
 * guard-class makers.
 *
 * <linux/safe/compat/cleanup.h> fills in what the running kernel's
 * <linux/cleanup.h> lacks, under the upstream names; this header adds
 * safe's own API: SAFE_DEFINE_GUARD(), SAFE_DEFINE_GUARD_FLAGS(),
 * SAFE_DEFINE_COND_GUARD(), SAFE_DEFINE_ERR_GUARD() and
 * safe_scoped_guard().  See Documentation/guards.rst.
 */
#ifndef _LINUX_SAFE_CLEANUP_H
#define _LINUX_SAFE_CLEANUP_H

#include <linux/safe/compat/cleanup.h>
#include <linux/safe/compat/context.h>

/* -------------------------------------------------------------------- */
/* safe's own additions                                                  */
/* -------------------------------------------------------------------- */

/*
 * The state of safe's own guard classes.  Keeping the errno next to the lock
 * pointer, rather than encoding it in the pointer, lets the compiler fold
 * ACQUIRE_ERR() into the acquisition's own return value: the guard form
 * compiles to what a hand-written "if (err) return err;" does.
 */
struct safe_guard {
	void *lock;
	unsigned long flags;
	int err;
};

#define __SAFE_STATE_GUARD_FNS(_cls, _cond)				\
	static __maybe_unused const bool _cls##_is_conditional = _cond;	\
	static inline void *_cls##_lock_ptr(struct safe_guard *_T)	\
	{								\
		return _T->err ? NULL : _T->lock;			\
	}								\
	static inline int _cls##_lock_err(struct safe_guard *_T)	\
	{								\
		return _T->err;						\
	}

/**
 * SAFE_DEFINE_GUARD() - define a guard class for a lock taken by pointer
 * @_name: class name, used as guard(@_name), scoped_guard(@_name, ...), ...
 * @type: pointer type of the lock, e.g. ``struct percpu_rw_semaphore *``
 * @_lock: acquisition statement using ``_T`` (the lock pointer)
 * @_unlock: release statement using ``_T``
 *
 * Like DEFINE_GUARD(), but the release does not test the lock pointer for
 * NULL (acquiring a NULL lock has already crashed), so the guard costs no
 * more than the hand-written lock/unlock pair.
 *
 * Context: file scope.
 * Return: nothing; defines ``class_@_name_t`` and its helpers.
 */
#define SAFE_DEFINE_GUARD(_name, type, _lock, _unlock)			\
	static inline void __safe_lock_##_name(type _T)			\
		__no_context_analysis { _lock; }			\
	static inline void __safe_unlock_##_name(type _T)		\
		__no_context_analysis { _unlock; }			\
	DEFINE_CLASS(_name, struct safe_guard,				\
		     __safe_unlock_##_name(_T.lock),			\
		     ({ __safe_lock_##_name(l);				\
			(struct safe_guard){ .lock = l }; }),		\
		     type l)						\
	__SAFE_STATE_GUARD_FNS(class_##_name, false)

/**
 * SAFE_DEFINE_GUARD_FLAGS() - guard class that also saves flags
 * @_name: class name
 * @type: pointer type of the lock
 * @_lock: acquisition statement using ``_T`` and storing into ``_F``
 * @_unlock: release statement using ``_T`` and ``_F``
 *
 * For the ``_irqsave`` kind of lock, whose release needs what the
 * acquisition saved, e.g.
 * ``write_seqlock_irqsave(_T, _F)``/``write_sequnlock_irqrestore(_T, _F)``.
 *
 * Context: file scope.
 * Return: nothing; defines ``class_@_name_t`` and its helpers.
 */
#define SAFE_DEFINE_GUARD_FLAGS(_name, type, _lock, _unlock)		\
	static inline unsigned long __safe_lock_##_name(type _T)	\
		__no_context_analysis					\
	{								\
		unsigned long _F;					\
									\
		_lock;							\
		return _F;						\
	}								\
	static inline void __safe_unlock_##_name(type _T, unsigned long _F) \
		__no_context_analysis					\
	{								\
		_unlock;						\
	}								\
	DEFINE_CLASS(_name, struct safe_guard,				\
		     __safe_unlock_##_name(_T.lock, _T.flags),		\
		     ((struct safe_guard){ .lock = l,			\
			.flags = __safe_lock_##_name(l) }),		\
		     type l)						\
	__SAFE_STATE_GUARD_FNS(class_##_name, false)

/**
 * SAFE_DEFINE_COND_GUARD() - define a conditional guard that keeps its errno
 * @_name: class name, used as guard(@_name), ACQUIRE(@_name, ...), ...
 * @type: pointer type of the lock, e.g. ``struct mutex *``
 * @_lock: acquisition, an int expression using ``_T`` (the lock pointer)
 * @_cond: success test on the acquisition's value ``_RET``
 * @_unlock: release statement using ``_T``
 *
 * Unlike the kernel's DEFINE_GUARD_COND() before 6.17, the class stands
 * alone (its destructor never sees a failed acquisition) and a failure
 * keeps its errno, so ACQUIRE_ERR() returns it on every kernel.  A failure
 * whose ``_RET`` is not negative (a failed trylock) reports -EBUSY.
 *
 * Example::
 *
 *	SAFE_DEFINE_COND_GUARD(foo_kill, struct foo *,
 *			       foo_lock_killable(_T), _RET == 0,
 *			       foo_unlock(_T))
 *
 * Context: file scope.
 * Return: nothing; defines ``class_@_name_t`` and its helpers.
 */
#define SAFE_DEFINE_COND_GUARD(_name, type, _lock, _cond, _unlock)	\
	static inline int __safe_lock_##_name(type _T)			\
		__no_context_analysis					\
	{								\
		int _RET = (_lock);					\
									\
		return (_cond) ? 0 : _RET < 0 ? _RET : -EBUSY;		\
	}								\
	static inline void __safe_unlock_##_name(type _T)		\
		__no_context_analysis { _unlock; }			\
	DEFINE_CLASS(_name, struct safe_guard,				\
		     _T.err ? (void)0 : __safe_unlock_##_name(_T.lock),	\
		     ((struct safe_guard){ .lock = l,			\
			.err = __safe_lock_##_name(l) }),		\
		     type l)						\
	__SAFE_STATE_GUARD_FNS(class_##_name, true)

/**
 * SAFE_DEFINE_ERR_GUARD() - conditional guard for an errno-returning lock
 * @_name: class name
 * @type: pointer type of the lock
 * @_lock: acquisition, an int expression using ``_T`` that is 0 on success
 *	and a negative errno on failure, e.g. ``mutex_lock_killable(_T)``
 * @_unlock: release statement using ``_T``
 *
 * SAFE_DEFINE_COND_GUARD() for the common case: ACQUIRE_ERR() is the
 * acquisition's own return value, and the guard compiles to the
 * hand-written ``err = lock(); if (err) return err;``.
 *
 * Context: file scope.
 * Return: nothing; defines ``class_@_name_t`` and its helpers.
 */
#define SAFE_DEFINE_ERR_GUARD(_name, type, _lock, _unlock)		\
	static inline int __safe_lock_##_name(type _T)			\
		__no_context_analysis { return _lock; }			\
	static inline void __safe_unlock_##_name(type _T)		\
		__no_context_analysis { _unlock; }			\
	DEFINE_CLASS(_name, struct safe_guard,				\
		     _T.err ? (void)0 : __safe_unlock_##_name(_T.lock),	\
		     ((struct safe_guard){ .lock = l,			\
			.err = __safe_lock_##_name(l) }),		\
		     type l)						\
	__SAFE_STATE_GUARD_FNS(class_##_name, true)

void __safe_scoped_break(void)
	__compiletime_error("break in a safe scoped statement leaves only that statement");

/* Runs the body once, or not when a conditional acquisition fails. */
#define __safe_scoped_guard_loop(_name, args...)			\
	for (CLASS(_name, scope)(args);					\
	     __safe_st ? false :					\
	     __safe_scoped_guard_test(class_##_name) ?		\
	     true : (__safe_st = 1, false);				\
	     __safe_st = 1)

/**
 * safe_scoped_guard() - scoped_guard() that rejects ``break`` at build time
 * @_name: guard class
 * @args: constructor arguments, usually the lock
 *
 * Same as scoped_guard(): the next statement runs with the lock held, or not
 * at all when a conditional acquisition fails.  scoped_guard() is a loop,
 * so a ``break`` in its body leaves only the guard and the enclosing loop
 * goes on: a silent bug in code converted from lock/unlock.  With
 * safe_scoped_guard() such a ``break`` fails the build: it is the only way
 * out of the inner loop that skips setting ``__safe_st``, and the compiler
 * must keep the error call on that path.  ``continue`` cannot be told
 * apart from the end of the body in C; coccinelle/ reports it.
 *
 * Context: whatever the guard class requires.
 * Return: nothing; it is a statement prefix.
 */
#define safe_scoped_guard(_name, args...)				\
	for (int __safe_st = 0; !__safe_st;				\
	     __safe_st || (__safe_scoped_break(), 0))			\
		__safe_scoped_guard_loop(_name, args)

#endif /* _LINUX_SAFE_CLEANUP_H */
