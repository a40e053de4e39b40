/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The class table: every guard and __free() class, and every kernel
 * function, that safe backfills under its upstream name, one row each.
 *
 * A row is a block guarded by SAFE_HAVE_CLASS_<name>, SAFE_HAVE_FREE_<name>
 * or SAFE_HAVE_FN_<name> (also SAFE_HAVE_LOCK_PTR_/LOCK_ERR_<name> for the
 * helpers older generations of a class lack).  scripts/probe-features.sh
 * reads those names from this directory and probes the target kernel for
 * each; the row's definition is compiled only where the kernel lacks it.
 * Adding a class is adding its row here; dropping a kernel is deleting the
 * rows only it needed.  Each row follows the upstream definition of the
 * newest kernel that has the class (the version is noted), so code written
 * for that kernel behaves the same on older ones; scripts/compat-upstream.sh
 * checks the __free() rows against the newest kernel's definitions.
 *
 * Include <linux/safe/guard.h> or <linux/safe/free.h>, not this header.
 */
#ifndef _LINUX_SAFE_COMPAT_CLASSES_H
#define _LINUX_SAFE_COMPAT_CLASSES_H

#include <linux/safe/cleanup.h>
#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/interrupt.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/percpu.h>
#include <linux/percpu-rwsem.h>
#include <linux/pm_runtime.h>
#include <linux/property.h>
#include <linux/rwsem.h>
#include <linux/sched/task.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#ifdef SAFE_CLEANUP_UPGRADED
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

/* 7.0: killable mutex, interruptible device lock; kept errno. */
#ifndef SAFE_HAVE_CLASS_mutex_kill
SAFE_DEFINE_ERR_GUARD(mutex_kill, struct mutex *,
		      mutex_lock_killable(_T), mutex_unlock(_T))
#endif

#ifndef SAFE_HAVE_CLASS_device_intr
SAFE_DEFINE_ERR_GUARD(device_intr, struct device *,
		      device_lock_interruptible(_T), device_unlock(_T))
#endif

/* 6.13: per-CPU rw semaphores. */
#ifndef SAFE_HAVE_CLASS_percpu_read
DEFINE_GUARD(percpu_read, struct percpu_rw_semaphore *,
	     percpu_down_read(_T), percpu_up_read(_T))
#endif

#ifndef SAFE_HAVE_CLASS_percpu_read_try
SAFE_DEFINE_COND_GUARD(percpu_read_try, struct percpu_rw_semaphore *,
		       percpu_down_read_trylock(_T), _RET, percpu_up_read(_T))
#endif

#ifndef SAFE_HAVE_CLASS_percpu_write
DEFINE_GUARD(percpu_write, struct percpu_rw_semaphore *,
	     percpu_down_write(_T), percpu_up_write(_T))
#endif

/*
 * 6.17: runtime PM usage.  pm_runtime_active{,_auto} resume with
 * pm_runtime_get_sync() and cannot fail; the _try_enabled variants use
 * pm_runtime_resume_and_get() and report its errno.  On release the _auto
 * ones mark the device busy and drop the count with autosuspend, as 7.x's
 * pm_runtime_put_autosuspend() does.  (The _try variants need 7.x's
 * RPM_TRANSPARENT, which older kernels cannot give.)
 */
static inline void __safe_pm_runtime_put_busy(struct device *dev)
{
	pm_runtime_mark_last_busy(dev);
	pm_runtime_put_autosuspend(dev);
}

#ifndef SAFE_HAVE_CLASS_pm_runtime_active
DEFINE_GUARD(pm_runtime_active, struct device *,
	     pm_runtime_get_sync(_T), pm_runtime_put(_T))
#endif

#ifndef SAFE_HAVE_CLASS_pm_runtime_active_auto
DEFINE_GUARD(pm_runtime_active_auto, struct device *,
	     pm_runtime_get_sync(_T), __safe_pm_runtime_put_busy(_T))
#endif

#ifndef SAFE_HAVE_CLASS_pm_runtime_active_try_enabled
SAFE_DEFINE_ERR_GUARD(pm_runtime_active_try_enabled, struct device *,
		      pm_runtime_resume_and_get(_T), pm_runtime_put(_T))
#endif

#ifndef SAFE_HAVE_CLASS_pm_runtime_active_auto_try_enabled
SAFE_DEFINE_ERR_GUARD(pm_runtime_active_auto_try_enabled, struct device *,
		      pm_runtime_resume_and_get(_T),
		      __safe_pm_runtime_put_busy(_T))
#endif

/*
 * 7.0: initialisation "guards", which run the lock's init function and,
 * under context analysis, let the scope initialise the data the lock
 * guards.  There is nothing to release.  The init macros expand to
 * initialisers whose commas older DEFINE_LOCK_GUARD_1() cannot pass on, so
 * they are called through functions; one lockdep key per file, as in the
 * upstream constructors.
 */
#ifndef SAFE_HAVE_CLASS_mutex_init
static inline void __safe_init_mutex(struct mutex *l) { mutex_init(l); }
DEFINE_LOCK_GUARD_1(mutex_init, struct mutex, __safe_init_mutex(_T->lock), /* */)
#endif

#ifndef SAFE_HAVE_CLASS_rwsem_init
static inline void __safe_init_rwsem(struct rw_semaphore *l) { init_rwsem(l); }
DEFINE_LOCK_GUARD_1(rwsem_init, struct rw_semaphore,
		    __safe_init_rwsem(_T->lock), /* */)
#endif

#ifndef SAFE_HAVE_CLASS_spinlock_init
static inline void __safe_init_spinlock(spinlock_t *l) { spin_lock_init(l); }
DEFINE_LOCK_GUARD_1(spinlock_init, spinlock_t,
		    __safe_init_spinlock(_T->lock), /* */)
#endif

#ifndef SAFE_HAVE_CLASS_raw_spinlock_init
static inline void __safe_init_raw_spinlock(raw_spinlock_t *l)
{
	raw_spin_lock_init(l);
}

DEFINE_LOCK_GUARD_1(raw_spinlock_init, raw_spinlock_t,
		    __safe_init_raw_spinlock(_T->lock), /* */)
#endif

#ifndef SAFE_HAVE_CLASS_rwlock_init
static inline void __safe_init_rwlock(rwlock_t *l) { rwlock_init(l); }
DEFINE_LOCK_GUARD_1(rwlock_init, rwlock_t, __safe_init_rwlock(_T->lock), /* */)
#endif

#ifndef SAFE_HAVE_CLASS_seqlock_init
static inline void __safe_init_seqlock(seqlock_t *l) { seqlock_init(l); }
DEFINE_LOCK_GUARD_1(seqlock_init, seqlock_t, __safe_init_seqlock(_T->lock), /* */)
#endif

/* __free() classes. */
#ifndef SAFE_HAVE_FREE_kfree
DEFINE_FREE(kfree, void *, IS_ERR_OR_NULL(_T) ? (void)0 : kfree(_T))
#endif

#ifndef SAFE_HAVE_FREE_kvfree
DEFINE_FREE(kvfree, void *, IS_ERR_OR_NULL(_T) ? (void)0 : kvfree(_T))
#endif

#ifndef SAFE_HAVE_FREE_kfree_sensitive
DEFINE_FREE(kfree_sensitive, void *, _T ? kfree_sensitive(_T) : (void)0)
#endif

#ifndef SAFE_HAVE_FREE_bitmap
DEFINE_FREE(bitmap, unsigned long *, _T ? bitmap_free(_T) : (void)0)
#endif

#ifndef SAFE_HAVE_FREE_put_device
DEFINE_FREE(put_device, struct device *, _T ? put_device(_T) : (void)0)
#endif

#ifndef SAFE_HAVE_FREE_device_node
DEFINE_FREE(device_node, struct device_node *, _T ? of_node_put(_T) : (void)0)
#endif

#ifndef SAFE_HAVE_FREE_fwnode_handle
DEFINE_FREE(fwnode_handle, struct fwnode_handle *, fwnode_handle_put(_T))
#endif

#ifndef SAFE_HAVE_FREE_free_percpu
DEFINE_FREE(free_percpu, void __percpu *, free_percpu(_T))
#endif

#ifndef SAFE_HAVE_FREE_fput
DEFINE_FREE(fput, struct file *, IS_ERR_OR_NULL(_T) ? (void)0 : fput(_T))
#endif

#ifndef SAFE_HAVE_FREE_put_task
DEFINE_FREE(put_task, struct task_struct *, _T ? put_task_struct(_T) : (void)0)
#endif

#endif /* _LINUX_SAFE_COMPAT_CLASSES_H */
