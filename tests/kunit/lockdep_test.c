// SPDX-License-Identifier: GPL-2.0
/*
 * The very last suite: waits that lockdep must see.  Its case provokes a
 * lockdep report on purpose, and a report turns lockdep off for the rest
 * of the boot, so it runs after every other suite (see Kbuild).
 */
#include <kunit/test.h>
#include <linux/debug_locks.h>
#include <linux/workqueue.h>
#include <linux/safe/revocable.h>

struct t_cycle {
	struct workqueue_struct *wq;
	struct work_struct work;
	struct safe_revocable *first;
	int released;
};

static void t_cycle_release(void *ptr)
{
	struct t_cycle *c = ptr;

	c->released++;
}

/* Work that revokes a resource: it waits for the domain's callbacks. */
static void t_cycle_revoker(struct work_struct *work)
{
	struct t_cycle *c = container_of(work, struct t_cycle, work);

	safe_revocable_revoke(c->first);
}

/* A release callback that waits for that work. */
static void t_cycle_flusher(void *ptr)
{
	struct t_cycle *c = ptr;

	flush_workqueue(c->wq);
	c->released++;
}

/*
 * A callback of a domain waits for work that itself waits for the
 * domain's callbacks (here a revocation; in drivers typically a release
 * callback's cancel_work_sync() of work that revokes).  Had the two
 * overlapped, both would hang with nothing but a hung-task report.  Here
 * they run one after the other, so nothing hangs, and lockdep must still
 * report the cycle: work -> the domain's callbacks -> work.
 */
static void lockdep_sees_callback_waiting_for_revoker(struct kunit *test)
{
	struct safe_revocable_domain *d;
	struct safe_revocable *second;
	struct t_cycle c = {};

	if (!IS_ENABLED(CONFIG_PROVE_LOCKING) || !debug_locks)
		kunit_skip(test, "needs lockdep, still on");
	d = safe_revocable_domain_create(NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	c.first = safe_revocable_create(d, &c, t_cycle_release);
	second = safe_revocable_create(d, &c, t_cycle_flusher);
	c.wq = alloc_workqueue("safe_test_revoker", WQ_UNBOUND, 1);
	INIT_WORK(&c.work, t_cycle_revoker);
	if (IS_ERR(c.first) || IS_ERR(second) || !c.wq) {
		KUNIT_FAIL(test, "setup failed");
		goto out;
	}

	queue_work(c.wq, &c.work);
	flush_workqueue(c.wq);
	KUNIT_EXPECT_EQ(test, c.released, 1);

	pr_info("safe-test: expect report begin\n");
	safe_revocable_domain_revoke(d);
	pr_info("safe-test: expect report end\n");
	KUNIT_EXPECT_EQ(test, c.released, 2);
	KUNIT_EXPECT_FALSE_MSG(test, debug_locks,
			       "lockdep saw no cycle through the domain's callbacks");
out:
	safe_revocable_domain_put(d);
	safe_revocable_flush();
	if (c.wq)
		destroy_workqueue(c.wq);
}

static struct kunit_case safe_lockdep_cases[] = {
	KUNIT_CASE(lockdep_sees_callback_waiting_for_revoker),
	{}
};

static struct kunit_suite safe_lockdep_suite = {
	.name = "safe_zzz_lockdep",
	.test_cases = safe_lockdep_cases,
};

kunit_test_suite(safe_lockdep_suite);

MODULE_DESCRIPTION("lockdep sees waits for safe's revocation callbacks");
MODULE_LICENSE("GPL");
