// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for lock-bound data: SAFE_DECLARE_LOCKED() data is reachable only
 * with its lock held, SAFE_DECLARE_LOCKED_BY() data only through its owner's lock.
 */
#include <kunit/test.h>
#include <linux/lockdep.h>
#include <linux/safe/locked.h>

struct t_stats {
	u64 rx;
	u64 tx;
};

/* Both ways to declare: the macro, and the type for kernel-doc'ed structs. */
struct t_dev {
	SAFE_DECLARE_LOCKED(struct mutex, struct t_stats, stats);
	SAFE_LOCKED(spinlock_t, int) irq_count;
};

struct t_parent {
	struct mutex lock;
	int generation __guarded_by(&lock);
};

struct t_child {
	SAFE_LOCKED_BY(int) refs;
};

static void t_dev_init(struct t_dev *d)
{
	mutex_init(&d->stats.lock);
	spin_lock_init(&d->irq_count.lock);
	safe_locked_init_ptr(&d->stats)->rx = 0;
	safe_locked_init_ptr(&d->stats)->tx = 0;
	*safe_locked_init_ptr(&d->irq_count) = 0;
}

static void locked_scope_holds_lock(struct kunit *test)
{
	struct t_dev *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	int passes = 0;

	KUNIT_ASSERT_NOT_NULL(test, d);
	t_dev_init(d);
	safe_locked_scope(mutex, s, &d->stats) {
		KUNIT_EXPECT_TRUE(test, mutex_is_locked(&d->stats.lock));
		s->rx += 3;
		passes++;
	}
	KUNIT_EXPECT_EQ(test, passes, 1);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&d->stats.lock));
	safe_locked_scope(mutex, s, &d->stats)
		KUNIT_EXPECT_EQ(test, s->rx, 3ULL);
}

static void locked_scope_spinlock_irqsave(struct kunit *test)
{
	struct t_dev *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, d);
	t_dev_init(d);
	safe_locked_scope(spinlock_irqsave, n, &d->irq_count) {
		KUNIT_EXPECT_TRUE(test, irqs_disabled());
		KUNIT_EXPECT_TRUE(test, spin_is_locked(&d->irq_count.lock));
		(*n)++;
	}
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
	safe_locked_scope(spinlock, n, &d->irq_count)
		KUNIT_EXPECT_EQ(test, *n, 1);
}

static void locked_scope_conditional_skips(struct kunit *test)
{
	struct t_dev *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	int ran = 0;

	KUNIT_ASSERT_NOT_NULL(test, d);
	t_dev_init(d);
	mutex_lock(&d->stats.lock);
	safe_locked_scope(mutex_try, s, &d->stats) {
		s->tx++;
		ran++;
	}
	mutex_unlock(&d->stats.lock);
	KUNIT_EXPECT_EQ(test, ran, 0);

	safe_locked_scope(mutex_try, s, &d->stats) {
		s->tx++;
		ran++;
	}
	KUNIT_EXPECT_EQ(test, ran, 1);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&d->stats.lock));
}

static int locked_scope_return(struct t_dev *d)
{
	safe_locked_scope(mutex, s, &d->stats) {
		if (s->rx == 0)
			return -ENODATA;
	}
	return 0;
}

static void locked_scope_return_releases(struct kunit *test)
{
	struct t_dev *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, d);
	t_dev_init(d);
	KUNIT_EXPECT_EQ(test, locked_scope_return(d), -ENODATA);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&d->stats.lock));
}

static void locked_get_under_guard(struct kunit *test)
{
	struct t_dev *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, d);
	t_dev_init(d);
	scoped_guard(mutex, &d->stats.lock) {
		struct t_stats *s = safe_locked_get(&d->stats);

		s->tx = 9;
		KUNIT_EXPECT_PTR_EQ(test, s, safe_locked_init_ptr(&d->stats));
	}
	safe_locked_scope(mutex, s, &d->stats)
		KUNIT_EXPECT_EQ(test, s->tx, 9ULL);
}

static void locked_by_owner_lock(struct kunit *test)
{
	struct t_parent *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	struct t_child *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct mutex other;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, c);
	mutex_init(&p->lock);
	mutex_init(&other);
	*safe_locked_by_init(&c->refs, &p->lock) = 1;

	scoped_guard(mutex, &p->lock) {
		KUNIT_EXPECT_TRUE(test, safe_locked_by_check(&c->refs, &p->lock));
		(*safe_locked_by(&c->refs, &p->lock))++;
		p->generation++;
	}
	scoped_guard(mutex, &other) {
		/* Held, but not the lock the data is bound to. */
		if (IS_ENABLED(CONFIG_SAFE_DEBUG))
			KUNIT_EXPECT_FALSE(test,
					   safe_locked_by_check(&c->refs, &other));
	}
	/* Not held at all (lockdep turned off by an earlier report knows nothing). */
	if (IS_ENABLED(CONFIG_LOCKDEP) && debug_locks)
		KUNIT_EXPECT_FALSE(test, safe_locked_by_check(&c->refs, &p->lock));

	scoped_guard(mutex, &p->lock)
		KUNIT_EXPECT_EQ(test, *safe_locked_by(&c->refs, &p->lock), 2);
}

static struct kunit_case safe_locked_cases[] = {
	KUNIT_CASE(locked_scope_holds_lock),
	KUNIT_CASE(locked_scope_spinlock_irqsave),
	KUNIT_CASE(locked_scope_conditional_skips),
	KUNIT_CASE(locked_scope_return_releases),
	KUNIT_CASE(locked_get_under_guard),
	KUNIT_CASE(locked_by_owner_lock),
	{}
};

static struct kunit_suite safe_locked_suite = {
	.name = "safe_locked",
	.test_cases = safe_locked_cases,
};
kunit_test_suite(safe_locked_suite);

MODULE_DESCRIPTION("KUnit tests for safe lock-bound data");
MODULE_LICENSE("GPL");
