// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the guard classes and the cleanup.h backfill: the lock is
 * held inside the scope and released on every way out of it.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/lockdep.h>
#include <linux/sched/signal.h>
#include <linux/safe/guard.h>

static DEFINE_MUTEX(t_mutex);
static DEFINE_SPINLOCK(t_spin);
static DEFINE_RAW_SPINLOCK(t_raw);
static DECLARE_RWSEM(t_rwsem);
static DEFINE_RWLOCK(t_rwlock);
static DEFINE_SEQLOCK(t_seq);
DEFINE_STATIC_SRCU(t_srcu);
DEFINE_STATIC_PERCPU_RWSEM(t_pcpu);

/* Lockdep's view when it has one; the lock's own state otherwise. */
static bool mutex_held(struct mutex *m)
{
	if (IS_ENABLED(CONFIG_LOCKDEP) && debug_locks)
		return lockdep_is_held(m);
	return mutex_is_locked(m);
}

/*
 * "Lockdep says held" and "lockdep says not held"; both true when lockdep
 * is absent or already switched off by an earlier report (which fails the
 * run on its own).
 */
#define lockdep_ok(l)	(!IS_ENABLED(CONFIG_LOCKDEP) || !debug_locks || lockdep_is_held(l))
#define lockdep_not(l)	(!IS_ENABLED(CONFIG_LOCKDEP) || !debug_locks || !lockdep_is_held(l))

/* --- released on every exit -------------------------------------------- */

static int mutex_early_return(bool early, bool *held_inside)
{
	guard(mutex)(&t_mutex);
	*held_inside = mutex_held(&t_mutex);
	if (early)
		return -EINVAL;
	return 0;
}

static void guard_mutex_normal_exit(struct kunit *test)
{
	bool held = false;

	KUNIT_EXPECT_EQ(test, mutex_early_return(false, &held), 0);
	KUNIT_EXPECT_TRUE(test, held);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t_mutex));
}

static void guard_mutex_early_return(struct kunit *test)
{
	bool held = false;

	KUNIT_EXPECT_EQ(test, mutex_early_return(true, &held), -EINVAL);
	KUNIT_EXPECT_TRUE(test, held);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t_mutex));
}

static void guard_mutex_break_enclosing_loop(struct kunit *test)
{
	int i, iterations = 0;

	for (i = 0; i < 10; i++) {
		guard(mutex)(&t_mutex);
		KUNIT_EXPECT_TRUE(test, mutex_held(&t_mutex));
		iterations++;
		if (i == 2)
			break;
	}
	KUNIT_EXPECT_EQ(test, iterations, 3);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t_mutex));
}

static void guard_mutex_continue_enclosing_loop(struct kunit *test)
{
	int i, bodies = 0;

	for (i = 0; i < 4; i++) {
		guard(mutex)(&t_mutex);
		if (i & 1)
			continue;
		KUNIT_EXPECT_TRUE(test, mutex_held(&t_mutex));
		bodies++;
	}
	KUNIT_EXPECT_EQ(test, bodies, 2);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t_mutex));
}

static int error_path(int fail_at, int *steps)
{
	guard(mutex)(&t_mutex);
	for (*steps = 0; *steps < 3; (*steps)++)
		if (*steps == fail_at)
			return -EIO;
	return 0;
}

static void guard_mutex_error_path(struct kunit *test)
{
	int steps;

	KUNIT_EXPECT_EQ(test, error_path(1, &steps), -EIO);
	KUNIT_EXPECT_EQ(test, steps, 1);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t_mutex));
	KUNIT_EXPECT_EQ(test, error_path(-1, &steps), 0);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t_mutex));
}

static void scoped_guard_mutex_scope(struct kunit *test)
{
	int ran = 0;

	scoped_guard(mutex, &t_mutex) {
		KUNIT_EXPECT_TRUE(test, mutex_held(&t_mutex));
		ran++;
	}
	KUNIT_EXPECT_EQ(test, ran, 1);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t_mutex));
}

static int scoped_return(void)
{
	scoped_guard(mutex, &t_mutex)
		return 7;
	return 0;
}

static void scoped_guard_return_inside(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, scoped_return(), 7);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t_mutex));
}

/*
 * Tests that take a lock they hold, to see a trylock fail, or lock by
 * run-time choice: Clang's context analysis cannot follow them, on purpose.
 */
static void safe_scoped_guard_scope(struct kunit *test)
	__no_context_analysis
{
	int ran = 0, i;

	for (i = 0; i < 3; i++) {
		safe_scoped_guard(mutex, &t_mutex) {
			KUNIT_EXPECT_TRUE(test, mutex_held(&t_mutex));
			ran++;
		}
		KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t_mutex));
	}
	KUNIT_EXPECT_EQ(test, ran, 3);

	/* A failed conditional acquisition skips the body. */
	mutex_lock(&t_mutex);
	safe_scoped_guard(mutex_try, &t_mutex)
		ran++;
	mutex_unlock(&t_mutex);
	KUNIT_EXPECT_EQ(test, ran, 3);
}

/* --- one test per lock class ------------------------------------------- */

static void guard_spinlock_classes(struct kunit *test)
{
	unsigned long flags;

	scoped_guard(spinlock, &t_spin) {
		KUNIT_EXPECT_TRUE(test, spin_is_locked(&t_spin));
		KUNIT_EXPECT_FALSE(test, preemptible());
	}
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&t_spin));

	scoped_guard(spinlock_irq, &t_spin) {
		KUNIT_EXPECT_TRUE(test, spin_is_locked(&t_spin));
		KUNIT_EXPECT_TRUE(test, irqs_disabled());
	}
	KUNIT_EXPECT_FALSE(test, irqs_disabled());

	local_irq_save(flags);
	scoped_guard(spinlock_irqsave, &t_spin)
		KUNIT_EXPECT_TRUE(test, irqs_disabled());
	/* irqsave restores the state it found: still disabled. */
	KUNIT_EXPECT_TRUE(test, irqs_disabled());
	local_irq_restore(flags);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&t_spin));
}

static void guard_spinlock_bh(struct kunit *test)
{
	scoped_guard(spinlock_bh, &t_spin) {
		KUNIT_EXPECT_TRUE(test, spin_is_locked(&t_spin));
		KUNIT_EXPECT_TRUE(test, softirq_count() != 0);
	}
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&t_spin));
	KUNIT_EXPECT_EQ(test, softirq_count(), 0UL);
}

static void guard_raw_spinlock(struct kunit *test)
{
	scoped_guard(raw_spinlock, &t_raw)
		KUNIT_EXPECT_TRUE(test, raw_spin_is_locked(&t_raw));
	KUNIT_EXPECT_FALSE(test, raw_spin_is_locked(&t_raw));

	scoped_guard(raw_spinlock_irqsave, &t_raw)
		KUNIT_EXPECT_TRUE(test, irqs_disabled());
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
}

static void guard_rwsem(struct kunit *test)
	__no_context_analysis
{
	scoped_guard(rwsem_read, &t_rwsem) {
		KUNIT_EXPECT_TRUE(test, rwsem_is_locked(&t_rwsem));
		/* Readers share. */
		KUNIT_EXPECT_EQ(test, down_read_trylock(&t_rwsem), 1);
		up_read(&t_rwsem);
	}
	scoped_guard(rwsem_write, &t_rwsem) {
		KUNIT_EXPECT_TRUE(test, rwsem_is_locked(&t_rwsem));
		KUNIT_EXPECT_EQ(test, down_read_trylock(&t_rwsem), 0);
	}
	KUNIT_EXPECT_FALSE(test, rwsem_is_locked(&t_rwsem));
}

static void guard_rwlock(struct kunit *test)
{
	/*
	 * On a uniprocessor kernel an rwlock is only a preemption count, so
	 * look at what lockdep and the preemption count say.
	 */
	scoped_guard(read_lock, &t_rwlock) {
		KUNIT_EXPECT_FALSE(test, preemptible());
		KUNIT_EXPECT_TRUE(test, lockdep_ok(&t_rwlock));
	}
	scoped_guard(write_lock_irq, &t_rwlock) {
		KUNIT_EXPECT_TRUE(test, irqs_disabled());
		KUNIT_EXPECT_TRUE(test, lockdep_ok(&t_rwlock));
	}
	scoped_guard(write_lock_irqsave, &t_rwlock)
		KUNIT_EXPECT_TRUE(test, irqs_disabled());
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
	/* Without a preemption count (PREEMPT_NONE on 6.1 UML) nothing to see. */
	if (IS_ENABLED(CONFIG_PREEMPT_COUNT))
		KUNIT_EXPECT_EQ(test, preempt_count(), 0);
	KUNIT_EXPECT_TRUE(test, lockdep_not(&t_rwlock));
}

static void guard_rcu_flavours(struct kunit *test)
{
	scoped_guard(rcu)
		KUNIT_EXPECT_TRUE(test, rcu_read_lock_held());
	scoped_guard(safe_rcu_bh)
		KUNIT_EXPECT_TRUE(test, rcu_read_lock_bh_held());
	scoped_guard(safe_rcu_sched)
		KUNIT_EXPECT_TRUE(test, rcu_read_lock_sched_held());
	if (IS_ENABLED(CONFIG_PROVE_RCU))
		KUNIT_EXPECT_FALSE(test, rcu_read_lock_held());
}

static void guard_srcu(struct kunit *test)
{
	scoped_guard(srcu, &t_srcu)
		KUNIT_EXPECT_TRUE(test, srcu_read_lock_held(&t_srcu));
	if (IS_ENABLED(CONFIG_PROVE_RCU))
		KUNIT_EXPECT_FALSE(test, srcu_read_lock_held(&t_srcu));
}

static void guard_preempt_irq_bh(struct kunit *test)
{
	scoped_guard(preempt)
		KUNIT_EXPECT_FALSE(test, preemptible());
	scoped_guard(irq)
		KUNIT_EXPECT_TRUE(test, irqs_disabled());
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
	scoped_guard(safe_local_bh)
		KUNIT_EXPECT_TRUE(test, softirq_count() != 0);
	KUNIT_EXPECT_EQ(test, softirq_count(), 0UL);
}

static void guard_seqlock_writer(struct kunit *test)
{
	unsigned int seq = read_seqbegin(&t_seq);

	scoped_guard(safe_write_seqlock, &t_seq)
		KUNIT_EXPECT_TRUE(test, spin_is_locked(&t_seq.lock));
	KUNIT_EXPECT_TRUE(test, read_seqretry(&t_seq, seq));
	seq = read_seqbegin(&t_seq);
	scoped_guard(safe_write_seqlock_irqsave, &t_seq)
		KUNIT_EXPECT_TRUE(test, irqs_disabled());
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
	KUNIT_EXPECT_TRUE(test, read_seqretry(&t_seq, seq));
	scoped_guard(safe_read_seqlock_excl, &t_seq)
		KUNIT_EXPECT_TRUE(test, spin_is_locked(&t_seq.lock));
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&t_seq.lock));
}

static int seq_value;

static void guard_seqlock_reader_retries(struct kunit *test)
{
	int passes = 0, seen = -1;

	safe_seqlock_read(&t_seq) {
		passes++;
		seen = READ_ONCE(seq_value);
		/* A writer slips in during the first pass only. */
		if (passes == 1) {
			scoped_guard(safe_write_seqlock, &t_seq)
				WRITE_ONCE(seq_value, 42);
		}
	}
	KUNIT_EXPECT_EQ(test, passes, 2);
	KUNIT_EXPECT_EQ(test, seen, 42);
}

static void guard_percpu_rwsem(struct kunit *test)
{
	int ran = 0;

	/* The upstream names, and safe's aliases of them. */
	scoped_guard(percpu_read, &t_pcpu)
		KUNIT_EXPECT_TRUE(test, lockdep_ok(&t_pcpu));
	scoped_guard(percpu_write, &t_pcpu) {
		KUNIT_EXPECT_FALSE(test, percpu_down_read_trylock(&t_pcpu));
		scoped_guard(percpu_read_try, &t_pcpu)
			ran++;	/* a writer holds it: skipped */
	}
	scoped_guard(percpu_read_try, &t_pcpu)
		ran += 10;
	KUNIT_EXPECT_EQ(test, ran, 10);
	scoped_guard(safe_percpu_read, &t_pcpu)
		KUNIT_EXPECT_TRUE(test, lockdep_ok(&t_pcpu));
	scoped_guard(safe_percpu_write, &t_pcpu) {
		KUNIT_EXPECT_FALSE(test, percpu_down_read_trylock(&t_pcpu));
	}
	scoped_guard(safe_percpu_read_try, &t_pcpu)
		KUNIT_EXPECT_TRUE(test, lockdep_ok(&t_pcpu));
	KUNIT_EXPECT_TRUE(test, lockdep_not(&t_pcpu));
}

/*
 * The *_init classes (7.0) initialise the lock; the scope is where, under
 * context analysis, the data it guards may be set up.  Each lock starts as
 * garbage that reads as "locked".
 */
static void guard_init_classes(struct kunit *test)
{
	struct {
		struct mutex m;
		struct rw_semaphore r;
		spinlock_t s;
		raw_spinlock_t rs;
		rwlock_t rw;
		seqlock_t sq;
	} *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	bool ran_rw = false, ran_sq = false;

	KUNIT_ASSERT_NOT_NULL(test, l);
	memset(l, 0x5a, sizeof(*l));
	KUNIT_EXPECT_TRUE(test, mutex_is_locked(&l->m));

	scoped_guard(mutex_init, &l->m)
		KUNIT_EXPECT_FALSE(test, mutex_is_locked(&l->m));
	scoped_guard(rwsem_init, &l->r)
		KUNIT_EXPECT_FALSE(test, rwsem_is_locked(&l->r));
	scoped_guard(spinlock_init, &l->s)
		KUNIT_EXPECT_FALSE(test, spin_is_locked(&l->s));
	scoped_guard(raw_spinlock_init, &l->rs)
		KUNIT_EXPECT_FALSE(test, raw_spin_is_locked(&l->rs));
	scoped_guard(rwlock_init, &l->rw)
		ran_rw = true;
	scoped_guard(seqlock_init, &l->sq)
		ran_sq = true;
	KUNIT_EXPECT_TRUE(test, ran_rw && ran_sq);

	/* Initialised: usable, and no init guard left anything held. */
	/*
	 * Usable: lockdep (and the kernel-log check after the run) would
	 * report a lock taken uninitialised.  No expectation inside: on a
	 * uniprocessor kernel rwlocks cannot be seen held, and a failing
	 * expectation allocates.
	 */
	ran_rw = ran_sq = false;
	scoped_guard(write_lock, &l->rw)
		ran_rw = true;
	scoped_guard(safe_write_seqlock, &l->sq)
		ran_sq = true;
	KUNIT_EXPECT_TRUE(test, ran_rw && ran_sq);
	scoped_guard(mutex, &l->m)
		KUNIT_EXPECT_TRUE(test, mutex_is_locked(&l->m));
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&l->m));
	scoped_guard(spinlock, &l->s)
		KUNIT_EXPECT_TRUE(test, spin_is_locked(&l->s));
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&l->s));
}

/* EXTEND_CLASS_COND() and DEFINE_CLASS_IS_UNCONDITIONAL() (7.0/6.13). */
static int t_ext_freed;

DEFINE_CLASS(t_ext, int, t_ext_freed += _T, v, int v)
EXTEND_CLASS_COND(t_ext, _keep_neg, *_T < 0, v, int v)
DEFINE_CLASS(t_always, int, (void)_T, 1, void)
DEFINE_CLASS_IS_UNCONDITIONAL(t_always)

static void class_ext_cond_and_unconditional(struct kunit *test)
{
	int ran = 0;

	t_ext_freed = 0;
	{
		CLASS(t_ext_keep_neg, a)(5);
		CLASS(t_ext_keep_neg, b)(-3);	/* destructor skipped */
		CLASS(t_ext, c)(100);

		KUNIT_EXPECT_EQ(test, a + b + c, 102);
	}
	KUNIT_EXPECT_EQ(test, t_ext_freed, 105);

	scoped_guard(t_always)
		ran = 1;
	KUNIT_EXPECT_EQ(test, ran, 1);
}

/* --- conditional guards report the errno ------------------------------- */

static void cond_mutex_try(struct kunit *test)
	__no_context_analysis
{
	int ran = 0;

	scoped_guard(mutex_try, &t_mutex)
		ran++;
	KUNIT_EXPECT_EQ(test, ran, 1);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t_mutex));

	mutex_lock(&t_mutex);
	scoped_guard(mutex_try, &t_mutex)
		ran++;
	{
		ACQUIRE(mutex_try, g)(&t_mutex);
		KUNIT_EXPECT_EQ(test, ACQUIRE_ERR(mutex_try, &g), -EBUSY);
	}
	mutex_unlock(&t_mutex);
	KUNIT_EXPECT_EQ(test, ran, 1);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t_mutex));
}

/*
 * A failed spin_trylock() on a uniprocessor kernel (UML) is a deadlock in
 * waiting, and spinlock debugging reports it as a BUG.  So the spinlock
 * classes are tested for their success path here; the failure path of the
 * same DEFINE_LOCK_GUARD_1_COND() machinery is tested with t_slot below.
 */
static void cond_scoped_cond_guard_fail(struct kunit *test)
	__no_context_analysis
{
	int ran = 0, failed = 0;

	mutex_lock(&t_mutex);
	scoped_cond_guard(mutex_try, failed++, &t_mutex)
		ran++;
	mutex_unlock(&t_mutex);
	KUNIT_EXPECT_EQ(test, ran, 0);
	KUNIT_EXPECT_EQ(test, failed, 1);

	scoped_cond_guard(mutex_try, failed++, &t_mutex) {
		KUNIT_EXPECT_TRUE(test, mutex_held(&t_mutex));
		ran++;
	}
	KUNIT_EXPECT_EQ(test, ran, 1);
	KUNIT_EXPECT_EQ(test, failed, 1);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t_mutex));
}

static void cond_spinlock_try_variants(struct kunit *test)
{
	int ran = 0;

	scoped_guard(spinlock_try, &t_spin) {
		KUNIT_EXPECT_TRUE(test, spin_is_locked(&t_spin));
		ran++;
	}
	scoped_guard(spinlock_irq_try, &t_spin) {
		KUNIT_EXPECT_TRUE(test, irqs_disabled());
		ran++;
	}
	scoped_guard(spinlock_irqsave_try, &t_spin) {
		KUNIT_EXPECT_TRUE(test, irqs_disabled());
		ran++;
	}
	scoped_guard(spinlock_bh_try, &t_spin) {
		KUNIT_EXPECT_TRUE(test, softirq_count() != 0);
		ran++;
	}
	scoped_guard(raw_spinlock_try, &t_raw) {
		KUNIT_EXPECT_TRUE(test, raw_spin_is_locked(&t_raw));
		ran++;
	}
	scoped_guard(raw_spinlock_irqsave_try, &t_raw) {
		KUNIT_EXPECT_TRUE(test, irqs_disabled());
		ran++;
	}
	{
		ACQUIRE(spinlock_irq_try, g)(&t_spin);
		KUNIT_EXPECT_EQ(test, ACQUIRE_ERR(spinlock_irq_try, &g), 0);
	}
	KUNIT_EXPECT_EQ(test, ran, 6);
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&t_spin));
	KUNIT_EXPECT_FALSE(test, raw_spin_is_locked(&t_raw));
	KUNIT_EXPECT_EQ(test, softirq_count(), 0UL);
}

/* A lock with extra guard state (like spinlock_irqsave's flags). */
struct t_slot {
	int busy;
	int saved;
};

static int t_slot_try(struct t_slot *s, int *cookie)
{
	if (s->busy)
		return 0;
	s->busy = 1;
	*cookie = 77;
	return 1;
}

static void t_slot_release(struct t_slot *s, int cookie)
{
	s->busy = 0;
	s->saved = cookie;
}

/* The upstream API (backfilled on 6.1): a base class and its _try. */
DEFINE_LOCK_GUARD_1(t_slot, struct t_slot,
		    WARN_ON(!t_slot_try(_T->lock, &_T->cookie)),
		    t_slot_release(_T->lock, _T->cookie),
		    int cookie)
DEFINE_LOCK_GUARD_1_COND(t_slot, _try, t_slot_try(_T->lock, &_T->cookie))

static void cond_lock_guard_with_state(struct kunit *test)
{
	struct t_slot s = { .busy = 1 };
	int ran = 0;

	scoped_guard(t_slot_try, &s)
		ran++;
	{
		/*
		 * ACQUIRE_ERR() of a class defined with the kernel's own
		 * macros needs 6.17+ (or safe's generation 1 ones); the lock
		 * pointer tells success everywhere.
		 */
		ACQUIRE(t_slot_try, g)(&s);
		KUNIT_EXPECT_NULL(test, __guard_ptr(t_slot_try)(&g));
	}
	KUNIT_EXPECT_EQ(test, ran, 0);
	KUNIT_EXPECT_EQ(test, s.busy, 1);
	KUNIT_EXPECT_EQ(test, s.saved, 0);

	s.busy = 0;
	scoped_guard(t_slot_try, &s) {
		KUNIT_EXPECT_EQ(test, s.busy, 1);
		ran++;
	}
	KUNIT_EXPECT_EQ(test, ran, 1);
	KUNIT_EXPECT_EQ(test, s.busy, 0);
	KUNIT_EXPECT_EQ(test, s.saved, 77);
}

static void cond_rwsem_try(struct kunit *test)
	__no_context_analysis
{
	int ran = 0;

	down_write(&t_rwsem);
	scoped_guard(rwsem_read_try, &t_rwsem)
		ran++;
	scoped_guard(rwsem_write_try, &t_rwsem)
		ran++;
	up_write(&t_rwsem);
	KUNIT_EXPECT_EQ(test, ran, 0);

	down_read(&t_rwsem);
	scoped_guard(rwsem_read_try, &t_rwsem)
		ran++;
	{
		ACQUIRE(rwsem_write_try, g)(&t_rwsem);
		KUNIT_EXPECT_EQ(test, ACQUIRE_ERR(rwsem_write_try, &g), -EBUSY);
	}
	up_read(&t_rwsem);
	KUNIT_EXPECT_EQ(test, ran, 1);
	KUNIT_EXPECT_FALSE(test, rwsem_is_locked(&t_rwsem));
}

/*
 * Interruptible and killable acquisitions: a kthread blocks on a lock the
 * test holds, gets SIGKILL, and must report -EINTR without running its body.
 */
enum sig_lock { SIG_MUTEX_INTR, SIG_MUTEX_KILL, SIG_RWSEM_READ_INTR,
		SIG_RWSEM_READ_KILL, SIG_RWSEM_WRITE_KILL, SIG_MUTEX_KILL_ALIAS,
		SIG_DEVICE_INTR };

static struct device *t_dev;

struct sig_ctx {
	enum sig_lock kind;
	int err;
	int body_ran;
	struct completion started, done;
};

static int sig_thread(void *data)
{
	struct sig_ctx *c = data;

	allow_signal(SIGKILL);
	complete(&c->started);
	switch (c->kind) {
	case SIG_MUTEX_INTR: {
		ACQUIRE(mutex_intr, g)(&t_mutex);
		c->err = ACQUIRE_ERR(mutex_intr, &g);
		c->body_ran = !c->err;
		break;
	}
	case SIG_MUTEX_KILL: {
		ACQUIRE(mutex_kill, g)(&t_mutex);
		c->err = ACQUIRE_ERR(mutex_kill, &g);
		c->body_ran = !c->err;
		break;
	}
	case SIG_MUTEX_KILL_ALIAS: {
		ACQUIRE(safe_mutex_kill, g)(&t_mutex);
		c->err = ACQUIRE_ERR(safe_mutex_kill, &g);
		c->body_ran = !c->err;
		break;
	}
	case SIG_DEVICE_INTR: {
		ACQUIRE(device_intr, g)(t_dev);
		c->err = ACQUIRE_ERR(device_intr, &g);
		c->body_ran = !c->err;
		break;
	}
	case SIG_RWSEM_READ_INTR: {
		ACQUIRE(rwsem_read_intr, g)(&t_rwsem);
		c->err = ACQUIRE_ERR(rwsem_read_intr, &g);
		c->body_ran = !c->err;
		break;
	}
	case SIG_RWSEM_READ_KILL: {
		ACQUIRE(safe_rwsem_read_kill, g)(&t_rwsem);
		c->err = ACQUIRE_ERR(safe_rwsem_read_kill, &g);
		c->body_ran = !c->err;
		break;
	}
	case SIG_RWSEM_WRITE_KILL: {
		ACQUIRE(rwsem_write_kill, g)(&t_rwsem);
		c->err = ACQUIRE_ERR(rwsem_write_kill, &g);
		c->body_ran = !c->err;
		break;
	}
	}
	complete(&c->done);
	return 0;
}

static void run_sig_case(struct kunit *test, enum sig_lock kind)
	__no_context_analysis
{
	struct sig_ctx c = { .kind = kind, .err = 1 };
	struct task_struct *t;
	bool is_mutex = kind == SIG_MUTEX_INTR || kind == SIG_MUTEX_KILL ||
			kind == SIG_MUTEX_KILL_ALIAS;
	struct mutex *m = kind == SIG_DEVICE_INTR ? NULL : &t_mutex;

	init_completion(&c.started);
	init_completion(&c.done);
	if (kind == SIG_DEVICE_INTR) {
		t_dev = root_device_register("safe-guard-test");
		KUNIT_ASSERT_FALSE(test, IS_ERR(t_dev));
		m = &t_dev->mutex;
		is_mutex = true;
	}
	if (is_mutex)
		mutex_lock(m);
	else
		down_write(&t_rwsem);

	t = kthread_run(sig_thread, &c, "safe-sig-%d", kind);
	if (IS_ERR(t)) {
		if (is_mutex)
			mutex_unlock(m);
		else
			up_write(&t_rwsem);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(t));
		return;
	}
	get_task_struct(t);
	wait_for_completion(&c.started);
	/* Let it block on the lock; the signal works either way. */
	msleep(20);
	send_sig(SIGKILL, t, 1);
	wait_for_completion(&c.done);
	if (is_mutex)
		mutex_unlock(m);
	else
		up_write(&t_rwsem);
	kthread_stop(t);
	put_task_struct(t);
	if (kind == SIG_DEVICE_INTR)
		root_device_unregister(t_dev);

	KUNIT_EXPECT_EQ(test, c.err, -EINTR);
	KUNIT_EXPECT_EQ(test, c.body_ran, 0);
}

static void cond_mutex_intr_reports_eintr(struct kunit *test)
{
	run_sig_case(test, SIG_MUTEX_INTR);
}

static void cond_mutex_kill_reports_eintr(struct kunit *test)
{
	run_sig_case(test, SIG_MUTEX_KILL);
}

static void cond_mutex_kill_alias_reports_eintr(struct kunit *test)
{
	run_sig_case(test, SIG_MUTEX_KILL_ALIAS);
}

static void cond_device_intr_reports_eintr(struct kunit *test)
{
	run_sig_case(test, SIG_DEVICE_INTR);
}

static void cond_rwsem_read_intr_reports_eintr(struct kunit *test)
{
	run_sig_case(test, SIG_RWSEM_READ_INTR);
}

static void cond_rwsem_read_kill_reports_eintr(struct kunit *test)
{
	run_sig_case(test, SIG_RWSEM_READ_KILL);
}

static void cond_rwsem_write_kill_reports_eintr(struct kunit *test)
{
	run_sig_case(test, SIG_RWSEM_WRITE_KILL);
}

static void cond_success_reports_zero(struct kunit *test)
{
	{
		ACQUIRE(mutex_intr, g)(&t_mutex);
		KUNIT_EXPECT_EQ(test, ACQUIRE_ERR(mutex_intr, &g), 0);
		KUNIT_EXPECT_TRUE(test, mutex_held(&t_mutex));
	}
	{
		ACQUIRE(safe_mutex_kill, g)(&t_mutex);
		KUNIT_EXPECT_EQ(test, ACQUIRE_ERR(safe_mutex_kill, &g), 0);
	}
	{
		ACQUIRE(mutex_kill, g)(&t_mutex);
		KUNIT_EXPECT_EQ(test, ACQUIRE_ERR(mutex_kill, &g), 0);
		KUNIT_EXPECT_TRUE(test, mutex_held(&t_mutex));
	}
	{
		ACQUIRE(rwsem_write_kill, g)(&t_rwsem);
		KUNIT_EXPECT_EQ(test, ACQUIRE_ERR(rwsem_write_kill, &g), 0);
		KUNIT_EXPECT_TRUE(test, rwsem_is_locked(&t_rwsem));
	}
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t_mutex));
	KUNIT_EXPECT_FALSE(test, rwsem_is_locked(&t_rwsem));
}

/* --- user-defined guards and ordering ---------------------------------- */

static char order[8];
static int order_len;

static void record(char c)
{
	if (order_len < (int)sizeof(order) - 1)
		order[order_len++] = c;
	order[order_len] = '\0';
}

DEFINE_LOCK_GUARD_0(t_rec_a, record('A'), record('a'))
DEFINE_LOCK_GUARD_0(t_rec_b, record('B'), record('b'))

static void guard_release_order_is_lifo(struct kunit *test)
{
	order_len = 0;
	{
		guard(t_rec_a)();
		guard(t_rec_b)();
	}
	KUNIT_EXPECT_STREQ(test, order, "ABba");
}

struct t_res {
	int locked;
	int fail_with;
};

static int t_res_lock(struct t_res *r)
{
	if (r->fail_with)
		return r->fail_with;
	r->locked++;
	return 0;
}

static void t_res_unlock(struct t_res *r)
{
	r->locked--;
}

SAFE_DEFINE_COND_GUARD(t_res, struct t_res *, t_res_lock(_T), _RET == 0,
		       t_res_unlock(_T))

static void user_cond_guard_keeps_errno(struct kunit *test)
{
	struct t_res r = { .fail_with = -ENOLINK };
	int ran = 0;

	scoped_guard(t_res, &r)
		ran++;
	{
		ACQUIRE(t_res, g)(&r);
		KUNIT_EXPECT_EQ(test, ACQUIRE_ERR(t_res, &g), -ENOLINK);
	}
	KUNIT_EXPECT_EQ(test, ran, 0);
	KUNIT_EXPECT_EQ(test, r.locked, 0);

	r.fail_with = 0;
	scoped_guard(t_res, &r) {
		KUNIT_EXPECT_EQ(test, r.locked, 1);
		ran++;
	}
	KUNIT_EXPECT_EQ(test, ran, 1);
	KUNIT_EXPECT_EQ(test, r.locked, 0);
}

struct t_box {
	int opened;
	int closed;
};

static struct t_box *t_box_open(struct t_box *b)
{
	b->opened++;
	return b;
}

DEFINE_CLASS(t_box, struct t_box *, if (_T) _T->closed++, t_box_open(b),
	     struct t_box *b)

static void scoped_class_runs_destructor(struct kunit *test)
{
	struct t_box b = {};

	scoped_class(t_box, box, &b)
		KUNIT_EXPECT_EQ(test, box->opened, 1);
	KUNIT_EXPECT_EQ(test, b.closed, 1);

	{
		CLASS(t_box, other)(&b);
		KUNIT_EXPECT_EQ(test, other->opened, 2);
	}
	KUNIT_EXPECT_EQ(test, b.closed, 2);
}

static int guard_in_switch(int sel)
{
	switch (sel) {
	case 0: {
		guard(mutex)(&t_mutex);
		return mutex_is_locked(&t_mutex) ? 10 : -1;
	}
	case 1: {
		guard(spinlock)(&t_spin);
		return spin_is_locked(&t_spin) ? 11 : -1;
	}
	default:
		return 0;
	}
}

static void guard_inside_switch_cases(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, guard_in_switch(0), 10);
	KUNIT_EXPECT_EQ(test, guard_in_switch(1), 11);
	KUNIT_EXPECT_EQ(test, guard_in_switch(2), 0);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t_mutex));
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&t_spin));
}

static struct kunit_case safe_guard_cases[] = {
	KUNIT_CASE(guard_mutex_normal_exit),
	KUNIT_CASE(guard_mutex_early_return),
	KUNIT_CASE(guard_mutex_break_enclosing_loop),
	KUNIT_CASE(guard_mutex_continue_enclosing_loop),
	KUNIT_CASE(guard_mutex_error_path),
	KUNIT_CASE(scoped_guard_mutex_scope),
	KUNIT_CASE(scoped_guard_return_inside),
	KUNIT_CASE(safe_scoped_guard_scope),
	KUNIT_CASE(guard_spinlock_classes),
	KUNIT_CASE(guard_spinlock_bh),
	KUNIT_CASE(guard_raw_spinlock),
	KUNIT_CASE(guard_rwsem),
	KUNIT_CASE(guard_rwlock),
	KUNIT_CASE(guard_rcu_flavours),
	KUNIT_CASE(guard_srcu),
	KUNIT_CASE(guard_preempt_irq_bh),
	KUNIT_CASE(guard_seqlock_writer),
	KUNIT_CASE(guard_seqlock_reader_retries),
	KUNIT_CASE(guard_percpu_rwsem),
	KUNIT_CASE(guard_init_classes),
	KUNIT_CASE(class_ext_cond_and_unconditional),
	KUNIT_CASE(cond_mutex_try),
	KUNIT_CASE(cond_scoped_cond_guard_fail),
	KUNIT_CASE(cond_spinlock_try_variants),
	KUNIT_CASE(cond_lock_guard_with_state),
	KUNIT_CASE(cond_rwsem_try),
	KUNIT_CASE(cond_mutex_intr_reports_eintr),
	KUNIT_CASE(cond_mutex_kill_reports_eintr),
	KUNIT_CASE(cond_mutex_kill_alias_reports_eintr),
	KUNIT_CASE(cond_device_intr_reports_eintr),
	KUNIT_CASE(cond_rwsem_read_intr_reports_eintr),
	KUNIT_CASE(cond_rwsem_read_kill_reports_eintr),
	KUNIT_CASE(cond_rwsem_write_kill_reports_eintr),
	KUNIT_CASE(cond_success_reports_zero),
	KUNIT_CASE(guard_release_order_is_lifo),
	KUNIT_CASE(user_cond_guard_keeps_errno),
	KUNIT_CASE(scoped_class_runs_destructor),
	KUNIT_CASE(guard_inside_switch_cases),
	{}
};

static struct kunit_suite safe_guard_suite = {
	.name = "safe_guard",
	.test_cases = safe_guard_cases,
};
kunit_test_suite(safe_guard_suite);

MODULE_DESCRIPTION("KUnit tests for safe guards");
MODULE_LICENSE("GPL");
