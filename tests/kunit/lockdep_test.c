// SPDX-License-Identifier: GPL-2.0
/*
 * Waits that lockdep must see, and must not see.  The last case provokes
 * a lockdep report on purpose, and a report turns lockdep off for the
 * rest of the boot, so this suite runs after every other but the kmemleak
 * sweep, which does not need lockdep (see Kbuild).
 */
#include <kunit/test.h>
#include <linux/debug_locks.h>
#include <linux/workqueue.h>
#include <linux/safe/revocable.h>

struct t_cycle {
	struct workqueue_struct *wq;
	struct work_struct work;
	struct safe_revocable_domain *d;
	struct safe_revocable *target;	/* what the work revokes */
	bool whole;			/* the work revokes the domain too */
	int released;
};

static void t_cycle_release(void *ptr)
{
	struct t_cycle *c = ptr;

	c->released++;
}

/* Work that revokes: it may wait for the domain's callbacks. */
static void t_cycle_revoker(struct work_struct *work)
{
	struct t_cycle *c = container_of(work, struct t_cycle, work);

	safe_revocable_revoke(c->target);
	if (c->whole)
		safe_revocable_domain_revoke(c->d);
}

/* A release callback that waits for that work. */
static void t_cycle_flusher(void *ptr)
{
	struct t_cycle *c = ptr;

	flush_workqueue(c->wq);
	c->released++;
}

static int t_cycle_init(struct kunit *test, struct t_cycle *c)
{
	if (!IS_ENABLED(CONFIG_PROVE_LOCKING) || !debug_locks) {
		kunit_skip(test, "needs lockdep, still on");
		return -EOPNOTSUPP;
	}
	c->d = safe_revocable_domain_create(NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c->d));
	c->wq = alloc_workqueue("safe_test_revoker", WQ_UNBOUND, 1);
	INIT_WORK(&c->work, t_cycle_revoker);
	if (!c->wq) {
		KUNIT_FAIL(test, "no workqueue");
		safe_revocable_domain_put(c->d);
		return -ENOMEM;
	}
	return 0;
}

static void t_cycle_exit(struct t_cycle *c)
{
	safe_revocable_domain_put(c->d);
	safe_revocable_flush();
	destroy_workqueue(c->wq);
}

/* Run the work to its end, so nothing here overlaps. */
static void t_cycle_run_work(struct t_cycle *c)
{
	queue_work(c->wq, &c->work);
	flush_workqueue(c->wq);
}

/*
 * Work revokes a resource by itself, and a release callback of the
 * domain's teardown later flushes the work's queue.  That cannot hang:
 * the teardown waits for the work's revocation before its callbacks run,
 * or, if the work comes later, it waits for a resource the teardown
 * releases before the flushing one (created first, released last).  So
 * lockdep must stay quiet.
 */
static void lockdep_quiet_revoker_before_teardown(struct kunit *test)
{
	struct safe_revocable *flusher;
	struct t_cycle c = {};

	if (t_cycle_init(test, &c))
		return;
	flusher = safe_revocable_create(c.d, &c, t_cycle_flusher);
	c.target = safe_revocable_create(c.d, &c, t_cycle_release);
	if (IS_ERR(flusher) || IS_ERR(c.target)) {
		KUNIT_FAIL(test, "setup failed");
		goto out;
	}

	t_cycle_run_work(&c);
	KUNIT_EXPECT_EQ(test, c.released, 1);
	safe_revocable_domain_revoke(c.d);
	KUNIT_EXPECT_EQ(test, c.released, 2);
	KUNIT_EXPECT_TRUE_MSG(test, debug_locks,
			      "lockdep reported a cycle that cannot hang");
out:
	t_cycle_exit(&c);
}

/*
 * After the teardown, whose release callback flushed the queue, work on
 * it revokes the domain and a released resource again: both return at
 * once, nothing is waited for, and lockdep must stay quiet.
 */
static void lockdep_quiet_revoke_after_teardown(struct kunit *test)
{
	struct t_cycle c = {};

	if (t_cycle_init(test, &c))
		return;
	c.target = safe_revocable_create(c.d, &c, t_cycle_flusher);
	c.whole = true;
	if (IS_ERR(c.target)) {
		KUNIT_FAIL(test, "setup failed");
		goto out;
	}

	safe_revocable_domain_revoke(c.d);
	KUNIT_EXPECT_EQ(test, c.released, 1);
	t_cycle_run_work(&c);
	KUNIT_EXPECT_EQ(test, c.released, 1);
	KUNIT_EXPECT_TRUE_MSG(test, debug_locks,
			      "lockdep reported a wait that did not happen");
out:
	t_cycle_exit(&c);
}

/*
 * The last case.  Work revokes a resource, then a release callback of a
 * sibling's revocation flushes the work's queue, one after the other.
 * Had they overlapped, the work would have waited for the callbacks'
 * turn and the callback for the work: both hang, with nothing but a
 * hung-task report.  Lockdep must report the cycle without the overlap:
 * work -> the domain's turn -> work.
 */
static void lockdep_sees_release_waiting_for_revoker(struct kunit *test)
{
	struct safe_revocable *flusher;
	struct t_cycle c = {};

	if (t_cycle_init(test, &c))
		return;
	c.target = safe_revocable_create(c.d, &c, t_cycle_release);
	flusher = safe_revocable_create(c.d, &c, t_cycle_flusher);
	if (IS_ERR(c.target) || IS_ERR(flusher)) {
		KUNIT_FAIL(test, "setup failed");
		goto out;
	}

	t_cycle_run_work(&c);
	KUNIT_EXPECT_EQ(test, c.released, 1);
	pr_info("safe-test: expect report begin\n");
	safe_revocable_revoke(flusher);
	pr_info("safe-test: expect report end\n");
	KUNIT_EXPECT_EQ(test, c.released, 2);
	KUNIT_EXPECT_FALSE_MSG(test, debug_locks,
			       "lockdep saw no cycle through the domain's callbacks");
out:
	t_cycle_exit(&c);
}

static struct kunit_case safe_lockdep_cases[] = {
	KUNIT_CASE(lockdep_quiet_revoker_before_teardown),
	KUNIT_CASE(lockdep_quiet_revoke_after_teardown),
	/* Provokes a report, which turns lockdep off: the last case. */
	KUNIT_CASE(lockdep_sees_release_waiting_for_revoker),
	{}
};

static struct kunit_suite safe_lockdep_suite = {
	.name = "safe_zzz_lockdep",
	.test_cases = safe_lockdep_cases,
};

kunit_test_suite(safe_lockdep_suite);

MODULE_DESCRIPTION("lockdep sees waits for safe's revocation callbacks");
MODULE_LICENSE("GPL");
