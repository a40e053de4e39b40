/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The upstream cleanup.h API on every kernel safe supports.
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
 *     7.0 adds compiler context analysis.
 *
 * This header fills in what the running kernel lacks, feature by feature,
 * and leaves alone what it has.  On generation 1 kernels conditional
 * guards cannot work without a scoped_guard() that tests the lock pointer,
 * so there safe replaces DEFINE_GUARD(), DEFINE_LOCK_GUARD_0/1() and
 * scoped_guard() with definitions that behave as generation 3 does, and
 * gives the kernel's existing guard classes the helpers those need.  For an
 * unconditional guard nothing changes.  See Documentation/guards.rst.
 */
#ifndef _LINUX_SAFE_CLEANUP_H
#define _LINUX_SAFE_CLEANUP_H

#include <linux/safe/compat.h>
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

/*
 * The kernel's own generation 1 guard classes.  Those made with
 * DEFINE_GUARD() hold the lock pointer; DEFINE_LOCK_GUARD_*() ones a struct
 * with ->lock.
 */
#if defined(SAFE_HAVE_CLASS_mutex) && !defined(SAFE_HAVE_LOCK_PTR_mutex)
__SAFE_PTR_GUARD_FNS(class_mutex, false)
#endif
#if defined(SAFE_HAVE_CLASS_rwsem_read) && !defined(SAFE_HAVE_LOCK_PTR_rwsem_read)
__SAFE_PTR_GUARD_FNS(class_rwsem_read, false)
#endif
#if defined(SAFE_HAVE_CLASS_rwsem_write) && !defined(SAFE_HAVE_LOCK_PTR_rwsem_write)
__SAFE_PTR_GUARD_FNS(class_rwsem_write, false)
#endif
#if defined(SAFE_HAVE_CLASS_pci_dev) && !defined(SAFE_HAVE_LOCK_PTR_pci_dev)
__SAFE_PTR_GUARD_FNS(class_pci_dev, false)
#endif
#if defined(SAFE_HAVE_CLASS_spinlock) && !defined(SAFE_HAVE_LOCK_PTR_spinlock)
__SAFE_STRUCT_GUARD_FNS(class_spinlock, false)
#endif
#if defined(SAFE_HAVE_CLASS_spinlock_irq) && !defined(SAFE_HAVE_LOCK_PTR_spinlock_irq)
__SAFE_STRUCT_GUARD_FNS(class_spinlock_irq, false)
#endif
#if defined(SAFE_HAVE_CLASS_spinlock_irqsave) && \
	!defined(SAFE_HAVE_LOCK_PTR_spinlock_irqsave)
__SAFE_STRUCT_GUARD_FNS(class_spinlock_irqsave, false)
#endif
#if defined(SAFE_HAVE_CLASS_raw_spinlock) && !defined(SAFE_HAVE_LOCK_PTR_raw_spinlock)
__SAFE_STRUCT_GUARD_FNS(class_raw_spinlock, false)
#endif
#if defined(SAFE_HAVE_CLASS_raw_spinlock_nested) && \
	!defined(SAFE_HAVE_LOCK_PTR_raw_spinlock_nested)
__SAFE_STRUCT_GUARD_FNS(class_raw_spinlock_nested, false)
#endif
#if defined(SAFE_HAVE_CLASS_raw_spinlock_irq) && \
	!defined(SAFE_HAVE_LOCK_PTR_raw_spinlock_irq)
__SAFE_STRUCT_GUARD_FNS(class_raw_spinlock_irq, false)
#endif
#if defined(SAFE_HAVE_CLASS_raw_spinlock_irqsave) && \
	!defined(SAFE_HAVE_LOCK_PTR_raw_spinlock_irqsave)
__SAFE_STRUCT_GUARD_FNS(class_raw_spinlock_irqsave, false)
#endif
#if defined(SAFE_HAVE_CLASS_rcu) && !defined(SAFE_HAVE_LOCK_PTR_rcu)
__SAFE_STRUCT_GUARD_FNS(class_rcu, false)
#endif
#if defined(SAFE_HAVE_CLASS_srcu) && !defined(SAFE_HAVE_LOCK_PTR_srcu)
__SAFE_STRUCT_GUARD_FNS(class_srcu, false)
#endif
#if defined(SAFE_HAVE_CLASS_preempt) && !defined(SAFE_HAVE_LOCK_PTR_preempt)
__SAFE_STRUCT_GUARD_FNS(class_preempt, false)
#endif
#if defined(SAFE_HAVE_CLASS_preempt_notrace) && \
	!defined(SAFE_HAVE_LOCK_PTR_preempt_notrace)
__SAFE_STRUCT_GUARD_FNS(class_preempt_notrace, false)
#endif
#if defined(SAFE_HAVE_CLASS_migrate) && !defined(SAFE_HAVE_LOCK_PTR_migrate)
__SAFE_STRUCT_GUARD_FNS(class_migrate, false)
#endif
#if defined(SAFE_HAVE_CLASS_irq) && !defined(SAFE_HAVE_LOCK_PTR_irq)
__SAFE_STRUCT_GUARD_FNS(class_irq, false)
#endif
#if defined(SAFE_HAVE_CLASS_irqsave) && !defined(SAFE_HAVE_LOCK_PTR_irqsave)
__SAFE_STRUCT_GUARD_FNS(class_irqsave, false)
#endif
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
	static inline void __safe_lock_##_name(type _T) { _lock; }	\
	static inline void __safe_unlock_##_name(type _T) { _unlock; }	\
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
	{								\
		unsigned long _F;					\
									\
		_lock;							\
		return _F;						\
	}								\
	static inline void __safe_unlock_##_name(type _T, unsigned long _F) \
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
	{								\
		int _RET = (_lock);					\
									\
		return (_cond) ? 0 : _RET < 0 ? _RET : -EBUSY;		\
	}								\
	static inline void __safe_unlock_##_name(type _T) { _unlock; }	\
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
	static inline int __safe_lock_##_name(type _T) { return _lock; } \
	static inline void __safe_unlock_##_name(type _T) { _unlock; }	\
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
