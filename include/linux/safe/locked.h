/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lock-bound data: C's answer to Rust's Mutex<T> and LockedBy<T, U>.
 *
 * SAFE_DECLARE_LOCKED() puts data next to its lock and hides it: the member is
 * __private (sparse reports any direct use) and the only accessors are
 *
 *  - safe_locked_scope(), which takes the lock for the next statement and
 *    names the data pointer only inside it, so a use outside the scope does
 *    not compile;
 *  - safe_locked_get(), for code that already holds the lock, which lockdep
 *    checks on every call.
 *
 * SAFE_DECLARE_LOCKED_BY() is for data protected by a lock that lives elsewhere,
 * typically in a parent object.  safe_locked_by() asks for that lock,
 * asserts it is held, and (with CONFIG_SAFE_DEBUG) that it is the lock the
 * data was bound to.
 *
 * With Clang's context analysis (Clang 23, 7.x, CONFIG_WARN_CONTEXT_ANALYSIS)
 * the data is __guarded_by() its lock, safe_locked_scope() holds the lock
 * in the analysis's eyes, and safe_locked_get() requires the caller to
 * hold it: calling it without the lock is a build-time warning, not only a
 * lockdep splat at run time.  (safe_locked_by() takes its lock at run
 * time; lockdep checks it.)  Elsewhere the annotations are empty.
 */
#ifndef _LINUX_SAFE_LOCKED_H
#define _LINUX_SAFE_LOCKED_H

#include <linux/safe/guard.h>
#include <linux/safe/compat/context.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/lockdep.h>

/*
 * A read of the lock-bound data that the compiler drops: Clang's context
 * analysis checks it against the locks it knows are held (the data is
 * __guarded_by() its lock), so a caller without the lock gets a warning.
 */
#define __safe_locked_check(_locked) \
	((void)ACCESS_PRIVATE(_locked, __safe_locked_data))

/**
 * SAFE_LOCKED() - the type of a lock and the data only it may reach
 * @_lock_type: type of the lock, e.g. ``struct mutex`` or ``spinlock_t``
 * @_data_type: type of the protected data
 *
 * The type SAFE_DECLARE_LOCKED() declares.  Declare a member as
 * ``SAFE_LOCKED(struct mutex, struct foo_stats) stats;`` in a struct with
 * kernel-doc: kernel-doc (7.x) documents a member declared this way as
 * ``@stats``, and reports one declared with SAFE_DECLARE_LOCKED() as an
 * excess description.
 *
 * Context: any declaration.
 * Return: nothing; it is a type.
 */
#define SAFE_LOCKED(_lock_type, _data_type)				\
	SAFE_DECLARE_LOCKED(_lock_type, _data_type, /* a type only */)

/**
 * SAFE_DECLARE_LOCKED() - declare a lock and the data only it may reach
 * @_lock_type: type of the lock, e.g. ``struct mutex`` or ``spinlock_t``
 * @_data_type: type of the protected data
 * @name: the member or variable to declare
 *
 * Declares @name as an anonymous struct with a public ``lock`` member, to
 * be initialised with the lock's own init function, and a hidden data
 * member.  SAFE_LOCKED() is the same type, for kernel-doc'ed structs.
 *
 * Example::
 *
 *	struct foo {
 *		SAFE_DECLARE_LOCKED(struct mutex, struct foo_stats, stats);
 *	};
 *
 *	mutex_init(&foo->stats.lock);
 *	safe_locked_scope(mutex, s, &foo->stats)
 *		s->rx_packets++;
 *
 * Context: any declaration.
 * Return: nothing; it is a declaration of @name.
 */
#define SAFE_DECLARE_LOCKED(_lock_type, _data_type, name)		\
	struct {							\
		_lock_type lock;					\
		_data_type __private __safe_locked_data __guarded_by(&lock); \
	} name

#define __safe_locked_ptr(_locked) \
	(&ACCESS_PRIVATE(_locked, __safe_locked_data))

/* The type of a pointer to the data of @_locked. */
#define __safe_locked_ptr_t(_locked) typeof(__safe_locked_ptr(_locked))

/**
 * safe_locked_scope() - run the next statement with the lock held
 * @_guard: guard class for the lock type, e.g. ``mutex``, ``spinlock_irqsave``
 *	or a conditional one such as ``mutex_try``
 * @_var: name of the data pointer, visible only in the statement
 * @_locked: pointer to the SAFE_DECLARE_LOCKED() object
 *
 * The lock is released however the statement is left.  With a conditional
 * guard the statement is skipped when the lock is not taken.
 *
 * Context: whatever @_guard requires; ``mutex`` may sleep.
 * Return: nothing; it is a statement prefix.
 */
#define safe_locked_scope(_guard, _var, _locked)			\
	for (typeof(_locked) __safe_l = (_locked); __safe_l; __safe_l = NULL) \
		__safe_locked_scope(_guard, _var)

/* Runs once: the increment clears __safe_l, which ends both loops. */
#define __safe_locked_scope(_guard, _var)				\
	for (__safe_locked_ptr_t(__safe_l) _var =			\
		     __safe_locked_ptr(__safe_l);			\
	     __safe_l; __safe_l = NULL)					\
		scoped_guard(_guard, &__safe_l->lock)

/**
 * safe_locked_get() - the data, for a caller that holds the lock
 * @_locked: pointer to the SAFE_DECLARE_LOCKED() object
 *
 * Lockdep (CONFIG_PROVE_LOCKING) warns when the lock is not held, and
 * Clang's context analysis when the caller does not hold it.
 *
 * Context: the lock of @_locked must be held.
 * Return: pointer to the protected data.
 */
#define safe_locked_get(_locked)					\
	({								\
		typeof(_locked) __safe_l = (_locked);			\
									\
		__safe_locked_check(__safe_l);				\
		lockdep_assert_held(&__safe_l->lock);			\
		__safe_locked_ptr(__safe_l);				\
	})

/**
 * safe_locked_init_ptr() - the data, before the object is shared
 * @_locked: pointer to the SAFE_DECLARE_LOCKED() object
 *
 * For initialisation only, while no other thread can reach @_locked, e.g.
 * in probe() before the object is registered anywhere.  Clang's context
 * analysis takes the caller's word for it, as for context_unsafe(); on 7.x
 * ``scoped_guard(mutex_init, &x->lock)`` (and the other ``*_init``
 * classes) is the checked alternative.
 *
 * Context: single-threaded initialisation of @_locked.
 * Return: pointer to the protected data.
 */
#define safe_locked_init_ptr(_locked)	context_unsafe(__safe_locked_ptr(_locked))

/**
 * SAFE_DECLARE_LOCKED_BY() - declare data protected by a lock elsewhere
 * @_data_type: type of the protected data
 * @name: the member or variable to declare
 *
 * Rust's LockedBy: the lock belongs to another object, usually the parent
 * that owns many of these.  Bind it once with safe_locked_by_init().  With
 * CONFIG_SAFE_DEBUG the object also remembers that lock.
 *
 * Context: any declaration.
 * Return: nothing; it is a declaration of @name.
 */
#ifdef CONFIG_SAFE_DEBUG
#define SAFE_DECLARE_LOCKED_BY(_data_type, name)			\
	struct {							\
		_data_type __private __safe_locked_data;		\
		const void *__safe_owner;				\
	} name
#define __safe_locked_by_bind(_lb, _lock)	((_lb)->__safe_owner = (_lock))
#define __safe_locked_by_owner_ok(_lb, _lock)	((_lb)->__safe_owner == (_lock))
#else
#define SAFE_DECLARE_LOCKED_BY(_data_type, name)			\
	struct {							\
		_data_type __private __safe_locked_data;		\
	} name
#define __safe_locked_by_bind(_lb, _lock)	((void)(_lb), (void)(_lock))
#define __safe_locked_by_owner_ok(_lb, _lock)	((void)(_lb), (void)(_lock), true)
#endif

/**
 * SAFE_LOCKED_BY() - the type SAFE_DECLARE_LOCKED_BY() declares
 * @_data_type: type of the protected data
 *
 * For members of a struct with kernel-doc, as SAFE_LOCKED() is.
 *
 * Context: any declaration.
 * Return: nothing; it is a type.
 */
#define SAFE_LOCKED_BY(_data_type)					\
	SAFE_DECLARE_LOCKED_BY(_data_type, /* a type only */)

/**
 * safe_locked_by_init() - bind lock-bound data to its lock
 * @_lb: pointer to the SAFE_DECLARE_LOCKED_BY() object
 * @_lock: the lock that protects it
 *
 * Context: single-threaded initialisation of @_lb.
 * Return: pointer to the data, for initialising it.
 */
#define safe_locked_by_init(_lb, _lock)					\
	({								\
		typeof(_lb) __safe_b = (_lb);				\
									\
		__safe_locked_by_bind(__safe_b, _lock);			\
		__safe_locked_ptr(__safe_b);				\
	})

/**
 * safe_locked_by_check() - is @_lock held and the one @_lb was bound to?
 * @_lb: pointer to the SAFE_DECLARE_LOCKED_BY() object
 * @_lock: the lock the caller holds
 *
 * Without lockdep only the binding is checked (with CONFIG_SAFE_DEBUG).
 *
 * Context: any.
 * Return: true when access through @_lock is allowed.
 */
#define safe_locked_by_check(_lb, _lock)				\
	({								\
		typeof(_lock) __safe_k = (_lock);			\
									\
		__safe_locked_by_owner_ok(_lb, __safe_k) &&		\
		(!IS_ENABLED(CONFIG_LOCKDEP) || lockdep_is_held(__safe_k)); \
	})

/**
 * safe_locked_by() - the data, for a caller that holds its lock
 * @_lb: pointer to the SAFE_DECLARE_LOCKED_BY() object
 * @_lock: the lock the caller holds
 *
 * Warns once (and lockdep warns) when @_lock is not held or, with
 * CONFIG_SAFE_DEBUG, is not the lock @_lb was bound to.
 *
 * Context: @_lock must be held.
 * Return: pointer to the protected data.
 */
#define safe_locked_by(_lb, _lock)					\
	({								\
		typeof(_lb) __safe_b = (_lb);				\
		typeof(_lock) __safe_k = (_lock);			\
									\
		lockdep_assert_held(__safe_k);				\
		WARN_ON_ONCE(!__safe_locked_by_owner_ok(__safe_b, __safe_k)); \
		__safe_locked_ptr(__safe_b);				\
	})

#endif /* _LINUX_SAFE_LOCKED_H */
