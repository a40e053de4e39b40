/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lock guard classes for guard(), scoped_guard(), scoped_cond_guard() and
 * ACQUIRE().
 *
 * Every upstream class works under its upstream name on every kernel:
 * <linux/safe/compat/classes.h> backfills those the running kernel lacks
 * (spinlock_bh, the rwlock guards, disable_irq, device, the conditional
 * ``_try``/``_intr``/``_kill`` variants, percpu_read/percpu_write, the
 * ``*_init`` classes, ...).  Prefer the upstream names.
 *
 * safe's own names for classes upstream now has are aliases: the same
 * class, under a second name, kept so existing code builds.
 *
 * ======================== ===================================== =========
 * alias                    upstream class                        errno
 * ======================== ===================================== =========
 * safe_mutex_kill          mutex_kill (7.0)                      -EINTR
 * safe_percpu_read         percpu_read (6.13)
 * safe_percpu_read_try     percpu_read_try (6.13)                -EBUSY
 * safe_percpu_write        percpu_write (6.13)
 * ======================== ===================================== =========
 *
 * Classes upstream does not have carry the ``safe_`` prefix:
 *
 * ======================== ===================================== =========
 * class                    acquires                              errno
 * ======================== ===================================== =========
 * safe_rwsem_read_kill     down_read_killable()                  -EINTR
 * safe_local_bh            local_bh_disable()
 * safe_rcu_bh              rcu_read_lock_bh()
 * safe_rcu_sched           rcu_read_lock_sched()
 * safe_write_seqlock       write_seqlock()
 * safe_write_seqlock_bh    write_seqlock_bh()
 * safe_write_seqlock_irq   write_seqlock_irq()
 * safe_write_seqlock_irqsave write_seqlock_irqsave()
 * safe_read_seqlock_excl   read_seqlock_excl()
 * ======================== ===================================== =========
 *
 * plus safe_seqlock_read(), the lockless reader's retry loop.
 */
#ifndef _LINUX_SAFE_GUARD_H
#define _LINUX_SAFE_GUARD_H

#include <linux/safe/cleanup.h>
#include <linux/safe/compat/classes.h>
#include <linux/bottom_half.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/mutex.h>
#include <linux/percpu-rwsem.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>

/* -------------------------------------------------------------------- */
/* Classes upstream does not have                                        */
/* -------------------------------------------------------------------- */

SAFE_DEFINE_ERR_GUARD(safe_rwsem_read_kill, struct rw_semaphore *,
		      down_read_killable(_T), up_read(_T))

DEFINE_LOCK_GUARD_0(safe_local_bh, local_bh_disable(), local_bh_enable())

DEFINE_LOCK_GUARD_0(safe_rcu_bh, rcu_read_lock_bh(), rcu_read_unlock_bh())

DEFINE_LOCK_GUARD_0(safe_rcu_sched,
		    rcu_read_lock_sched(), rcu_read_unlock_sched())

SAFE_DEFINE_GUARD(safe_write_seqlock, seqlock_t *,
		  write_seqlock(_T), write_sequnlock(_T))

SAFE_DEFINE_GUARD(safe_write_seqlock_bh, seqlock_t *,
		  write_seqlock_bh(_T), write_sequnlock_bh(_T))

SAFE_DEFINE_GUARD(safe_write_seqlock_irq, seqlock_t *,
		  write_seqlock_irq(_T), write_sequnlock_irq(_T))

SAFE_DEFINE_GUARD_FLAGS(safe_write_seqlock_irqsave, seqlock_t *,
			write_seqlock_irqsave(_T, _F),
			write_sequnlock_irqrestore(_T, _F))

SAFE_DEFINE_GUARD(safe_read_seqlock_excl, seqlock_t *,
		  read_seqlock_excl(_T), read_sequnlock_excl(_T))

/*
 * A class alias: every name guard(), CLASS(), scoped_guard() and
 * ACQUIRE_ERR() build from the class name, mapped to the upstream class's.
 */
#define class_safe_mutex_kill_t			class_mutex_kill_t
#define class_safe_mutex_kill_constructor	class_mutex_kill_constructor
#define class_safe_mutex_kill_destructor	class_mutex_kill_destructor
#define class_safe_mutex_kill_lock_ptr		class_mutex_kill_lock_ptr
#define class_safe_mutex_kill_lock_err		class_mutex_kill_lock_err
#define class_safe_mutex_kill_is_conditional	class_mutex_kill_is_conditional

#define class_safe_percpu_read_t		class_percpu_read_t
#define class_safe_percpu_read_constructor	class_percpu_read_constructor
#define class_safe_percpu_read_destructor	class_percpu_read_destructor
#define class_safe_percpu_read_lock_ptr		class_percpu_read_lock_ptr
#define class_safe_percpu_read_lock_err		class_percpu_read_lock_err
#define class_safe_percpu_read_is_conditional	class_percpu_read_is_conditional

#define class_safe_percpu_read_try_t		class_percpu_read_try_t
#define class_safe_percpu_read_try_constructor	class_percpu_read_try_constructor
#define class_safe_percpu_read_try_destructor	class_percpu_read_try_destructor
#define class_safe_percpu_read_try_lock_ptr	class_percpu_read_try_lock_ptr
#define class_safe_percpu_read_try_lock_err	class_percpu_read_try_lock_err
#define class_safe_percpu_read_try_is_conditional class_percpu_read_try_is_conditional

#define class_safe_percpu_write_t		class_percpu_write_t
#define class_safe_percpu_write_constructor	class_percpu_write_constructor
#define class_safe_percpu_write_destructor	class_percpu_write_destructor
#define class_safe_percpu_write_lock_ptr	class_percpu_write_lock_ptr
#define class_safe_percpu_write_lock_err	class_percpu_write_lock_err
#define class_safe_percpu_write_is_conditional	class_percpu_write_is_conditional

/*
 * The reader loop: an outer loop that runs once and holds the seqlock
 * pointer, a middle one that turns a "break" into a build error (see
 * safe_scoped_guard()), and the retry loop proper.
 *
 * For Clang's context analysis the reader holds the seqlock shared from
 * the first read_seqbegin() to the end of the loop, as upstream's
 * scoped_seqlock_read() does: the retries happen in a helper the analysis
 * does not look into, and __safe_ctx, an alias of the seqlock, releases it
 * when the loop's scope ends.
 */
static __always_inline bool __safe_seqlock_done(seqlock_t *sl, unsigned int *seq)
	__no_context_analysis
{
	if (!read_seqretry(sl, *seq))
		return true;
	*seq = read_seqbegin(sl);
	return false;
}

static __always_inline void __safe_seqlock_ctx(unsigned int **sl)
	__releases_shared(*(seqlock_t **)sl) __no_context_analysis { }

#define __safe_seqlock_retry()						\
	for (; !__safe_st;						\
	     __safe_st = __safe_seqlock_done(__safe_sl, &__safe_seq))

#define __safe_seqlock_once()						\
	for (unsigned int __safe_seq = read_seqbegin(__safe_sl), __safe_st = 0, \
	     *__safe_ctx __cleanup(__safe_seqlock_ctx) =		\
		(unsigned int *)__safe_sl;				\
	     !__safe_st; __safe_st || (__safe_scoped_break(), 0))	\
		__safe_seqlock_retry()

/**
 * safe_seqlock_read() - run a lockless seqlock read section until it is clean
 * @_sl: the &seqlock_t to read under
 *
 * The next statement runs between read_seqbegin() and read_seqretry(), and
 * again for as long as a writer interfered.  It must only read shared data
 * into locals, and must be safe to repeat.  ``break`` inside it fails the
 * build: it would leave the loop with a possibly torn snapshot.
 *
 * Example::
 *
 *	safe_seqlock_read(&t->lock) {
 *		sec = t->sec;
 *		nsec = t->nsec;
 *	}
 *
 * Context: any context where the writer cannot run on this CPU during the
 * read (as for read_seqbegin()).
 * Return: nothing; it is a statement prefix.
 */
#define safe_seqlock_read(_sl)						\
	for (seqlock_t *__safe_sl = (_sl); __safe_sl; __safe_sl = NULL)	\
		__safe_seqlock_once()

#endif /* _LINUX_SAFE_GUARD_H */
