/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lock guard classes for guard(), scoped_guard(), scoped_cond_guard() and
 * ACQUIRE().
 *
 * Upstream classes the running kernel lacks are defined under their
 * upstream names, so code written for a newer kernel builds unchanged:
 * spinlock_bh, raw_spinlock_bh, the rwlock guards, disable_irq, device, and
 * the conditional ``_try``/``_intr``/``_kill`` variants.  Each one is
 * defined only when the feature probe did not find it in the kernel.
 *
 * Classes upstream does not have carry the ``safe_`` prefix:
 *
 * ======================== ===================================== =========
 * class                    acquires                              errno
 * ======================== ===================================== =========
 * safe_mutex_kill          mutex_lock_killable()                 -EINTR
 * safe_rwsem_read_kill     down_read_killable()                  -EINTR
 * safe_local_bh            local_bh_disable()
 * safe_rcu_bh              rcu_read_lock_bh()
 * safe_rcu_sched           rcu_read_lock_sched()
 * safe_write_seqlock       write_seqlock()
 * safe_write_seqlock_bh    write_seqlock_bh()
 * safe_write_seqlock_irq   write_seqlock_irq()
 * safe_write_seqlock_irqsave write_seqlock_irqsave()
 * safe_read_seqlock_excl   read_seqlock_excl()
 * safe_percpu_read         percpu_down_read()
 * safe_percpu_read_try     percpu_down_read_trylock()            -EBUSY
 * safe_percpu_write        percpu_down_write()
 * ======================== ===================================== =========
 *
 * plus safe_seqlock_read(), the lockless reader's retry loop.
 */
#ifndef _LINUX_SAFE_GUARD_H
#define _LINUX_SAFE_GUARD_H

#include <linux/safe/cleanup.h>
#include <linux/bottom_half.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/mutex.h>
#include <linux/percpu-rwsem.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>

/*
 * lock_err() for the kernel's own errno-less conditional guards.  Their
 * state is NULL on failure; the errno follows from the primitive: every
 * trylock fails with -EBUSY, every interruptible or killable sleep with
 * -EINTR.
 */
#define __SAFE_LOCK_ERR_FROM_PTR(_name, _err)				\
	static inline int class_##_name##_lock_err(typeof(class_##_name##_t) *_T) \
	{								\
		return class_##_name##_lock_ptr(_T) ? 0 : (_err);	\
	}

#if defined(SAFE_HAVE_CLASS_mutex_try) && !defined(SAFE_HAVE_LOCK_ERR_mutex_try)
__SAFE_LOCK_ERR_FROM_PTR(mutex_try, -EBUSY)
#endif
#if defined(SAFE_HAVE_CLASS_mutex_intr) && !defined(SAFE_HAVE_LOCK_ERR_mutex_intr)
__SAFE_LOCK_ERR_FROM_PTR(mutex_intr, -EINTR)
#endif
#if defined(SAFE_HAVE_CLASS_rwsem_read_try) && !defined(SAFE_HAVE_LOCK_ERR_rwsem_read_try)
__SAFE_LOCK_ERR_FROM_PTR(rwsem_read_try, -EBUSY)
#endif
#if defined(SAFE_HAVE_CLASS_rwsem_read_intr) && !defined(SAFE_HAVE_LOCK_ERR_rwsem_read_intr)
__SAFE_LOCK_ERR_FROM_PTR(rwsem_read_intr, -EINTR)
#endif
#if defined(SAFE_HAVE_CLASS_rwsem_write_try) && !defined(SAFE_HAVE_LOCK_ERR_rwsem_write_try)
__SAFE_LOCK_ERR_FROM_PTR(rwsem_write_try, -EBUSY)
#endif
#if defined(SAFE_HAVE_CLASS_rwsem_write_kill) && !defined(SAFE_HAVE_LOCK_ERR_rwsem_write_kill)
__SAFE_LOCK_ERR_FROM_PTR(rwsem_write_kill, -EINTR)
#endif
#if defined(SAFE_HAVE_CLASS_spinlock_try) && !defined(SAFE_HAVE_LOCK_ERR_spinlock_try)
__SAFE_LOCK_ERR_FROM_PTR(spinlock_try, -EBUSY)
#endif
#if defined(SAFE_HAVE_CLASS_spinlock_irq_try) && !defined(SAFE_HAVE_LOCK_ERR_spinlock_irq_try)
__SAFE_LOCK_ERR_FROM_PTR(spinlock_irq_try, -EBUSY)
#endif
#if defined(SAFE_HAVE_CLASS_spinlock_irqsave_try) && \
	!defined(SAFE_HAVE_LOCK_ERR_spinlock_irqsave_try)
__SAFE_LOCK_ERR_FROM_PTR(spinlock_irqsave_try, -EBUSY)
#endif
#if defined(SAFE_HAVE_CLASS_spinlock_bh_try) && !defined(SAFE_HAVE_LOCK_ERR_spinlock_bh_try)
__SAFE_LOCK_ERR_FROM_PTR(spinlock_bh_try, -EBUSY)
#endif
#if defined(SAFE_HAVE_CLASS_raw_spinlock_try) && !defined(SAFE_HAVE_LOCK_ERR_raw_spinlock_try)
__SAFE_LOCK_ERR_FROM_PTR(raw_spinlock_try, -EBUSY)
#endif
#if defined(SAFE_HAVE_CLASS_raw_spinlock_irq_try) && \
	!defined(SAFE_HAVE_LOCK_ERR_raw_spinlock_irq_try)
__SAFE_LOCK_ERR_FROM_PTR(raw_spinlock_irq_try, -EBUSY)
#endif
#if defined(SAFE_HAVE_CLASS_raw_spinlock_irqsave_try) && \
	!defined(SAFE_HAVE_LOCK_ERR_raw_spinlock_irqsave_try)
__SAFE_LOCK_ERR_FROM_PTR(raw_spinlock_irqsave_try, -EBUSY)
#endif
#if defined(SAFE_HAVE_CLASS_raw_spinlock_bh_try) && \
	!defined(SAFE_HAVE_LOCK_ERR_raw_spinlock_bh_try)
__SAFE_LOCK_ERR_FROM_PTR(raw_spinlock_bh_try, -EBUSY)
#endif

/* -------------------------------------------------------------------- */
/* Upstream classes, where the kernel lacks them                         */
/* -------------------------------------------------------------------- */

#ifndef SAFE_HAVE_CLASS_spinlock_bh
DEFINE_LOCK_GUARD_1(spinlock_bh, spinlock_t,
		    spin_lock_bh(_T->lock),
		    spin_unlock_bh(_T->lock))
#endif

#ifndef SAFE_HAVE_CLASS_raw_spinlock_bh
DEFINE_LOCK_GUARD_1(raw_spinlock_bh, raw_spinlock_t,
		    raw_spin_lock_bh(_T->lock),
		    raw_spin_unlock_bh(_T->lock))
#endif

#ifndef SAFE_HAVE_CLASS_read_lock
DEFINE_LOCK_GUARD_1(read_lock, rwlock_t,
		    read_lock(_T->lock),
		    read_unlock(_T->lock))
#endif

#ifndef SAFE_HAVE_CLASS_read_lock_irq
DEFINE_LOCK_GUARD_1(read_lock_irq, rwlock_t,
		    read_lock_irq(_T->lock),
		    read_unlock_irq(_T->lock))
#endif

#ifndef SAFE_HAVE_CLASS_read_lock_irqsave
DEFINE_LOCK_GUARD_1(read_lock_irqsave, rwlock_t,
		    read_lock_irqsave(_T->lock, _T->flags),
		    read_unlock_irqrestore(_T->lock, _T->flags),
		    unsigned long flags)
#endif

#ifndef SAFE_HAVE_CLASS_write_lock
DEFINE_LOCK_GUARD_1(write_lock, rwlock_t,
		    write_lock(_T->lock),
		    write_unlock(_T->lock))
#endif

#ifndef SAFE_HAVE_CLASS_write_lock_irq
DEFINE_LOCK_GUARD_1(write_lock_irq, rwlock_t,
		    write_lock_irq(_T->lock),
		    write_unlock_irq(_T->lock))
#endif

#ifndef SAFE_HAVE_CLASS_write_lock_irqsave
DEFINE_LOCK_GUARD_1(write_lock_irqsave, rwlock_t,
		    write_lock_irqsave(_T->lock, _T->flags),
		    write_unlock_irqrestore(_T->lock, _T->flags),
		    unsigned long flags)
#endif

#ifndef SAFE_HAVE_CLASS_disable_irq
DEFINE_LOCK_GUARD_1(disable_irq, int,
		    disable_irq(*_T->lock),
		    enable_irq(*_T->lock))
#endif

#ifndef SAFE_HAVE_CLASS_device
DEFINE_GUARD(device, struct device *, device_lock(_T), device_unlock(_T))
#endif

/*
 * Conditional variants.  The sleeping ones stand alone and keep their errno
 * (ACQUIRE_ERR() gives -EINTR); the trylocks extend their base class and
 * fail with -EBUSY.
 */
#ifndef SAFE_HAVE_CLASS_mutex_try
SAFE_DEFINE_COND_GUARD(mutex_try, struct mutex *,
		       mutex_trylock(_T), _RET, mutex_unlock(_T))
#endif

#ifndef SAFE_HAVE_CLASS_mutex_intr
SAFE_DEFINE_ERR_GUARD(mutex_intr, struct mutex *,
		      mutex_lock_interruptible(_T), mutex_unlock(_T))
#endif

#ifndef SAFE_HAVE_CLASS_rwsem_read_try
SAFE_DEFINE_COND_GUARD(rwsem_read_try, struct rw_semaphore *,
		       down_read_trylock(_T), _RET, up_read(_T))
#endif

#ifndef SAFE_HAVE_CLASS_rwsem_read_intr
SAFE_DEFINE_ERR_GUARD(rwsem_read_intr, struct rw_semaphore *,
		      down_read_interruptible(_T), up_read(_T))
#endif

#ifndef SAFE_HAVE_CLASS_rwsem_write_try
SAFE_DEFINE_COND_GUARD(rwsem_write_try, struct rw_semaphore *,
		       down_write_trylock(_T), _RET, up_write(_T))
#endif

#ifndef SAFE_HAVE_CLASS_rwsem_write_kill
SAFE_DEFINE_ERR_GUARD(rwsem_write_kill, struct rw_semaphore *,
		      down_write_killable(_T), up_write(_T))
#endif

#ifndef SAFE_HAVE_CLASS_spinlock_try
DEFINE_LOCK_GUARD_1_COND(spinlock, _try, spin_trylock(_T->lock))
#endif

#ifndef SAFE_HAVE_CLASS_spinlock_irq_try
DEFINE_LOCK_GUARD_1_COND(spinlock_irq, _try, spin_trylock_irq(_T->lock))
#endif

#ifndef SAFE_HAVE_CLASS_spinlock_irqsave_try
DEFINE_LOCK_GUARD_1_COND(spinlock_irqsave, _try,
			 spin_trylock_irqsave(_T->lock, _T->flags))
#endif

#ifndef SAFE_HAVE_CLASS_spinlock_bh_try
DEFINE_LOCK_GUARD_1_COND(spinlock_bh, _try, spin_trylock_bh(_T->lock))
#endif

#ifndef SAFE_HAVE_CLASS_raw_spinlock_try
DEFINE_LOCK_GUARD_1_COND(raw_spinlock, _try, raw_spin_trylock(_T->lock))
#endif

#ifndef SAFE_HAVE_CLASS_raw_spinlock_irq_try
DEFINE_LOCK_GUARD_1_COND(raw_spinlock_irq, _try, raw_spin_trylock_irq(_T->lock))
#endif

#ifndef SAFE_HAVE_CLASS_raw_spinlock_irqsave_try
DEFINE_LOCK_GUARD_1_COND(raw_spinlock_irqsave, _try,
			 raw_spin_trylock_irqsave(_T->lock, _T->flags))
#endif

#ifndef SAFE_HAVE_CLASS_raw_spinlock_bh_try
DEFINE_LOCK_GUARD_1_COND(raw_spinlock_bh, _try, raw_spin_trylock_bh(_T->lock))
#endif

/* -------------------------------------------------------------------- */
/* Classes upstream does not have                                        */
/* -------------------------------------------------------------------- */

SAFE_DEFINE_ERR_GUARD(safe_mutex_kill, struct mutex *,
		      mutex_lock_killable(_T), mutex_unlock(_T))

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

SAFE_DEFINE_GUARD(safe_percpu_read, struct percpu_rw_semaphore *,
		  percpu_down_read(_T), percpu_up_read(_T))

SAFE_DEFINE_COND_GUARD(safe_percpu_read_try, struct percpu_rw_semaphore *,
		       percpu_down_read_trylock(_T), _RET, percpu_up_read(_T))

SAFE_DEFINE_GUARD(safe_percpu_write, struct percpu_rw_semaphore *,
		  percpu_down_write(_T), percpu_up_write(_T))

/*
 * The reader loop: an outer loop that runs once and holds the seqlock
 * pointer, a middle one that turns a "break" into a build error (see
 * safe_scoped_guard()), and the retry loop proper.
 */
#define __safe_seqlock_retry()						\
	for (; !__safe_st;						\
	     __safe_st = !read_seqretry(__safe_sl, __safe_seq) ||	\
			 ((__safe_seq = read_seqbegin(__safe_sl)), 0))

#define __safe_seqlock_once()						\
	for (unsigned int __safe_seq = read_seqbegin(__safe_sl), __safe_st = 0; \
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
