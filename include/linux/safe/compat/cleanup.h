/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The upstream <linux/cleanup.h> API on every kernel safe supports: what
 * the running kernel lacks is filled in, feature by feature, under the
 * upstream names, and what it has is left alone.
 *
 * Three generations of <linux/cleanup.h> are in use:
 *
 *  1. 6.5, backported to 6.1.79+: guard(), scoped_guard(), __free() and
 *     CLASS(), but no conditional guards.  Its scoped_guard() cannot skip
 *     the body of a failed trylock, and its DEFINE_GUARD() destructors
 *     unlock whatever they hold.
 *  2. 6.6 to 6.16: conditional guards, but a failed acquisition is NULL and
 *     its errno is lost.
 *  3. 6.17 and later: ACQUIRE()/ACQUIRE_ERR() and errno-carrying guards;
 *     7.0 adds compiler context analysis, EXTEND_CLASS_COND() and
 *     DEFINE_CLASS_IS_UNCONDITIONAL().
 *
 * On generation 1 kernels conditional guards cannot work without a
 * scoped_guard() that tests the lock pointer, so there this header
 * replaces DEFINE_GUARD(), DEFINE_LOCK_GUARD_0/1() and scoped_guard() with
 * definitions that behave as generation 3 does, and gives the kernel's
 * existing guard classes the helpers those need.  For an unconditional
 * guard nothing changes.  The classes themselves are in
 * <linux/safe/compat/classes.h>.  See Documentation/guards.rst.
 *
 * Include <linux/safe/cleanup.h>, not this header.
 */
#ifndef _LINUX_SAFE_COMPAT_CLEANUP_H
#define _LINUX_SAFE_COMPAT_CLEANUP_H

#include <linux/safe/compat/features.h>
#include <linux/cleanup.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/types.h>

/* Generation 1: no conditional guard support at all. */
#ifndef __guard_ptr
#define SAFE_CLEANUP_UPGRADED 1
/*
 * Let the kernel define its guard classes with its own macros first, so
 * the helpers below are added to exactly those.
 */
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/rcupdate.h>
#include <linux/srcu.h>
#include <linux/preempt.h>
#include <linux/irqflags.h>
#include <linux/pci.h>
#endif

/* -------------------------------------------------------------------- */
/* Owned pointers                                                        */
/* -------------------------------------------------------------------- */

#ifndef __get_and_null
/* Generation 1: no_free_ptr() without __must_check. */
#define __get_and_null(p, nullvalue)		\
	({					\
		__auto_type __ptr = &(p);	\
		__auto_type __val = *__ptr;	\
		*__ptr = nullvalue;		\
		__val;				\
	})

static inline __must_check const void *__safe_must_check_ptr(const void *val)
{
	return val;
}

#undef no_free_ptr
/**
 * no_free_ptr() - take ownership out of a __free() variable
 * @p: the __free() variable
 *
 * Installed on generation 1 kernels, whose no_free_ptr() lacks the
 * __must_check of later ones.  @p becomes NULL, so its cleanup does
 * nothing, and the old value is returned.  Ignoring the result is a leak;
 * safe.kbuild makes it a build error.  return_ptr() uses it too.
 *
 * Context: any.
 * Return: the former value of @p.
 */
#define no_free_ptr(p) \
	((typeof(p))__safe_must_check_ptr((__force const void *)__get_and_null(p, NULL)))
#endif

#ifndef retain_and_null_ptr
/**
 * retain_and_null_ptr() - a callee consumed the object; forget it
 * @p: the __free() variable
 *
 * Backfill of the upstream macro: sets @p to NULL without freeing, for an
 * object handed to a function that took ownership on success.
 *
 * Context: any.
 * Return: nothing.
 */
#define retain_and_null_ptr(p)	((void)__get_and_null(p, NULL))
#endif

/* -------------------------------------------------------------------- */
/* Classes                                                               */
/* -------------------------------------------------------------------- */

#ifndef scoped_class
/**
 * scoped_class() - a class instance for the next statement only
 * @_name: class name
 * @var: name of the instance, visible in the statement
 * @args: constructor arguments
 *
 * Backfill of the upstream macro.
 *
 * Context: whatever the class constructor requires.
 * Return: nothing; it is a statement prefix.
 */
#define scoped_class(_name, var, args...)				\
	for (CLASS(_name, var)(args), *__safe_done = NULL;		\
	     !__safe_done; __safe_done = (void *)1)
#endif

/* -------------------------------------------------------------------- */
/* Guard helpers: lock_ptr() for scoped_guard(), lock_err() for          */
/* ACQUIRE_ERR(), is_conditional for both.                               */
/* -------------------------------------------------------------------- */

#ifndef __GUARD_IS_ERR
#define __GUARD_IS_ERR(_ptr)						\
	({								\
		unsigned long _rc = (__force unsigned long)(_ptr);	\
		unlikely((_rc - 1) >= -MAX_ERRNO - 1);			\
	})
#endif

/*
 * The guard protocol: lock_ptr() for scoped_guard(), lock_err() for
 * ACQUIRE_ERR(), is_conditional for both.  They read the guard's state, the
 * lock pointer (NULL or ERR_PTR(errno) when nothing was acquired), through
 * __safe_raw_<class>(), which the two wrappers below define for the two
 * shapes of class.  All take the class prefix, class_<name>.
 */
#define __SAFE_GUARD_FNS(_cls, _cond)					\
	static __maybe_unused const bool _cls##_is_conditional = _cond;	\
	static inline void *_cls##_lock_ptr(typeof(_cls##_t) *_T)	\
	{								\
		void *p = __safe_raw_##_cls(_T);			\
									\
		return IS_ERR(p) ? NULL : p;				\
	}								\
	static inline int _cls##_lock_err(typeof(_cls##_t) *_T)		\
	{								\
		void *p = __safe_raw_##_cls(_T);			\
									\
		return !p ? -EBUSY : IS_ERR(p) ? PTR_ERR(p) : 0;	\
	}

/* Classes whose value is the lock pointer (DEFINE_GUARD(), DEFINE_CLASS()). */
#define __SAFE_PTR_GUARD_FNS(_cls, _cond)				\
	static inline void *__safe_raw_##_cls(typeof(_cls##_t) *_T)	\
	{								\
		return (void *)(__force unsigned long)*_T;		\
	}								\
	__SAFE_GUARD_FNS(_cls, _cond)

/*
 * Classes that are a struct with ->lock (DEFINE_LOCK_GUARD_*()).  Only
 * generation 1 kernels use these helpers, and there ->lock is never an
 * ERR_PTR() (the kernel's destructor would unlock it).
 */
#define __SAFE_STRUCT_GUARD_FNS(_cls, _cond)				\
	static __maybe_unused const bool _cls##_is_conditional = _cond;	\
	static inline void *_cls##_lock_ptr(typeof(_cls##_t) *_T)	\
	{								\
		return (void *)(__force unsigned long)_T->lock;		\
	}								\
	static inline int _cls##_lock_err(typeof(_cls##_t) *_T)		\
	{								\
		return _T->lock ? 0 : -EBUSY;				\
	}

#ifndef DEFINE_CLASS_IS_GUARD
/**
 * DEFINE_CLASS_IS_GUARD() - make a DEFINE_CLASS() usable with guard macros
 * @_name: a class whose value is a pointer, NULL when nothing was acquired
 *
 * Backfill of the upstream macro.
 *
 * Context: file scope.
 * Return: nothing; defines the class's lock_ptr and lock_err helpers.
 */
#define DEFINE_CLASS_IS_GUARD(_name) \
	__SAFE_PTR_GUARD_FNS(class_##_name, false)

/**
 * DEFINE_CLASS_IS_COND_GUARD() - DEFINE_CLASS_IS_GUARD() for a fallible class
 * @_name: a class whose value is NULL or an ERR_PTR() when acquisition failed
 *
 * Backfill of the upstream macro.
 *
 * Context: file scope.
 * Return: nothing; defines the class's lock_ptr and lock_err helpers.
 */
#define DEFINE_CLASS_IS_COND_GUARD(_name) \
	__SAFE_PTR_GUARD_FNS(class_##_name, true)
#endif

/*
 * The state of an acquisition whose value is @ret and whose success test
 * gave @ok: the lock pointer, or ERR_PTR(@ret) on failure (NULL, read as
 * -EBUSY, when @ret is no errno).
 */
static inline void *__safe_cond_state(void *lock, int ret, bool ok)
{
	if (!lock || ok)
		return lock;
	return ret < 0 && ret >= -MAX_ERRNO ? ERR_PTR(ret) : NULL;
}

/* Is the guard named "scope" of class prefix @_cls held, or unfailing? */
#define __safe_scoped_guard_test(_cls) \
	(_cls##_lock_ptr(&scope) || !_cls##_is_conditional)

#ifdef SAFE_CLEANUP_UPGRADED
/*
 * Generation 1 only.  These definitions keep the interface of the kernel's
 * and add what scoped_guard(), scoped_cond_guard() and ACQUIRE_ERR() need;
 * their destructors skip a failed acquisition.
 */
#undef DEFINE_GUARD
/**
 * DEFINE_GUARD() - define a guard class for a lock taken by pointer
 * @_name: class name
 * @type: pointer type of the lock
 * @_lock: acquisition, using ``_T``
 * @_unlock: release expression, using ``_T``
 *
 * Installed on generation 1 kernels only.
 *
 * Context: file scope.
 * Return: nothing; defines ``class_@_name_t`` and its helpers.
 */
#define DEFINE_GUARD(_name, type, _lock, _unlock)			\
	DEFINE_CLASS(_name, type,					\
		     __GUARD_IS_ERR(_T) ? (void)0 : (void)(_unlock),	\
		     ({ _lock; _T; }), type _T)				\
	static inline void __safe_err_safe_##_name(void) { }		\
	__SAFE_PTR_GUARD_FNS(class_##_name, false)

#define DEFINE_GUARD_COND_4(_name, _ext, _lock, _cond)			\
	static __maybe_unused const bool class_##_name##_ext##_is_conditional = true; \
	EXTEND_CLASS(_name, _ext,					\
		     ({ int _RET = (_lock);				\
			__safe_cond_state(_T, _RET, _cond); }),		\
		     typeof(class_##_name##_t) _T)			\
	static inline void *class_##_name##_ext##_lock_ptr(typeof(class_##_name##_t) *_T) \
	{								\
		/* Only bases whose destructor skips a failure. */	\
		__safe_err_safe_##_name();				\
		return class_##_name##_lock_ptr(_T);			\
	}								\
	static inline int class_##_name##_ext##_lock_err(typeof(class_##_name##_t) *_T) \
	{								\
		return class_##_name##_lock_err(_T);			\
	}

#define DEFINE_GUARD_COND_3(_name, _ext, _lock) \
	DEFINE_GUARD_COND_4(_name, _ext, _lock, _RET)

/**
 * DEFINE_GUARD_COND() - add a conditional variant to a DEFINE_GUARD() class
 * @X: name, suffix, acquisition, and optionally a success test on ``_RET``
 *
 * Installed on generation 1 kernels only, with the 3- and 4-argument forms
 * of generation 3.  The base class must have been defined after
 * <linux/safe/cleanup.h>; extending one of the kernel's own generation 1
 * classes fails to build, because their destructors would unlock a failed
 * acquisition.  On generation 2 kernels the kernel's 3-argument form
 * stays; use SAFE_DEFINE_COND_GUARD() for an errno there.
 *
 * Context: file scope.
 * Return: nothing; defines ``class_@name@ext_t`` and its helpers.
 */
#define DEFINE_GUARD_COND(X...) CONCATENATE(DEFINE_GUARD_COND_, COUNT_ARGS(X))(X)

/**
 * DEFINE_LOCK_GUARD_1() - guard class holding a lock pointer and extra state
 * @_name: class name
 * @type: lock type
 * @_lock: acquisition statement using ``_T->lock``
 * @_unlock: release statement using ``_T->lock``
 * @...: extra members, e.g. ``unsigned long flags``
 *
 * Installed on generation 1 kernels only; built from the kernel's own
 * __DEFINE_UNLOCK_GUARD(), whose destructor skips a NULL lock.
 *
 * Context: file scope.
 * Return: nothing; defines ``class_@_name_t`` and its helpers.
 */
#undef DEFINE_LOCK_GUARD_1
#define DEFINE_LOCK_GUARD_1(_name, type, _lock, _unlock, ...)		\
	__DEFINE_UNLOCK_GUARD(_name, type, _unlock, __VA_ARGS__)	\
	static inline typeof(class_##_name##_t) class_##_name##_constructor(typeof(type) *l) \
	{								\
		typeof(class_##_name##_t) _t = { .lock = l };		\
		typeof(class_##_name##_t) *_T = &_t;			\
									\
		_lock;							\
		return _t;						\
	}								\
	__SAFE_STRUCT_GUARD_FNS(class_##_name, false)

/**
 * DEFINE_LOCK_GUARD_0() - guard class for a lock without an object
 * @_name: class name
 * @_lock: acquisition statement
 * @_unlock: release statement
 * @...: extra members
 *
 * Installed on generation 1 kernels only; for things like RCU or
 * preemption.
 *
 * Context: file scope.
 * Return: nothing; defines ``class_@_name_t`` and its helpers.
 */
#undef DEFINE_LOCK_GUARD_0
#define DEFINE_LOCK_GUARD_0(_name, _lock, _unlock, ...)			\
	__DEFINE_UNLOCK_GUARD(_name, void, _unlock, __VA_ARGS__)	\
	static inline typeof(class_##_name##_t) class_##_name##_constructor(void) \
	{								\
		typeof(class_##_name##_t) _t = { .lock = (void *)1 };	\
		typeof(class_##_name##_t) *_T __maybe_unused = &_t;	\
									\
		_lock;							\
		return _t;						\
	}								\
	__SAFE_STRUCT_GUARD_FNS(class_##_name, false)

/*
 * The kernel's generation 1 __DEFINE_UNLOCK_GUARD() destructor skips only a
 * NULL lock, so a failed acquisition is NULL and ACQUIRE_ERR() reads it as
 * -EBUSY: the errno of the 4-argument form is lost on these kernels.
 */
#define DEFINE_LOCK_GUARD_1_COND_4(_name, _ext, _lock, _cond)		\
	static __maybe_unused const bool class_##_name##_ext##_is_conditional = true; \
	EXTEND_CLASS(_name, _ext,					\
		     ({ typeof(class_##_name##_t) _t = { .lock = l }, *_T = &_t; \
			int _RET = _T->lock ? (_lock) : 0;		\
			_T->lock = (_T->lock && !(_cond)) ? NULL : _T->lock; \
			_t; }),						\
		     typeof_member(class_##_name##_t, lock) l)		\
	static inline void *class_##_name##_ext##_lock_ptr(typeof(class_##_name##_t) *_T) \
	{								\
		return class_##_name##_lock_ptr(_T);			\
	}								\
	static inline int class_##_name##_ext##_lock_err(typeof(class_##_name##_t) *_T) \
	{								\
		return class_##_name##_lock_err(_T);			\
	}

#define DEFINE_LOCK_GUARD_1_COND_3(_name, _ext, _lock) \
	DEFINE_LOCK_GUARD_1_COND_4(_name, _ext, _lock, _RET)

/**
 * DEFINE_LOCK_GUARD_1_COND() - conditional variant of a DEFINE_LOCK_GUARD_1()
 * @X: name, suffix, acquisition using ``_T->lock``, and optionally a success
 *	test on its value ``_RET``
 *
 * Installed on generation 1 kernels only.
 *
 * Context: file scope.
 * Return: nothing; defines ``class_@name@ext_t`` and its helpers.
 */
#define DEFINE_LOCK_GUARD_1_COND(X...) \
	CONCATENATE(DEFINE_LOCK_GUARD_1_COND_, COUNT_ARGS(X))(X)

#define __guard_ptr(_name) class_##_name##_lock_ptr
#define __is_cond_ptr(_name) class_##_name##_is_conditional

#undef scoped_guard
/**
 * scoped_guard() - hold a guard for the next statement
 * @_name: guard class
 * @args: constructor arguments, usually the lock
 *
 * Installed on generation 1 kernels only: a failed conditional acquisition
 * skips the statement.  ``break`` inside it leaves only the guard; see
 * safe_scoped_guard().
 *
 * Context: whatever the guard class requires.
 * Return: nothing; it is a statement prefix.
 */
#define scoped_guard(_name, args...)					\
	for (CLASS(_name, scope)(args), *__safe_done = NULL;		\
	     !__safe_done && __safe_scoped_guard_test(class_##_name);	\
	     __safe_done = (void *)1)

/*
 * Runs @_fail when the guard named "scope" was not acquired; the body is
 * the statement after.  @_fail is usually a return or a goto.
 */
#define __safe_scoped_cond_fail(_cls, _fail)				\
	for (; !__safe_done &&						\
	     (_cls##_lock_ptr(&scope) ||				\
	      ({ BUILD_BUG_ON(!_cls##_is_conditional); _fail; false; })); \
	     __safe_done = (void *)1)

/**
 * scoped_cond_guard() - conditional guard with an explicit failure action
 * @_name: conditional guard class
 * @_fail: statement run when the acquisition fails, e.g. ``return -EINTR``
 * @args: constructor arguments
 *
 * Backfill (generation 1) of the upstream macro.
 *
 * Context: whatever the guard class requires.
 * Return: nothing; it is a statement prefix.
 */
#define scoped_cond_guard(_name, _fail, args...)			\
	for (CLASS(_name, scope)(args), *__safe_done = NULL;		\
	     !__safe_done; __safe_done = (void *)1)			\
		__safe_scoped_cond_fail(class_##_name, _fail)

#endif /* SAFE_CLEANUP_UPGRADED */

/* Generations 1 and 2: no ACQUIRE(). */
#ifndef __guard_err
#define __guard_err(_name) class_##_name##_lock_err
#endif

#ifndef ACQUIRE
/**
 * ACQUIRE() - a named guard, for a conditional acquisition checked later
 * @_name: guard class
 * @_var: name of the guard variable
 *
 * Backfill (before 6.17) of the upstream macro.  Check the result with
 * ACQUIRE_ERR().
 *
 * Context: whatever the guard class requires.
 * Return: nothing; it is a declaration, completed by the constructor
 * arguments in parentheses.
 */
#define ACQUIRE(_name, _var)		CLASS(_name, _var)
#endif

#ifndef ACQUIRE_ERR
/**
 * ACQUIRE_ERR() - the errno of an ACQUIRE()
 * @_name: guard class
 * @_var: pointer to the ACQUIRE() variable
 *
 * Backfill (before 6.17) of the upstream macro.  Works with every class
 * safe defines and, with <linux/safe/guard.h>, with the kernel's own
 * ``_try``/``_intr`` classes.
 *
 * Context: any.
 * Return: 0 when the lock is held, else a negative errno.
 */
#define ACQUIRE_ERR(_name, _var)	class_##_name##_lock_err(_var)
#endif

#define __SAFE_IS_COND(_cls, _cond) \
	static __maybe_unused const bool _cls##_is_conditional = _cond

#ifndef DEFINE_CLASS_IS_UNCONDITIONAL
/**
 * DEFINE_CLASS_IS_UNCONDITIONAL() - mark a DEFINE_CLASS() as a guard that
 *	cannot fail
 * @_name: a class whose constructor always acquires
 *
 * Backfill (before 6.13) of the upstream macro: scoped_guard() treats the
 * class as always held.
 *
 * Context: file scope.
 * Return: nothing; defines the class's is_conditional and lock_ptr.
 */
#define DEFINE_CLASS_IS_UNCONDITIONAL(_name)				\
	__SAFE_IS_COND(class_##_name, false);				\
	static inline void *class_##_name##_lock_ptr(typeof(class_##_name##_t) *_T) \
	{ return (void *)1; }
#endif

#ifndef EXTEND_CLASS_COND
/**
 * EXTEND_CLASS_COND() - EXTEND_CLASS() whose destructor may be skipped
 * @_name: the base class
 * @ext: suffix of the new class
 * @_cond: when true (it may test ``_T``, a pointer to the value), the new
 *	class's destructor does nothing
 * @_init: constructor expression of the new class
 * @_init_args: its arguments
 *
 * Backfill (before 7.0) of the upstream macro.  The typedef is upstream's;
 * its line is split so checkpatch does not take it for a new type.
 *
 * Context: file scope.
 * Return: nothing; defines ``class_@_name@ext_t``.
 */
#define EXTEND_CLASS_COND(_name, ext, _cond, _init, _init_args...)	\
	typedef\
	class_##_name##_t class_##_name##ext##_t;			\
	static inline void class_##_name##ext##_destructor(typeof(class_##_name##_t) *_T) \
	{ if (_cond) return; class_##_name##_destructor(_T); }		\
	static inline class_##_name##_t class_##_name##ext##_constructor(_init_args) \
	{ class_##_name##_t t = _init; return t; }
#endif

#endif /* _LINUX_SAFE_COMPAT_CLEANUP_H */
