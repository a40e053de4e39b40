// SPDX-License-Identifier: GPL-2.0
/*
 * Code size of guards against the hand-written equivalent.
 *
 * Each pair does the same work under one lock class: take the lock, bail
 * out on two error conditions, update state, release.  bench_raw_<class>
 * is written the traditional way, with goto unwinding; bench_guard_<class>
 * with guard()/scoped_guard().  scripts/bench.sh compares their .text sizes.
 */
#include <linux/module.h>
#include <linux/pm_runtime.h>
#include <linux/safe/guard.h>
#include <linux/safe/pm_runtime.h>

struct bench_obj {
	struct mutex mutex;
	spinlock_t spin;
	raw_spinlock_t raw;
	struct rw_semaphore rwsem;
	rwlock_t rwlock;
	seqlock_t seq;
	struct srcu_struct srcu;
	struct percpu_rw_semaphore pcpu;
	struct device *dev;
	int irq;
	long val;
	long count;
};

#define LIMIT 1000

/* The shared body: two early exits and an update. */
#define BODY_RAW(ret)					\
	do {						\
		if (x < 0) {				\
			ret = -EINVAL;			\
			goto out;			\
		}					\
		o->val += x;				\
		if (o->val > LIMIT) {			\
			ret = -ERANGE;			\
			goto out;			\
		}					\
		o->count++;				\
	} while (0)

#define BODY_GUARD()					\
	do {						\
		if (x < 0)				\
			return -EINVAL;			\
		o->val += x;				\
		if (o->val > LIMIT)			\
			return -ERANGE;			\
		o->count++;				\
	} while (0)

/* An unconditional lock class: DECL declares what LOCK and UNLOCK use. */
#define PAIR(name, DECL, LOCK, UNLOCK, GUARD)				\
noinline int bench_raw_##name(struct bench_obj *o, long x);		\
noinline int bench_raw_##name(struct bench_obj *o, long x)		\
{									\
	int ret = 0;							\
	DECL;								\
	LOCK;								\
	BODY_RAW(ret);							\
out:									\
	UNLOCK;								\
	return ret;							\
}									\
noinline int bench_guard_##name(struct bench_obj *o, long x);		\
noinline int bench_guard_##name(struct bench_obj *o, long x)		\
{									\
	GUARD;								\
	BODY_GUARD();							\
	return 0;							\
}

#define NODECL do { } while (0)

PAIR(mutex, NODECL, mutex_lock(&o->mutex), mutex_unlock(&o->mutex),
     guard(mutex)(&o->mutex))
PAIR(spinlock, NODECL, spin_lock(&o->spin), spin_unlock(&o->spin),
     guard(spinlock)(&o->spin))
PAIR(spinlock_irq, NODECL, spin_lock_irq(&o->spin), spin_unlock_irq(&o->spin),
     guard(spinlock_irq)(&o->spin))
PAIR(spinlock_irqsave, unsigned long flags, spin_lock_irqsave(&o->spin, flags),
     spin_unlock_irqrestore(&o->spin, flags), guard(spinlock_irqsave)(&o->spin))
PAIR(spinlock_bh, NODECL, spin_lock_bh(&o->spin), spin_unlock_bh(&o->spin),
     guard(spinlock_bh)(&o->spin))
PAIR(raw_spinlock, NODECL, raw_spin_lock(&o->raw), raw_spin_unlock(&o->raw),
     guard(raw_spinlock)(&o->raw))
PAIR(raw_spinlock_irqsave, unsigned long flags,
     raw_spin_lock_irqsave(&o->raw, flags),
     raw_spin_unlock_irqrestore(&o->raw, flags),
     guard(raw_spinlock_irqsave)(&o->raw))
PAIR(rwsem_read, NODECL, down_read(&o->rwsem), up_read(&o->rwsem),
     guard(rwsem_read)(&o->rwsem))
PAIR(rwsem_write, NODECL, down_write(&o->rwsem), up_write(&o->rwsem),
     guard(rwsem_write)(&o->rwsem))
PAIR(read_lock, NODECL, read_lock(&o->rwlock), read_unlock(&o->rwlock),
     guard(read_lock)(&o->rwlock))
PAIR(write_lock_irqsave, unsigned long flags,
     write_lock_irqsave(&o->rwlock, flags),
     write_unlock_irqrestore(&o->rwlock, flags),
     guard(write_lock_irqsave)(&o->rwlock))
PAIR(rcu, NODECL, rcu_read_lock(), rcu_read_unlock(), guard(rcu)())
PAIR(srcu, int idx, idx = srcu_read_lock(&o->srcu),
     srcu_read_unlock(&o->srcu, idx), guard(srcu)(&o->srcu))
PAIR(preempt, NODECL, preempt_disable(), preempt_enable(), guard(preempt)())
PAIR(irq, NODECL, local_irq_disable(), local_irq_enable(), guard(irq)())
PAIR(irqsave, unsigned long flags, local_irq_save(flags),
     local_irq_restore(flags), guard(irqsave)())
PAIR(disable_irq, NODECL, disable_irq(o->irq), enable_irq(o->irq),
     guard(disable_irq)(&o->irq))
PAIR(safe_local_bh, NODECL, local_bh_disable(), local_bh_enable(),
     guard(safe_local_bh)())
PAIR(safe_rcu_bh, NODECL, rcu_read_lock_bh(), rcu_read_unlock_bh(),
     guard(safe_rcu_bh)())
PAIR(safe_rcu_sched, NODECL, rcu_read_lock_sched(), rcu_read_unlock_sched(),
     guard(safe_rcu_sched)())
PAIR(safe_write_seqlock, NODECL, write_seqlock(&o->seq),
     write_sequnlock(&o->seq), guard(safe_write_seqlock)(&o->seq))
PAIR(safe_percpu_read, NODECL, percpu_down_read(&o->pcpu),
     percpu_up_read(&o->pcpu), guard(safe_percpu_read)(&o->pcpu))
PAIR(safe_percpu_write, NODECL, percpu_down_write(&o->pcpu),
     percpu_up_write(&o->pcpu), guard(safe_percpu_write)(&o->pcpu))

/* A conditional class: the raw form checks the acquisition itself. */
#define COND_PAIR(name, TRY, ERR, UNLOCK, CLS, ARG)			\
noinline int bench_raw_##name(struct bench_obj *o, long x);		\
noinline int bench_raw_##name(struct bench_obj *o, long x)		\
{									\
	int ret = 0;							\
	int err = TRY;							\
									\
	if (err)							\
		return ERR;						\
	BODY_RAW(ret);							\
out:									\
	UNLOCK;								\
	return ret;							\
}									\
noinline int bench_guard_##name(struct bench_obj *o, long x);		\
noinline int bench_guard_##name(struct bench_obj *o, long x)		\
{									\
	ACQUIRE(CLS, g)(ARG);						\
	int err = ACQUIRE_ERR(CLS, &g);					\
									\
	if (err)							\
		return err;						\
	BODY_GUARD();							\
	return 0;							\
}

COND_PAIR(mutex_try, !mutex_trylock(&o->mutex), -EBUSY,
	  mutex_unlock(&o->mutex), mutex_try, &o->mutex)
COND_PAIR(mutex_intr, mutex_lock_interruptible(&o->mutex), err,
	  mutex_unlock(&o->mutex), mutex_intr, &o->mutex)
COND_PAIR(safe_mutex_kill, mutex_lock_killable(&o->mutex), err,
	  mutex_unlock(&o->mutex), safe_mutex_kill, &o->mutex)
COND_PAIR(rwsem_write_kill, down_write_killable(&o->rwsem), err,
	  up_write(&o->rwsem), rwsem_write_kill, &o->rwsem)
COND_PAIR(spinlock_try, !spin_trylock(&o->spin), -EBUSY,
	  spin_unlock(&o->spin), spinlock_try, &o->spin)
COND_PAIR(safe_pm_runtime_active, pm_runtime_resume_and_get(o->dev), err,
	  pm_runtime_put(o->dev), safe_pm_runtime_active, o->dev)

MODULE_DESCRIPTION("Code-size pairs: lock/unlock vs safe guards");
MODULE_LICENSE("GPL");
