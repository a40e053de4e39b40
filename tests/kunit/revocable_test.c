// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for revocable resources, their domains, devres integration
 * and protected file operations.
 */
#include <kunit/test.h>
#include <linux/cdev.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/fault-inject.h>
#include <linux/file.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/pipe_fs_i.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/miscdevice.h>
#include <linux/platform_device.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/splice.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/safe/guard.h>
#include <linux/safe/file.h>
#include <linux/safe/revocable.h>
#include "testutil.h"

#define MAGIC	0x5afe5afeUL

struct t_res {
	unsigned long magic;
	int id;
	int *released;		/* counts release callbacks */
	int *order;		/* release order record */
	int *order_len;
};

static void t_res_release(void *ptr)
{
	struct t_res *res = ptr;

	if (res->released)
		(*res->released)++;
	if (res->order)
		res->order[(*res->order_len)++] = res->id;
	res->magic = 0;
	kfree(res);
}

static struct t_res *t_res_new(struct kunit *test, int id, int *released)
{
	struct t_res *res = kzalloc(sizeof(*res), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, res);
	res->magic = MAGIC;
	res->id = id;
	res->released = released;
	return res;
}

/* A domain that the test owns; put when the test ends, however it ends. */
static int t_domain_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

static void t_domain_free(struct kunit_resource *res)
{
	safe_revocable_domain_put(res->data);
	/* The last put revokes from a workqueue; wait for it. */
	safe_revocable_flush();
}

static struct safe_revocable_domain *t_domain(struct kunit *test)
{
	struct safe_revocable_domain *d = safe_revocable_domain_create(NULL);

	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	if (!kunit_alloc_resource(test, t_domain_init, t_domain_free,
				  GFP_KERNEL, d)) {
		safe_revocable_domain_put(d);
		KUNIT_FAIL(test, "kunit_alloc_resource");
	}
	return d;
}

static void rev_access_then_revoke(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test);
	struct safe_revocable_access a;
	int released = 0;
	struct t_res *res = t_res_new(test, 1, &released);
	struct safe_revocable *r = safe_revocable_create(d, res, t_res_release);
	struct t_res *p;

	KUNIT_ASSERT_FALSE(test, IS_ERR(r));
	p = safe_revocable_try_access(r, &a);
	KUNIT_EXPECT_PTR_EQ(test, p, res);
	KUNIT_EXPECT_EQ(test, p->magic, MAGIC);
	safe_revocable_end(&a);

	KUNIT_EXPECT_EQ(test, safe_revocable_revoke(r), 0);
	KUNIT_EXPECT_EQ(test, released, 1);
	KUNIT_EXPECT_NULL(test, safe_revocable_try_access(r, &a));
	KUNIT_EXPECT_NULL(test, a.ptr);
	safe_revocable_end(&a);		/* every access ends, failed or not */
}

struct t_priv {
	SAFE_DECLARE_REVOCABLE(struct t_res, res);
};

static int use_or_return(struct t_priv *priv, int *seen)
{
	safe_revocable_guard_or_return(p, priv->res);
	*seen = p->id;
	return 0;
}

static int use_or_return_eio(struct t_priv *priv)
{
	safe_revocable_guard_or_return(p, priv->res, -EIO);
	return p->id;
}

static void rev_scoped_forms(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test);
	struct t_priv priv;
	int released = 0, ran = 0, seen = 0;

	priv.res.rev = safe_revocable_create(d, t_res_new(test, 7, &released),
					     t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(priv.res.rev));

	safe_revocable_scope(p, priv.res) {
		KUNIT_EXPECT_EQ(test, p->id, 7);
		ran++;
	}
	KUNIT_EXPECT_EQ(test, ran, 1);
	{
		safe_revocable_guard(p, priv.res);

		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ(test, p->magic, MAGIC);
	}
	KUNIT_EXPECT_EQ(test, use_or_return(&priv, &seen), 0);
	KUNIT_EXPECT_EQ(test, seen, 7);
	KUNIT_EXPECT_EQ(test, use_or_return_eio(&priv), 7);

	KUNIT_EXPECT_EQ(test, safe_revocable_revoke(priv.res.rev), 0);
	safe_revocable_scope(p, priv.res)
		ran++;
	KUNIT_EXPECT_EQ(test, ran, 1);
	{
		safe_revocable_guard(p, priv.res);

		KUNIT_EXPECT_NULL(test, p);
	}
	seen = 0;
	KUNIT_EXPECT_EQ(test, use_or_return(&priv, &seen), -ENODEV);
	KUNIT_EXPECT_EQ(test, seen, 0);
	KUNIT_EXPECT_EQ(test, use_or_return_eio(&priv), -EIO);
	KUNIT_EXPECT_EQ(test, released, 1);
}

static int scope_break_then_return(struct t_priv *priv)
{
	int i, n = 0;

	for (i = 0; i < 5; i++) {
		safe_revocable_scope(p, priv->res) {
			if (i == 1)
				continue;
			if (i == 3)
				return n;
			n += p->id;
		}
	}
	return -1;
}

static void rev_scope_exits_end_access(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test);
	struct t_priv priv;
	int released = 0;

	priv.res.rev = safe_revocable_create(d, t_res_new(test, 2, &released),
					     t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(priv.res.rev));
	/* i = 0 and 2 add; 1 leaves the scope early; 3 returns from inside. */
	KUNIT_EXPECT_EQ(test, scope_break_then_return(&priv), 4);
	/* Every access ended: revocation does not wait forever. */
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	KUNIT_EXPECT_EQ(test, released, 1);
}

static void rev_nested_access(struct kunit *test)
{
	struct safe_revocable_domain *d1 = t_domain(test), *d2 = t_domain(test);
	struct t_priv a, b, c;
	int released = 0, depth = 0;

	a.res.rev = safe_revocable_create(d1, t_res_new(test, 1, &released), t_res_release);
	b.res.rev = safe_revocable_create(d1, t_res_new(test, 2, &released), t_res_release);
	c.res.rev = safe_revocable_create(d2, t_res_new(test, 3, &released), t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a.res.rev) || IS_ERR(b.res.rev) ||
			   IS_ERR(c.res.rev));

	safe_revocable_scope(pa, a.res) {
		safe_revocable_scope(pa2, a.res) {
			safe_revocable_scope(pb, b.res) {
				safe_revocable_scope(pc, c.res) {
					KUNIT_EXPECT_EQ(test, pa->id + pa2->id +
							pb->id + pc->id, 7);
					depth = 4;
				}
			}
		}
	}
	KUNIT_EXPECT_EQ(test, depth, 4);
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d1), 0);
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d2), 0);
	KUNIT_EXPECT_EQ(test, released, 3);
}

static void rev_revoke_is_idempotent(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test);
	int released = 0;
	struct safe_revocable *r1, *r2;

	r1 = safe_revocable_create(d, t_res_new(test, 1, &released), t_res_release);
	r2 = safe_revocable_create(d, t_res_new(test, 2, &released), t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(r1) || IS_ERR(r2));

	KUNIT_EXPECT_EQ(test, safe_revocable_revoke(r1), 0);
	KUNIT_EXPECT_EQ(test, safe_revocable_revoke(r1), 0);
	KUNIT_EXPECT_EQ(test, released, 1);
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	KUNIT_EXPECT_EQ(test, safe_revocable_revoke(r2), 0);
	/* Each resource released exactly once. */
	KUNIT_EXPECT_EQ(test, released, 2);
	KUNIT_EXPECT_TRUE(test, safe_revocable_domain_dead(d));
}

/* How many handles the domain keeps, revoked or not. */
static size_t t_domain_resources(struct safe_revocable_domain *d)
{
	struct list_head *pos;
	size_t n = 0;

	spin_lock(&d->lock);
	list_for_each(pos, &d->resources)
		n++;
	spin_unlock(&d->lock);
	return n;
}

/*
 * A per-open resource on a long-lived domain: each open creates one, each
 * close revokes it.  The handles must not pile up on the domain until it
 * is freed; a handle the domain's revocation has taken goes with the
 * domain (KASAN and kmemleak see a double or missing free).
 */
static void rev_destroy_leaves_nothing(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test);
	struct safe_revocable *r;
	int released = 0, i;
	size_t base;

	base = t_domain_resources(d);
	for (i = 0; i < 100; i++) {
		r = safe_revocable_create(d, t_res_new(test, i, &released),
					  t_res_release);
		KUNIT_ASSERT_FALSE(test, IS_ERR(r));
		KUNIT_EXPECT_EQ(test, safe_revocable_destroy(r), 0);
	}
	KUNIT_EXPECT_EQ(test, released, 100);
	KUNIT_EXPECT_EQ(test, t_domain_resources(d), base);

	/* Revoked alone first: the destroy frees the handle all the same. */
	r = safe_revocable_create(d, t_res_new(test, 100, &released),
				  t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(r));
	KUNIT_EXPECT_EQ(test, safe_revocable_revoke(r), 0);
	KUNIT_EXPECT_EQ(test, safe_revocable_destroy(r), 0);
	KUNIT_EXPECT_EQ(test, released, 101);
	KUNIT_EXPECT_EQ(test, t_domain_resources(d), base);

	/*
	 * Revoked with its domain first: left to the domain, freed with it
	 * once (the domain's free at the end of the test).
	 */
	r = safe_revocable_create(d, t_res_new(test, 101, &released),
				  t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(r));
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	KUNIT_EXPECT_EQ(test, safe_revocable_destroy(r), 0);
	KUNIT_EXPECT_EQ(test, released, 102);
	KUNIT_EXPECT_EQ(test, t_domain_resources(d), base + 1);
	KUNIT_EXPECT_EQ(test, safe_revocable_destroy(NULL), -EINVAL);
}

/*
 * Destroying one's own resource from its release callback, and a sibling
 * from it: the own handle is left to the revocation that releases it, the
 * sibling's is freed.
 */
struct t_destroyer {
	struct safe_revocable *self, *sibling;
	int self_ret, sibling_ret;
};

static void t_destroyer_release(void *ptr)
{
	struct t_destroyer *t = ptr;

	t->self_ret = safe_revocable_destroy(t->self);
	t->sibling_ret = safe_revocable_destroy(t->sibling);
}

static void rev_destroy_from_own_release(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test);
	struct t_destroyer *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	int released = 0;
	size_t base;

	KUNIT_ASSERT_NOT_NULL(test, t);
	base = t_domain_resources(d);
	t->sibling = safe_revocable_create(d, t_res_new(test, 1, &released),
					   t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t->sibling));
	t->self = safe_revocable_create(d, t, t_destroyer_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t->self));

	KUNIT_EXPECT_EQ(test, safe_revocable_destroy(t->self), 0);
	KUNIT_EXPECT_EQ(test, t->self_ret, 0);
	KUNIT_EXPECT_EQ(test, t->sibling_ret, 0);
	KUNIT_EXPECT_EQ(test, released, 1);
	/* Both gone: the outer destroy freed its own after the callback. */
	KUNIT_EXPECT_EQ(test, t_domain_resources(d), base);
}

static void rev_release_in_reverse_order(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test);
	int order[4], len = 0, i;

	for (i = 0; i < 4; i++) {
		struct t_res *res = t_res_new(test, i, NULL);

		res->order = order;
		res->order_len = &len;
		KUNIT_ASSERT_FALSE(test, IS_ERR(safe_revocable_create(d, res,
								      t_res_release)));
	}
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	KUNIT_ASSERT_EQ(test, len, 4);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, order[i], 3 - i);
}

static void rev_create_errors(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test);
	int released = 0;
	struct t_res *res = t_res_new(test, 1, &released);
	struct safe_revocable *r;

	KUNIT_EXPECT_PTR_EQ(test, safe_revocable_create(d, NULL, NULL),
			    ERR_PTR(-EINVAL));
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	r = safe_revocable_create(d, res, t_res_release);
	KUNIT_EXPECT_PTR_EQ(test, r, ERR_PTR(-ENODEV));
	/* Refused, so not taken over: still ours to free. */
	KUNIT_EXPECT_EQ(test, released, 0);
	kfree(res);
}

static void rev_last_put_revokes(struct kunit *test)
{
	struct safe_revocable_domain *d = safe_revocable_domain_create(NULL);
	int released = 0;

	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_ASSERT_FALSE(test, IS_ERR(safe_revocable_create(d,
				t_res_new(test, 1, &released), t_res_release)));
	safe_revocable_domain_get(d);
	safe_revocable_domain_put(d);
	safe_revocable_flush();
	KUNIT_EXPECT_EQ(test, released, 0);
	safe_revocable_domain_put(d);
	/* The last put hands the revocation to process context. */
	safe_revocable_flush();
	KUNIT_EXPECT_EQ(test, released, 1);
}

/*
 * A release callback that the last put's teardown runs hands its cleanup
 * to work and takes a domain reference for it, as a timer or work must.
 * The domain stays until that work's put, and the work's access fails.
 */
struct t_late {
	struct safe_revocable_domain *d;
	struct safe_revocable *r;
	struct delayed_work work;
	int released;
	bool ran;
	bool got;
};

static void t_late_work(struct work_struct *work)
{
	struct t_late *l = container_of(to_delayed_work(work), struct t_late,
					work);
	struct safe_revocable_access a;

	l->got = safe_revocable_try_access(l->r, &a);
	safe_revocable_end(&a);
	l->ran = true;
	safe_revocable_domain_put(l->d);
}

static void t_late_release(void *ptr)
{
	struct t_late *l = ptr;

	l->released++;
	safe_revocable_domain_get(l->d);
	schedule_delayed_work(&l->work, msecs_to_jiffies(100));
}

static void rev_last_put_release_takes_reference(struct kunit *test)
{
	struct t_late *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, l);
	INIT_DELAYED_WORK(&l->work, t_late_work);
	l->d = safe_revocable_domain_create(NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(l->d));
	l->r = safe_revocable_create(l->d, l, t_late_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(l->r));

	safe_revocable_domain_put(l->d);
	safe_revocable_flush();
	KUNIT_EXPECT_EQ(test, l->released, 1);
	KUNIT_EXPECT_FALSE(test, l->ran);
	/* The work's put is the last one now; it frees the domain. */
	flush_delayed_work(&l->work);
	safe_revocable_flush();
	KUNIT_EXPECT_TRUE(test, l->ran);
	KUNIT_EXPECT_FALSE(test, l->got);
	KUNIT_EXPECT_EQ(test, l->released, 1);
}

/* --- revocation racing with readers --------------------------------- */

#define RACE_THREADS	4
#define RACE_ACCESSES	100000

struct race {
	struct safe_revocable *r;
	struct completion warm[RACE_THREADS];
	struct completion done[RACE_THREADS];
	unsigned long live[RACE_THREADS];
	unsigned long gone[RACE_THREADS];
	unsigned long bad[RACE_THREADS];
	bool released;
	int next;
};

static int race_reader(void *arg)
{
	struct race *rc = arg;
	int me = READ_ONCE(rc->next), i;

	WRITE_ONCE(rc->next, me + 1);
	for (i = 0; i < RACE_ACCESSES; i++) {
		struct safe_revocable_access a;
		struct t_res *p = safe_revocable_try_access(rc->r, &a);

		if (p) {
			/* Alive for the whole access: not yet released. */
			if (READ_ONCE(p->magic) != MAGIC || READ_ONCE(rc->released))
				rc->bad[me]++;
			rc->live[me]++;
		} else {
			rc->gone[me]++;
		}
		safe_revocable_end(&a);
		if (i == 1000)
			complete(&rc->warm[me]);
		if (!(i & 1023))
			cond_resched();
	}
	complete(&rc->done[me]);
	return 0;
}

static struct race *the_race;

static void race_release(void *ptr)
{
	WRITE_ONCE(the_race->released, true);
	t_res_release(ptr);
}

static void rev_revoke_races_readers(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test);
	struct race *rc = kunit_kzalloc(test, sizeof(*rc), GFP_KERNEL);
	struct t_res *res = t_res_new(test, 1, NULL);
	unsigned long live = 0, gone = 0;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, rc);
	the_race = rc;
	rc->r = safe_revocable_create(d, res, race_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(rc->r));
	for (i = 0; i < RACE_THREADS; i++) {
		struct task_struct *t;

		init_completion(&rc->warm[i]);
		init_completion(&rc->done[i]);
		t = kthread_run(race_reader, rc, "safe-race-%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		/* Serialise the start so each thread takes its own slot. */
		wait_for_completion(&rc->warm[i]);
	}

	KUNIT_EXPECT_EQ(test, safe_revocable_revoke(rc->r), 0);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(rc->released));

	for (i = 0; i < RACE_THREADS; i++) {
		wait_for_completion(&rc->done[i]);
		KUNIT_EXPECT_EQ(test, rc->bad[i], 0UL);
		KUNIT_EXPECT_EQ(test, rc->live[i] + rc->gone[i],
				(unsigned long)RACE_ACCESSES);
		live += rc->live[i];
		gone += rc->gone[i];
	}
	kunit_info(test, "%d threads: %lu accesses saw the resource, %lu saw it gone\n",
		   RACE_THREADS, live, gone);
	/* Each thread was past access 1000 before the revocation began. */
	KUNIT_EXPECT_GE(test, live, (unsigned long)RACE_THREADS * 1000);
}

/* --- one grace period for a whole domain ------------------------------ */

/*
 * SRCU's own grace-period count, independent of safe's counter.  Tiny SRCU
 * (uniprocessor, as on UML) steps ->srcu_idx twice per grace period; Tree
 * SRCU exports srcu_batches_completed(), declared only in kernel/rcu/rcu.h.
 */
#ifdef CONFIG_TINY_SRCU
static unsigned long srcu_gp_count(struct srcu_struct *ssp)
{
	return READ_ONCE(ssp->srcu_idx) / 2;
}
#else
unsigned long srcu_batches_completed(struct srcu_struct *ssp);

static unsigned long srcu_gp_count(struct srcu_struct *ssp)
{
	return srcu_batches_completed(ssp);
}
#endif

static void rev_domain_of_1000_one_grace_period(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test), *solo;
	unsigned long gp0, srcu0;
	int released = 0, i;

	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_FALSE(test, IS_ERR(safe_revocable_create(d,
				t_res_new(test, i, &released), t_res_release)));
	gp0 = safe_revocable_domain_grace_periods(d);
	srcu0 = srcu_gp_count(&d->srcu);
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	KUNIT_EXPECT_EQ(test, released, 1000);
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_grace_periods(d) - gp0, 1UL);
	kunit_info(test, "revoking 1000 resources: %lu grace period(s) waited; SRCU counted %lu\n",
		   safe_revocable_domain_grace_periods(d) - gp0,
		   srcu_gp_count(&d->srcu) - srcu0);
	/* SRCU's own count agrees (Tree SRCU may count a grace period twice). */
	KUNIT_EXPECT_GE(test, srcu_gp_count(&d->srcu) - srcu0, 1UL);
	KUNIT_EXPECT_LE(test, srcu_gp_count(&d->srcu) - srcu0, 2UL);

	/* The same 1000 revoked one by one: one grace period each. */
	solo = t_domain(test);
	for (i = 0; i < 1000; i++) {
		struct safe_revocable *r = safe_revocable_create(solo,
				t_res_new(test, i, &released), t_res_release);

		KUNIT_ASSERT_FALSE(test, IS_ERR(r));
		KUNIT_ASSERT_EQ(test, safe_revocable_revoke(r), 0);
	}
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_grace_periods(solo), 1000UL);
	KUNIT_EXPECT_GE(test, srcu_gp_count(&solo->srcu), 1000UL);
	KUNIT_EXPECT_EQ(test, released, 2000);
}

/* --- revoking from inside an access ----------------------------------- */

static void rev_revoke_inside_access_is_refused(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test);
	struct safe_revocable_access a;
	int released = 0, ret1, ret2;
	struct safe_revocable *r;

	if (!IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) || !debug_locks)
		kunit_skip(test, "needs lockdep to know the task is inside an access");
	r = safe_revocable_create(d, t_res_new(test, 1, &released), t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(r));

	/* No ASSERT while inside: leaving the test would leave it open. */
	KUNIT_EXPECT_NOT_NULL(test, safe_revocable_try_access(r, &a));
	pr_info("safe-test: expect report begin\n");
	ret1 = safe_revocable_revoke(r);
	ret2 = safe_revocable_domain_revoke(d);
	pr_info("safe-test: expect report end\n");
	safe_revocable_end(&a);

	KUNIT_EXPECT_EQ(test, ret1, -EDEADLK);
	KUNIT_EXPECT_EQ(test, ret2, -EDEADLK);
	/* Refused, not half done: still alive until revoked outside. */
	KUNIT_EXPECT_EQ(test, released, 0);
	KUNIT_EXPECT_FALSE(test, safe_revocable_domain_dead(d));
	KUNIT_EXPECT_EQ(test, safe_revocable_revoke(r), 0);
	KUNIT_EXPECT_EQ(test, released, 1);
}

/* --- sleepers inside an access are woken by revocation ------------------ */

struct sleeper {
	struct safe_revocable_domain *d;
	struct safe_revocable *r;
	struct completion inside, done;
	bool hw_wait;	/* safe_revocable_wait_timeout() */
	int ret;
};

static int sleeper_thread(void *arg)
{
	struct sleeper *s = arg;
	struct safe_revocable_access a;

	if (!safe_revocable_try_access(s->r, &a)) {
		s->ret = -EINVAL;
	} else {
		complete(&s->inside);
		/* Nothing ever makes the condition true. */
		s->ret = s->hw_wait ?
			 safe_revocable_wait_timeout(s->d, false, 60 * HZ) :
			 safe_revocable_wait(s->d, false);
	}
	safe_revocable_end(&a);
	complete(&s->inside);
	complete(&s->done);
	return 0;
}

static void t_revoke_wakes(struct kunit *test, bool hw_wait)
{
	struct safe_revocable_domain *d = t_domain(test);
	struct sleeper *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	int released = 0;

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->d = d;
	s->hw_wait = hw_wait;
	s->r = safe_revocable_create(d, t_res_new(test, 1, &released), t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s->r));
	init_completion(&s->inside);
	init_completion(&s->done);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(sleeper_thread, s, "safe-sleeper")));
	wait_for_completion(&s->inside);
	msleep(20);	/* let it fall asleep; the wakeup works either way */

	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	KUNIT_EXPECT_EQ(test, released, 1);
	wait_for_completion(&s->done);
	KUNIT_EXPECT_EQ(test, s->ret, -ENODEV);
}

static void rev_revoke_wakes_sleepers(struct kunit *test)
{
	t_revoke_wakes(test, false);
}

/*
 * The wait for hardware already started: revocation ends it, a signal
 * does not (safe_revocable_wait() gives up on one with -ERESTARTSYS).
 */
static void rev_wait_timeout_revoked_not_signalled(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test);
	struct safe_revocable_access a;

	t_revoke_wakes(test, true);

	KUNIT_ASSERT_TRUE(test, safe_revocable_domain_enter(d, &a));
	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 1);
	KUNIT_EXPECT_TRUE(test, signal_pending(current));
	KUNIT_EXPECT_EQ(test, safe_revocable_wait(d, false), -ERESTARTSYS);
	KUNIT_EXPECT_EQ(test, safe_revocable_wait_timeout(d, false, HZ / 50),
			-ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, safe_revocable_wait_timeout(d, true, HZ / 50), 0);
	flush_signals(current);
	disallow_signal(SIGUSR1);
	safe_revocable_end(&a);
}

/* --- fault injection on every allocation ------------------------------ */

/*
 * current->fail_nth exists only with CONFIG_FAULT_INJECTION; the cases
 * compile without it and skip, through failslab_setup().
 */
#ifdef CONFIG_FAULT_INJECTION
static void t_fail_nth(unsigned int n)
{
	WRITE_ONCE(current->fail_nth, n);
}

static bool t_fail_nth_pending(void)
{
	return READ_ONCE(current->fail_nth) != 0;
}
#else
static void t_fail_nth(unsigned int n)
{
}

static bool t_fail_nth_pending(void)
{
	return false;
}
#endif

static int failslab_setup(struct kunit *test)
{
	if (!IS_ENABLED(CONFIG_FAULT_INJECTION) || !IS_ENABLED(CONFIG_FAILSLAB) ||
	    !IS_ENABLED(CONFIG_FAULT_INJECTION_DEBUG_FS))
		return -EOPNOTSUPP;
	/* GFP_KERNEL allocations are ignored by failslab unless told. */
	return safe_test_debugfs_write("failslab/ignore-gfp-wait", "N");
}

static void rev_fault_injection(struct kunit *test)
{
	int n, failures = 0, released = 0;

	if (failslab_setup(test))
		kunit_skip(test, "needs FAILSLAB with its debugfs knobs");
	for (n = 1; n < 64; n++) {
		struct safe_revocable_domain *d;
		struct safe_revocable *r = NULL;
		struct t_res *res = t_res_new(test, n, &released);
		bool left;

		t_fail_nth(n);
		d = safe_revocable_domain_create(NULL);
		if (!IS_ERR(d))
			r = safe_revocable_create(d, res, t_res_release);
		left = t_fail_nth_pending();
		t_fail_nth(0);

		if (IS_ERR(d)) {
			KUNIT_EXPECT_EQ(test, PTR_ERR(d), -ENOMEM);
			kfree(res);
			failures++;
			continue;
		}
		if (IS_ERR(r)) {
			KUNIT_EXPECT_EQ(test, PTR_ERR(r), -ENOMEM);
			kfree(res);
			failures++;
		}
		safe_revocable_domain_put(d);
		/* The release callbacks count into this frame: wait for them. */
		safe_revocable_flush();
		if (left)
			break;	/* the n-th fault point was never reached */
	}
	kunit_info(test, "%d allocation points failed one at a time\n", failures);
	KUNIT_EXPECT_GE(test, failures, 2);
	KUNIT_EXPECT_LT(test, n, 64);
}


/* --- lifetime edges ---------------------------------------------------- */

/*
 * A reader of r1 sleeps inside its access; a revocation of r2 waits for
 * it; the domain's revocation must still go through (it wakes the
 * sleeper) instead of queueing behind the single revocation.
 */
struct t_hold {
	struct safe_revocable_domain *d;
	struct safe_revocable *r1, *r2;
	struct completion inside, single_done, domain_done, reader_done;
	int wait_ret;
};

static int t_hold_reader(void *arg)
{
	struct t_hold *h = arg;
	struct safe_revocable_access a;

	safe_revocable_try_access(h->r1, &a);
	complete(&h->inside);
	h->wait_ret = safe_revocable_wait(h->d, false);
	safe_revocable_end(&a);
	complete(&h->reader_done);
	return 0;
}

static int t_hold_single(void *arg)
{
	struct t_hold *h = arg;

	safe_revocable_revoke(h->r2);
	complete(&h->single_done);
	return 0;
}

static int t_hold_domain(void *arg)
{
	struct t_hold *h = arg;

	safe_revocable_domain_revoke(h->d);
	complete(&h->domain_done);
	return 0;
}

static void rev_domain_revoke_not_held_by_single_revoke(struct kunit *test)
{
	/* Leaked on failure: the threads may still use it. */
	struct t_hold *h = kzalloc(sizeof(*h), GFP_KERNEL);
	int released = 0;

	KUNIT_ASSERT_NOT_NULL(test, h);
	h->d = t_domain(test);
	h->r1 = safe_revocable_create(h->d, t_res_new(test, 1, &released), t_res_release);
	h->r2 = safe_revocable_create(h->d, t_res_new(test, 2, &released), t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(h->r1) || IS_ERR(h->r2));
	init_completion(&h->inside);
	init_completion(&h->single_done);
	init_completion(&h->domain_done);
	init_completion(&h->reader_done);

	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_hold_reader, h, "safe-hold-r")));
	wait_for_completion(&h->inside);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_hold_single, h, "safe-hold-1")));
	msleep(50);	/* the single revocation now waits for the reader */
	KUNIT_EXPECT_FALSE(test, completion_done(&h->single_done));
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_hold_domain, h, "safe-hold-d")));

	if (!wait_for_completion_timeout(&h->domain_done, 5 * HZ)) {
		KUNIT_FAIL(test, "domain revocation blocked behind a single-resource revocation");
		return;
	}
	wait_for_completion(&h->single_done);
	wait_for_completion(&h->reader_done);
	KUNIT_EXPECT_EQ(test, h->wait_ret, -ENODEV);
	KUNIT_EXPECT_EQ(test, released, 2);
	kfree(h);
}

/*
 * The last put may come from atomic context or from inside an access to
 * the domain itself: neither may sleep nor free the domain under the
 * reader.
 */
static void rev_last_put_atomic_and_inside_access(struct kunit *test)
{
	struct safe_revocable_domain *d;
	struct safe_revocable_access a;
	struct safe_revocable *r;
	static DEFINE_SPINLOCK(lock);
	struct t_res *p;
	int released = 0;

	d = safe_revocable_domain_create(NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	r = safe_revocable_create(d, t_res_new(test, 1, &released), t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(r));
	scoped_guard(spinlock, &lock)
		safe_revocable_domain_put(d);
	safe_revocable_flush();
	KUNIT_EXPECT_EQ(test, released, 1);

	d = safe_revocable_domain_create(NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	r = safe_revocable_create(d, t_res_new(test, 2, &released), t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(r));
	p = safe_revocable_try_access(r, &a);
	KUNIT_EXPECT_NOT_NULL(test, p);
	safe_revocable_domain_put(d);
	/* Still inside: the resource and the domain must still be there. */
	if (p)
		KUNIT_EXPECT_EQ(test, READ_ONCE(p->magic), MAGIC);
	safe_revocable_end(&a);
	safe_revocable_flush();
	KUNIT_EXPECT_EQ(test, released, 2);
}

/*
 * Domains created at different sites are different lockdep classes: one
 * may be revoked inside an access to the other.
 */
static void rev_revoke_other_domain_inside_access(struct kunit *test)
{
	struct safe_revocable_domain *a = safe_revocable_domain_create(NULL);
	struct safe_revocable_domain *b = t_domain(test);
	struct safe_revocable_access acc;
	struct safe_revocable *ra;
	int released = 0, ret;

	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	ra = safe_revocable_create(a, t_res_new(test, 1, &released), t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ra));
	KUNIT_ASSERT_FALSE(test, IS_ERR(safe_revocable_create(b,
				t_res_new(test, 2, &released), t_res_release)));

	safe_revocable_try_access(ra, &acc);
	ret = safe_revocable_domain_revoke(b);
	safe_revocable_end(&acc);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, released, 1);
	safe_revocable_domain_put(a);
	safe_revocable_flush();
	KUNIT_EXPECT_EQ(test, released, 2);
	/* Lockdep turns itself off after its first report. */
	if (IS_ENABLED(CONFIG_PROVE_LOCKING))
		KUNIT_EXPECT_TRUE(test, debug_locks);
}

/*
 * The quiesce step runs before any release, and reaches the domain's
 * other resources through safe_revocable_teardown().
 */
static struct safe_revocable *t_teardown_regs;
static int t_teardown_seen;

static void t_teardown_quiesce(void *ptr)
{
	struct t_res *regs = safe_revocable_teardown(t_teardown_regs);

	t_teardown_seen = regs ? regs->id : -1;
}

static void rev_quiesce_reaches_resources_in_teardown(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test);
	int released = 0;
	struct t_res *q = t_res_new(test, 9, &released);

	t_teardown_seen = 0;
	/* Created first, so released last; the quiesce step runs before. */
	t_teardown_regs = safe_revocable_create(d, t_res_new(test, 5, &released),
						t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t_teardown_regs));
	KUNIT_ASSERT_FALSE(test, IS_ERR(safe_revocable_create_quiesced(d, q,
				t_teardown_quiesce, t_res_release)));

	/* Outside a teardown there is nothing to reach. */
	pr_info("safe-test: expect report begin\n");
	KUNIT_EXPECT_NULL(test, safe_revocable_teardown(t_teardown_regs));
	pr_info("safe-test: expect report end\n");

	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	KUNIT_EXPECT_EQ(test, t_teardown_seen, 5);
	KUNIT_EXPECT_EQ(test, released, 2);
}

/* --- single revocations against the domain's ------------------------- */

/*
 * A single revocation of A is in A's quiesce step when the domain is
 * revoked, and B's quiesce reaches A through safe_revocable_teardown().
 * The domain's callbacks must wait for A's revocation (R3): B then finds
 * A released (NULL), never A while A's own release frees it.
 */
struct t_inflight {
	struct safe_revocable_domain *d;
	struct safe_revocable *a;
	struct completion in_a, go, single_done, domain_done;
	long seen;
	int released;
	bool a_quiesced;
	bool b_saw_a_quiesced;
};

static struct t_inflight *t_inflight;

static void t_inflight_a_quiesce(void *ptr)
{
	complete(&t_inflight->in_a);
	wait_for_completion_timeout(&t_inflight->go, HZ);
	WRITE_ONCE(t_inflight->a_quiesced, true);
}

static void t_inflight_b_quiesce(void *ptr)
{
	struct t_inflight *t = t_inflight;
	struct t_res *p = safe_revocable_teardown(t->a);

	t->b_saw_a_quiesced = READ_ONCE(t->a_quiesced);
	complete(&t->go);
	msleep(50);	/* A's release runs now, if it still can */
	t->seen = p ? (long)READ_ONCE(p->magic) : -1;
}

static int t_inflight_single(void *arg)
{
	struct t_inflight *t = arg;

	safe_revocable_revoke(t->a);
	complete(&t->single_done);
	return 0;
}

static int t_inflight_domain(void *arg)
{
	struct t_inflight *t = arg;

	safe_revocable_domain_revoke(t->d);
	complete(&t->domain_done);
	return 0;
}

static void rev_domain_revoke_waits_single_revocations(struct kunit *test)
{
	/* Leaked on failure: the threads may still use it. */
	struct t_inflight *t = kzalloc(sizeof(*t), GFP_KERNEL);
	struct safe_revocable *b;

	KUNIT_ASSERT_NOT_NULL(test, t);
	t_inflight = t;
	init_completion(&t->in_a);
	init_completion(&t->go);
	init_completion(&t->single_done);
	init_completion(&t->domain_done);
	t->d = safe_revocable_domain_create(NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t->d));
	t->a = safe_revocable_create_quiesced(t->d, t_res_new(test, 1, &t->released),
					      t_inflight_a_quiesce, t_res_release);
	b = safe_revocable_create_quiesced(t->d, t_res_new(test, 2, &t->released),
					   t_inflight_b_quiesce, t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t->a) || IS_ERR(b));

	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_inflight_single, t,
						    "safe-inflight-1")));
	wait_for_completion(&t->in_a);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_inflight_domain, t,
						    "safe-inflight-d")));
	if (!wait_for_completion_timeout(&t->domain_done, 10 * HZ) ||
	    !wait_for_completion_timeout(&t->single_done, 5 * HZ)) {
		KUNIT_FAIL(test, "a revocation did not finish");
		return;
	}
	/* A's quiesce and release came first; B found A released. */
	KUNIT_EXPECT_TRUE(test, t->b_saw_a_quiesced);
	KUNIT_EXPECT_EQ(test, t->seen, -1L);
	KUNIT_EXPECT_EQ(test, t->released, 2);
	safe_revocable_domain_put(t->d);
	safe_revocable_flush();
	kfree(t);
}

/*
 * A callback run by safe_revocable_revoke() revokes its own domain or its
 * own resource, alone or while another task revokes the domain.  The
 * domain's revocation waits for the single one, so the callback must not
 * wait for the domain's: nothing may hang.
 */
enum { T_SELF_DOMAIN, T_SELF_RES, T_RACE_DOMAIN, T_RACE_SIBLING };

struct t_selfrev {
	struct safe_revocable_domain *d;
	struct safe_revocable *r, *sibling;
	struct completion done, domain_done;
	int mode;
	int ret, inner_ret;
	int released;
};

static struct t_selfrev *t_selfrev;

static void t_selfrev_release(void *ptr)
{
	struct t_selfrev *s = t_selfrev;
	int i;

	switch (s->mode) {
	case T_SELF_DOMAIN:
		s->inner_ret = safe_revocable_domain_revoke(s->d);
		break;
	case T_SELF_RES:
		s->inner_ret = safe_revocable_revoke(s->r);
		break;
	default:
		/* Let the domain's revocation start; it then waits for us. */
		for (i = 0; i < 50 && !safe_revocable_domain_dead(s->d); i++)
			msleep(20);
		msleep(50);
		s->inner_ret = s->mode == T_RACE_DOMAIN ?
			safe_revocable_domain_revoke(s->d) :
			safe_revocable_revoke(s->sibling);
		break;
	}
	t_res_release(ptr);
}

static int t_selfrev_single(void *arg)
{
	struct t_selfrev *s = arg;

	s->ret = safe_revocable_revoke(s->r);
	complete(&s->done);
	return 0;
}

static int t_selfrev_domain(void *arg)
{
	struct t_selfrev *s = arg;

	safe_revocable_domain_revoke(s->d);
	complete(&s->domain_done);
	return 0;
}

/* Run one @mode; NULL if it hung (then everything is leaked). */
static struct t_selfrev *t_selfrev_run(struct kunit *test, int mode)
{
	struct t_selfrev *s = kzalloc(sizeof(*s), GFP_KERNEL);
	bool race = mode == T_RACE_DOMAIN || mode == T_RACE_SIBLING;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, s);
	t_selfrev = s;
	s->mode = mode;
	init_completion(&s->done);
	init_completion(&s->domain_done);
	s->d = safe_revocable_domain_create(NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s->d));
	s->sibling = safe_revocable_create(s->d, t_res_new(test, 1, &s->released),
					   t_res_release);
	s->r = safe_revocable_create(s->d, t_res_new(test, 2, &s->released),
				     t_selfrev_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s->sibling) || IS_ERR(s->r));

	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_selfrev_single, s,
						    "safe-selfrev-1")));
	if (race) {
		/* The single revocation owns @r first. */
		for (i = 0; i < 50 && !READ_ONCE(s->r->revoked); i++)
			msleep(20);
		KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_selfrev_domain, s,
							    "safe-selfrev-d")));
	}
	if (!wait_for_completion_timeout(&s->done, 5 * HZ) ||
	    (race && !wait_for_completion_timeout(&s->domain_done, 5 * HZ))) {
		KUNIT_FAIL(test, "mode %d: the revocation hung", mode);
		return NULL;
	}
	KUNIT_EXPECT_EQ_MSG(test, s->ret, 0, "mode %d", mode);
	return s;
}

static void t_selfrev_done(struct t_selfrev *s)
{
	safe_revocable_domain_put(s->d);
	safe_revocable_flush();
	kfree(s);
}

static void rev_single_revoke_callback_revokes_domain(struct kunit *test)
{
	struct t_selfrev *s;

	/* Its own domain: marked dead at once, finished once we return. */
	s = t_selfrev_run(test, T_SELF_DOMAIN);
	if (s) {
		KUNIT_EXPECT_EQ(test, s->inner_ret, -EINPROGRESS);
		KUNIT_EXPECT_TRUE(test, safe_revocable_domain_dead(s->d));
		safe_revocable_flush();
		KUNIT_EXPECT_EQ(test, s->released, 2);
		KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(s->d), 0);
		t_selfrev_done(s);
	}

	/* Its own resource: revoking again does nothing. */
	s = t_selfrev_run(test, T_SELF_RES);
	if (s) {
		KUNIT_EXPECT_EQ(test, s->inner_ret, 0);
		KUNIT_EXPECT_EQ(test, s->released, 1);
		t_selfrev_done(s);
	}
}

static void rev_single_revoke_callback_races_domain_revoke(struct kunit *test)
{
	struct t_selfrev *s;

	/* The domain's revocation in progress waits for this callback. */
	s = t_selfrev_run(test, T_RACE_DOMAIN);
	if (s) {
		KUNIT_EXPECT_EQ(test, s->inner_ret, -EINPROGRESS);
		KUNIT_EXPECT_EQ(test, s->released, 2);
		t_selfrev_done(s);
	}

	/* A sibling that revocation owns: left to it, not waited for. */
	s = t_selfrev_run(test, T_RACE_SIBLING);
	if (s) {
		KUNIT_EXPECT_EQ(test, s->inner_ret, 0);
		KUNIT_EXPECT_EQ(test, s->released, 2);
		t_selfrev_done(s);
	}
}

/*
 * The quiesce callback of a resource revoked alone reaches its siblings
 * with safe_revocable_teardown(), as a domain teardown's callbacks do (a
 * DMA buffer revoked alone stops its engine through the registers).  The
 * sibling stays until the callback returns, when another task revokes it
 * meanwhile, or revokes the domain.
 */
enum { T_SIB_ALONE, T_SIB_REVOKED, T_SIB_DOMAIN };

struct t_sib {
	struct safe_revocable_domain *d;
	struct safe_revocable *regs, *buf;
	struct completion in_quiesce, done, other_done;
	int mode;
	unsigned long seen;	/* the sibling's magic, read at the end */
	int released_then;	/* release callbacks run by then */
	int released;
};

static struct t_sib *t_sib;

static void t_sib_quiesce(void *ptr)
{
	struct t_sib *s = t_sib;
	struct t_res *regs = NULL;
	int i;

	if (s->mode != T_SIB_DOMAIN)
		regs = safe_revocable_teardown(s->regs);
	complete(&s->in_quiesce);
	if (s->mode == T_SIB_DOMAIN) {
		/* The domain's revocation has unpublished the sibling. */
		for (i = 0; i < 50 && !safe_revocable_domain_dead(s->d); i++)
			msleep(20);
		regs = safe_revocable_teardown(s->regs);
	}
	msleep(100);	/* the other revocation runs meanwhile */
	if (regs) {
		s->seen = READ_ONCE(regs->magic);
		s->released_then = READ_ONCE(s->released);
	}
}

static int t_sib_single(void *arg)
{
	struct t_sib *s = arg;

	safe_revocable_revoke(s->buf);
	complete(&s->done);
	return 0;
}

static int t_sib_other(void *arg)
{
	struct t_sib *s = arg;

	if (s->mode == T_SIB_DOMAIN)
		safe_revocable_domain_revoke(s->d);
	else
		safe_revocable_revoke(s->regs);
	complete(&s->other_done);
	return 0;
}

static void rev_single_revoke_callback_reaches_siblings(struct kunit *test)
{
	int mode;

	for (mode = T_SIB_ALONE; mode <= T_SIB_DOMAIN; mode++) {
		struct t_sib *s = kzalloc(sizeof(*s), GFP_KERNEL);
		bool other = mode != T_SIB_ALONE;

		KUNIT_ASSERT_NOT_NULL(test, s);
		t_sib = s;
		s->mode = mode;
		init_completion(&s->in_quiesce);
		init_completion(&s->done);
		init_completion(&s->other_done);
		s->d = safe_revocable_domain_create(NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(s->d));
		s->regs = safe_revocable_create(s->d, t_res_new(test, 1, &s->released),
						t_res_release);
		s->buf = safe_revocable_create_quiesced(s->d,
							t_res_new(test, 2, &s->released),
							t_sib_quiesce, t_res_release);
		KUNIT_ASSERT_FALSE(test, IS_ERR(s->regs) || IS_ERR(s->buf));

		KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_sib_single, s,
							    "safe-sib-1")));
		KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&s->in_quiesce,
								  5 * HZ), 0UL);
		if (other)
			KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_sib_other, s,
								    "safe-sib-2")));
		if (!wait_for_completion_timeout(&s->done, 5 * HZ) ||
		    (other && !wait_for_completion_timeout(&s->other_done, 5 * HZ))) {
			KUNIT_FAIL(test, "mode %d: the revocation hung", mode);
			return;
		}
		KUNIT_EXPECT_EQ_MSG(test, s->seen, MAGIC, "mode %d", mode);
		KUNIT_EXPECT_EQ_MSG(test, s->released_then, 0, "mode %d", mode);
		KUNIT_EXPECT_EQ_MSG(test, s->released, other ? 2 : 1, "mode %d", mode);
		safe_revocable_domain_put(s->d);
		safe_revocable_flush();
		kfree(s);
	}
	t_sib = NULL;
}

/*
 * A release callback that revokes a sibling: the sibling's callbacks run
 * at once, in the same task, and must not get the resource whose release
 * is under way from safe_revocable_teardown().
 */
struct t_halfrel {
	struct safe_revocable *r, *s;
	void *seen;
	bool asked;
};

static struct t_halfrel *t_halfrel;

static void t_halfrel_s_quiesce(void *ptr)
{
	t_halfrel->seen = safe_revocable_teardown(t_halfrel->r);
	t_halfrel->asked = true;
}

static void t_halfrel_r_release(void *ptr)
{
	safe_revocable_revoke(t_halfrel->s);
	t_res_release(ptr);
}

static void rev_single_revoke_release_not_handed_out(struct kunit *test)
{
	struct t_halfrel *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct safe_revocable_domain *d = t_domain(test);
	int released = 0;

	KUNIT_ASSERT_NOT_NULL(test, h);
	t_halfrel = h;
	h->r = safe_revocable_create(d, t_res_new(test, 1, &released),
				     t_halfrel_r_release);
	h->s = safe_revocable_create_quiesced(d, t_res_new(test, 2, &released),
					      t_halfrel_s_quiesce, t_res_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(h->r) || IS_ERR(h->s));
	KUNIT_EXPECT_EQ(test, safe_revocable_revoke(h->r), 0);
	KUNIT_EXPECT_TRUE(test, h->asked);
	KUNIT_EXPECT_NULL(test, h->seen);
	KUNIT_EXPECT_EQ(test, released, 2);
	t_halfrel = NULL;
}

/*
 * The last put of a parent domain whose resource holds the last reference
 * of a child domain: the child's free is queued from inside the parent's.
 * safe_revocable_flush() must wait for both.
 */
static int t_chained_released;

static void t_domain_put_release(void *ptr)
{
	safe_revocable_domain_put(ptr);
}

static void rev_flush_waits_chained_frees(struct kunit *test)
{
	int i;

	for (i = 0; i < 10; i++) {
		struct safe_revocable_domain *parent, *child;
		struct safe_revocable *r;

		t_chained_released = 0;
		parent = safe_revocable_domain_create(NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(parent));
		child = safe_revocable_domain_create(NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(child));
		r = safe_revocable_create(child, t_res_new(test, i, &t_chained_released),
					  t_res_release);
		KUNIT_ASSERT_FALSE(test, IS_ERR(r));
		r = safe_revocable_create(parent, child, t_domain_put_release);
		KUNIT_ASSERT_FALSE(test, IS_ERR(r));

		safe_revocable_domain_put(parent);
		safe_revocable_flush();
		KUNIT_EXPECT_EQ_MSG(test, t_chained_released, 1, "round %d", i);
	}
}

/* --- a real device: devres order, bound path, file operations ----------- */

#define T_DEV_NAME	"safe-rev-test"
#define T_IOC_ID	_IO('S', 1)

/* Writes @val through the argument and a byte through @nested. */
struct t_nested {
	__u64 nested;
	__u32 val;
	__u32 pad;
};

#define T_IOC_NESTED	_IOWR('S', 2, struct t_nested)

struct t_drv_priv {
	struct safe_revocable_domain *domain;
	SAFE_DECLARE_REVOCABLE(struct t_res, res);
	struct safe_miscdevice misc;
	struct fasync_struct *async_queue;
	bool data_ready;
};

struct t_drv_log {
	char events[16];
	int len;
	struct safe_revocable_domain *kept;	/* a reference held past unbind */
	struct safe_revocable *kept_res;
	bool bound_ok;
	bool wrong_dev_caught;
	int released;
	int flushes;
	int fasyncs;
	int nested_ret;
};

static struct t_drv_log t_log;

static void t_log_event(char c)
{
	if (t_log.len < (int)sizeof(t_log.events) - 1)
		t_log.events[t_log.len++] = c;
}

static void t_early_devres(void *data)
{
	t_log_event('E');	/* a devres registered before the domain */
}

static void t_drv_release(void *ptr)
{
	t_log_event('R');	/* the resource's release: revocation */
	t_res_release(ptr);
}

static struct t_drv_priv *t_priv_of(struct file *f)
{
	struct miscdevice *misc = f->private_data;

	return container_of(misc, struct t_drv_priv, misc.misc);
}

static ssize_t t_fop_read(struct file *f, char __user *buf, size_t len,
			  loff_t *pos)
{
	struct t_drv_priv *priv = t_priv_of(f);
	int ret;

	ret = safe_revocable_wait(priv->domain, READ_ONCE(priv->data_ready));
	if (ret)
		return ret;
	return len ? (copy_to_user(buf, "x", 1) ? -EFAULT : 1) : 0;
}

static long t_fop_ioctl_nested(unsigned long arg)
{
	struct t_nested __user *up = (struct t_nested __user *)arg;
	struct t_nested n;

	if (copy_from_user(&n, up, sizeof(n)))
		return -EFAULT;
	n.val = 42;
	if (copy_to_user(up, &n, sizeof(n)))
		return -EFAULT;
	/* Not named by the command: not faulted in before the access. */
	t_log.nested_ret = copy_to_user(u64_to_user_ptr(n.nested), "x", 1) ?
		-EFAULT : 0;
	return 0;
}

/*
 * ->ioctl_prefault of the test driver, when t_use_prefault is set at
 * bind: faults in the byte T_IOC_NESTED writes through its pointer.
 * T_IOC_ID with an argument of 1 is refused here, before the driver.
 */
static bool t_use_prefault;

static int t_ioctl_prefault(unsigned int cmd, unsigned long arg)
{
	struct t_nested n;

	if (cmd == T_IOC_ID)
		return arg == 1 ? -E2BIG : 0;
	if (cmd != T_IOC_NESTED ||
	    copy_from_user(&n, (void __user *)arg, sizeof(n)))
		return 0;
	fault_in_safe_writeable(u64_to_user_ptr(n.nested), 1);
	return 0;
}

static long t_fop_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct t_drv_priv *priv = t_priv_of(f);

	if (cmd == T_IOC_NESTED)
		return t_fop_ioctl_nested(arg);
	if (cmd != T_IOC_ID)
		return -ENOTTY;
	safe_revocable_guard_or_return(p, priv->res);
	return p->id;
}

/* The standard body: the queue lives in driver data freed at unbind. */
static int t_fop_fasync(int fd, struct file *f, int on)
{
	t_log.fasyncs++;
	return fasync_helper(fd, f, on, &t_priv_of(f)->async_queue);
}

static int t_fop_flush(struct file *f, fl_owner_t id)
{
	t_log.flushes++;
	return 0;
}

static __poll_t t_fop_poll(struct file *f, struct poll_table_struct *pt)
{
	struct t_drv_priv *priv = t_priv_of(f);

	poll_wait(f, safe_revocable_domain_wq(priv->domain), pt);
	return READ_ONCE(priv->data_ready) ? EPOLLIN : 0;
}

static const struct file_operations t_fops = {
	.owner = THIS_MODULE,
	.read = t_fop_read,
	.unlocked_ioctl = t_fop_ioctl,
	.poll = t_fop_poll,
	.fasync = t_fop_fasync,
	.flush = t_fop_flush,
};

static int t_drv_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct t_drv_priv *priv;
	struct t_res *res;
	int ret;

	/* Allocated before the domain: freed after it is revoked. */
	priv = devm_kzalloc(dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	ret = devm_add_action_or_reset(dev, t_early_devres, NULL);
	if (ret)
		return ret;

	priv->domain = devm_safe_revocable_domain_create(dev);
	if (IS_ERR(priv->domain))
		return PTR_ERR(priv->domain);
	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	res->magic = MAGIC;
	res->id = 42;
	res->released = &t_log.released;
	priv->res.rev = safe_revocable_create(priv->domain, res, t_drv_release);
	if (IS_ERR(priv->res.rev)) {
		kfree(res);
		return PTR_ERR(priv->res.rev);
	}

	/* probe() runs bound: the fast path needs no SRCU. */
	t_log.bound_ok = safe_revocable_bound(priv->res.rev, dev) == res;
	pr_info("safe-test: expect report begin\n");
	t_log.wrong_dev_caught = IS_ENABLED(CONFIG_SAFE_DEBUG) &&
		!safe_revocable_check_bound(priv->res.rev, NULL, res);
	pr_info("safe-test: expect report end\n");

	safe_revocable_domain_get(priv->domain);
	t_log.kept = priv->domain;
	t_log.kept_res = priv->res.rev;

	priv->misc.misc.minor = MISC_DYNAMIC_MINOR;
	priv->misc.misc.name = T_DEV_NAME;
	priv->misc.fops = &t_fops;
	if (t_use_prefault)
		priv->misc.ioctl_prefault = t_ioctl_prefault;
	priv->misc.domain = priv->domain;
	return devm_safe_misc_register(dev, &priv->misc);
}

static struct platform_driver t_drv = {
	.probe = t_drv_probe,
	.driver = { .name = "safe-rev-test-drv" },
};

struct t_bound {
	struct platform_device *pdev;
};

static int t_bind(struct kunit *test, struct t_bound *b)
{
	int ret;

	memset(&t_log, 0, sizeof(t_log));
	ret = platform_driver_register(&t_drv);
	if (ret)
		return ret;
	b->pdev = platform_device_register_simple("safe-rev-test-drv", -1, NULL, 0);
	if (IS_ERR(b->pdev)) {
		platform_driver_unregister(&t_drv);
		return PTR_ERR(b->pdev);
	}
	if (!b->pdev->dev.driver) {
		platform_device_unregister(b->pdev);
		platform_driver_unregister(&t_drv);
		return -ENODEV;
	}
	return 0;
}

static void t_unbind_all(struct t_bound *b)
{
	platform_device_unregister(b->pdev);
	platform_driver_unregister(&t_drv);
	safe_revocable_domain_put(t_log.kept);
	t_log.kept = NULL;
}

static void rev_devres_order_and_kept_handle(struct kunit *test)
{
	struct t_bound b;
	struct safe_revocable_access a;

	KUNIT_ASSERT_EQ(test, t_bind(test, &b), 0);
	KUNIT_EXPECT_TRUE(test, t_log.bound_ok);
	if (IS_ENABLED(CONFIG_SAFE_DEBUG))
		KUNIT_EXPECT_TRUE(test, t_log.wrong_dev_caught);
	KUNIT_EXPECT_NOT_NULL(test, safe_revocable_try_access(t_log.kept_res, &a));
	safe_revocable_end(&a);

	device_release_driver(&b.pdev->dev);
	/* Revocation (R) before the devres registered ahead of it (E). */
	t_log.events[t_log.len] = '\0';
	KUNIT_EXPECT_STREQ(test, t_log.events, "RE");
	KUNIT_EXPECT_EQ(test, t_log.released, 1);

	/* A handle kept past unbind is still safe to use; it just fails. */
	KUNIT_EXPECT_NULL(test, safe_revocable_try_access(t_log.kept_res, &a));
	safe_revocable_end(&a);
	KUNIT_EXPECT_TRUE(test, safe_revocable_domain_dead(t_log.kept));
	t_unbind_all(&b);
}

struct t_reader {
	struct file *f;
	struct completion started, done;
	ssize_t ret;
};

static int t_reader_thread(void *arg)
{
	struct t_reader *r = arg;
	char c;

	complete(&r->started);
	r->ret = safe_test_file_read(r->f, &c, 1);
	complete(&r->done);
	return 0;
}

static void rev_fops_blocked_reader_and_unbind(struct kunit *test)
{
	struct t_reader *rd = kunit_kzalloc(test, sizeof(*rd), GFP_KERNEL);
	struct t_bound b;
	char c;

	KUNIT_ASSERT_NOT_NULL(test, rd);
	KUNIT_ASSERT_EQ(test, t_bind(test, &b), 0);
	rd->f = safe_test_dev_open(T_DEV_NAME, O_RDWR);
	if (IS_ERR(rd->f)) {
		t_unbind_all(&b);
		KUNIT_FAIL(test, "open /dev/" T_DEV_NAME ": %ld", PTR_ERR(rd->f));
		return;
	}
	KUNIT_EXPECT_EQ(test, rd->f->f_op->unlocked_ioctl(rd->f, T_IOC_ID, 0), 42L);
	KUNIT_EXPECT_EQ(test, vfs_poll(rd->f, NULL), (__poll_t)0);

	init_completion(&rd->started);
	init_completion(&rd->done);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_reader_thread, rd, "safe-reader")));
	wait_for_completion(&rd->started);
	msleep(50);	/* the reader is asleep in read() */
	KUNIT_EXPECT_FALSE(test, completion_done(&rd->done));

	/*
	 * Unbind must wake the reader and wait for it to leave the domain,
	 * not hang; the thread then finishes on its own.
	 */
	device_release_driver(&b.pdev->dev);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&rd->done, 5 * HZ), 0UL);
	KUNIT_EXPECT_EQ(test, rd->ret, (ssize_t)-ENODEV);

	/* The open file outlives the device: every call fails cleanly. */
	KUNIT_EXPECT_EQ(test, safe_test_file_read(rd->f, &c, 1), (ssize_t)-ENODEV);
	KUNIT_EXPECT_EQ(test, rd->f->f_op->unlocked_ioctl(rd->f, T_IOC_ID, 0),
			(long)-ENODEV);
	KUNIT_EXPECT_EQ(test, vfs_poll(rd->f, NULL), (__poll_t)(EPOLLHUP | EPOLLERR));
	__fput_sync(rd->f);
	t_unbind_all(&b);
}

/*
 * A task without a user address space (a kthread, this test's own) calls
 * the file operations, as kernel_read() or a driver's own kthread would:
 * the prefault of the user range must not assume an mm.  The driver's
 * copy fails with -EFAULT, as it would without safe, and after unbind
 * every call fails with -ENODEV.
 */
#define T_IOC_GET	_IOR('S', 9, u32)

static void rev_fops_calls_from_task_without_mm(struct kunit *test)
{
	char __user *ubuf = (char __user *)PAGE_SIZE;
	struct t_bound b;
	struct file *f;
	loff_t pos = 0;

	KUNIT_ASSERT_NULL(test, current->mm);
	KUNIT_ASSERT_EQ(test, t_bind(test, &b), 0);
	f = safe_test_dev_open(T_DEV_NAME, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	WRITE_ONCE(t_priv_of(f)->data_ready, true);
	KUNIT_EXPECT_EQ(test, f->f_op->read(f, ubuf, 1, &pos), (ssize_t)-EFAULT);
	KUNIT_EXPECT_EQ(test, f->f_op->unlocked_ioctl(f, T_IOC_GET, 0),
			(long)-ENOTTY);

	device_release_driver(&b.pdev->dev);
	KUNIT_EXPECT_EQ(test, f->f_op->read(f, ubuf, 1, &pos), (ssize_t)-ENODEV);
	KUNIT_EXPECT_EQ(test, f->f_op->unlocked_ioctl(f, T_IOC_GET, 0),
			(long)-ENODEV);
	__fput_sync(f);
	t_unbind_all(&b);
}

/*
 * Deregistering one node of a domain while a reader of another node
 * sleeps in safe_revocable_wait(): at unbind devres deregisters the
 * nodes before it revokes the domain, which is what wakes the reader, so
 * a deregistration that waited for the domain's readers would never end.
 */
static struct safe_revocable_domain *t_dereg_domain;

static ssize_t t_dereg_read(struct file *f, char __user *buf, size_t len,
			    loff_t *pos)
{
	return safe_revocable_wait(t_dereg_domain, false);
}

static int t_dereg_fasync(int fd, struct file *f, int on)
{
	return 0;
}

static const struct file_operations t_dereg_fops = {
	.owner = THIS_MODULE,
	.read = t_dereg_read,
	.fasync = t_dereg_fasync,
};

struct t_dereg {
	struct safe_miscdevice *sm;
	struct completion done;
};

static int t_dereg_thread(void *arg)
{
	struct t_dereg *dr = arg;

	safe_misc_deregister(dr->sm);
	complete(&dr->done);
	return 0;
}

static void rev_deregister_does_not_wait_for_sleepers(struct kunit *test)
{
	static const char * const names[] = { "safe-rev-dereg0", "safe-rev-dereg1" };
	struct t_reader *rd = kunit_kzalloc(test, sizeof(*rd), GFP_KERNEL);
	struct t_dereg *dr = kunit_kzalloc(test, sizeof(*dr), GFP_KERNEL);
	struct safe_miscdevice *sm[2];
	bool in_time;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, rd);
	KUNIT_ASSERT_NOT_NULL(test, dr);
	t_dereg_domain = t_domain(test);
	for (i = 0; i < 2; i++) {
		sm[i] = kunit_kzalloc(test, sizeof(*sm[i]), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, sm[i]);
		sm[i]->misc.minor = MISC_DYNAMIC_MINOR;
		sm[i]->misc.name = names[i];
		sm[i]->fops = &t_dereg_fops;
		sm[i]->domain = t_dereg_domain;
		KUNIT_ASSERT_EQ(test, safe_misc_register(sm[i]), 0);
	}
	rd->f = safe_test_dev_open(names[0], O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(rd->f));
	init_completion(&rd->started);
	init_completion(&rd->done);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_reader_thread, rd, "safe-reader")));
	wait_for_completion(&rd->started);
	msleep(50);	/* the reader is asleep in read() */
	KUNIT_EXPECT_FALSE(test, completion_done(&rd->done));

	dr->sm = sm[1];
	init_completion(&dr->done);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_dereg_thread, dr, "safe-dereg")));
	in_time = wait_for_completion_timeout(&dr->done, 3 * HZ);
	KUNIT_EXPECT_TRUE_MSG(test, in_time,
			      "deregistration waited for a reader asleep in the domain");

	/* The domain's revocation wakes the reader; it leaves with -ENODEV. */
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(t_dereg_domain), 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&rd->done, 5 * HZ), 0UL);
	KUNIT_EXPECT_EQ(test, rd->ret, (ssize_t)-ENODEV);
	if (!in_time)
		wait_for_completion(&dr->done);
	__fput_sync(rd->f);
	safe_misc_deregister(sm[0]);
}

/*
 * A compat handler that calls ->unlocked_ioctl of the same file, as
 * compat_ptr_ioctl() does: the call runs inside the access already, so
 * the prefault, which may sleep, must not run a second time there.
 */
static int t_compat_prefaults, t_compat_prefaults_inside;

static int t_compat_prefault(unsigned int cmd, unsigned long arg)
{
	t_compat_prefaults++;
	t_compat_prefaults_inside += pagefault_disabled();
	return 0;
}

static long t_compat_ioctl_native(struct file *f, unsigned int cmd,
				  unsigned long arg)
{
	return 0;
}

static long t_compat_ptr_ioctl(struct file *f, unsigned int cmd,
			       unsigned long arg)
{
	return f->f_op->unlocked_ioctl(f, cmd, arg);
}

static const struct file_operations t_compat_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = t_compat_ioctl_native,
	.compat_ioctl = t_compat_ptr_ioctl,
};

static void rev_fops_compat_ptr_ioctl_prefaults_once(struct kunit *test)
{
	struct safe_miscdevice *sm = kunit_kzalloc(test, sizeof(*sm), GFP_KERNEL);
	struct file *f;

	KUNIT_ASSERT_NOT_NULL(test, sm);
	sm->misc.minor = MISC_DYNAMIC_MINOR;
	sm->misc.name = "safe-rev-compat";
	sm->fops = &t_compat_fops;
	sm->domain = t_domain(test);
	sm->ioctl_prefault = t_compat_prefault;
	KUNIT_ASSERT_EQ(test, safe_misc_register(sm), 0);
	f = safe_test_dev_open("safe-rev-compat", O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	t_compat_prefaults = 0;
	t_compat_prefaults_inside = 0;
	/* Positive control: the native call prefaults once, outside. */
	KUNIT_EXPECT_EQ(test, f->f_op->unlocked_ioctl(f, _IO('S', 7), 0), 0L);
	KUNIT_EXPECT_EQ(test, t_compat_prefaults, 1);
	KUNIT_EXPECT_EQ(test, f->f_op->compat_ioctl(f, _IO('S', 7), 0), 0L);
	KUNIT_EXPECT_EQ(test, t_compat_prefaults, 2);
	KUNIT_EXPECT_EQ(test, t_compat_prefaults_inside, 0);
	__fput_sync(f);
	safe_misc_deregister(sm);
}

/*
 * Two domains made at one call site (two instances of one driver): an
 * access to one revoking the other is legal, and must not look to
 * lockdep like a domain revoked from inside its own access.
 */
static struct safe_revocable_domain *t_same_site_domain(void)
{
	return safe_revocable_domain_create(NULL);
}

static void rev_same_site_domains_nest(struct kunit *test)
{
	struct safe_revocable_domain *d1 = t_same_site_domain();
	struct safe_revocable_domain *d2 = t_same_site_domain();
	struct safe_revocable_access a;

	KUNIT_ASSERT_FALSE(test, IS_ERR(d1));
	KUNIT_ASSERT_FALSE(test, IS_ERR(d2));
	KUNIT_ASSERT_TRUE(test, safe_revocable_domain_enter(d1, &a));
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d2), 0);
	safe_revocable_end(&a);
	if (IS_ENABLED(CONFIG_LOCKDEP))
		KUNIT_EXPECT_TRUE_MSG(test, debug_locks, "lockdep reported and turned off");
	/* Positive control: d1 from inside its own access is refused. */
	KUNIT_ASSERT_TRUE(test, safe_revocable_domain_enter(d1, &a));
	if (IS_ENABLED(CONFIG_PROVE_LOCKING) && debug_locks) {
		pr_info("safe-test: expect report begin\n");
		KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d1), -EDEADLK);
		pr_info("safe-test: expect report end\n");
	}
	safe_revocable_end(&a);
	safe_revocable_domain_put(d1);
	safe_revocable_domain_put(d2);
	safe_revocable_flush();
}

/*
 * The last reference dropped while the domain's device is bound, and a
 * release callback that unregisters that very device (a driver whose
 * state dies with it): the device's unbind revokes its domains, this one
 * included, whose teardown is the caller.
 */
struct t_self {
	struct safe_revocable_domain *d;
	struct completion released;
	int probe_err;
};

static struct t_self *t_self_ctx;

static void t_self_release(void *pdev)
{
	platform_device_unregister(pdev);
	complete(&t_self_ctx->released);
}

static int t_self_probe(struct platform_device *pdev)
{
	struct t_self *t = t_self_ctx;

	t->d = safe_revocable_domain_create(&pdev->dev);
	t->probe_err = PTR_ERR_OR_ZERO(t->d);
	if (!t->probe_err)
		t->probe_err = PTR_ERR_OR_ZERO(safe_revocable_create(t->d, pdev,
								     t_self_release));
	return t->probe_err;
}

static struct platform_driver t_self_drv = {
	.probe = t_self_probe,
	.driver = { .name = "safe-rev-self" },
};

static void rev_last_put_release_unregisters_own_device(struct kunit *test)
{
	struct t_self *t = kzalloc(sizeof(*t), GFP_KERNEL);	/* leaked on a hang */
	struct platform_device *pdev;

	KUNIT_ASSERT_NOT_NULL(test, t);
	init_completion(&t->released);
	t_self_ctx = t;
	KUNIT_ASSERT_EQ(test, platform_driver_register(&t_self_drv), 0);
	pdev = platform_device_register_simple("safe-rev-self", -1, NULL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pdev));
	KUNIT_ASSERT_EQ(test, t->probe_err, 0);
	KUNIT_ASSERT_NOT_NULL(test, pdev->dev.driver);

	safe_revocable_domain_put(t->d);
	if (!wait_for_completion_timeout(&t->released, 5 * HZ)) {
		KUNIT_FAIL(test, "the release callback never returned");
		return;
	}
	safe_revocable_flush();
	platform_driver_unregister(&t_self_drv);
	kfree(t);
}

/*
 * A ->poll that entered the domain before it died, and queues itself on
 * the domain's wait queue after revocation's first wake-up: the poller
 * must still be woken (and then sees EPOLLHUP), not sleep forever.
 */
struct t_pollw {
	poll_table pt;
	wait_queue_entry_t wait;
	wait_queue_head_t *head;
	bool woken;
	struct file *f;
	struct completion in_poll, go, polled, revoked;
	struct safe_revocable_domain *d;
};

static struct t_pollw *t_pollw_ctx;

static int t_pollw_wake(wait_queue_entry_t *w, unsigned int mode, int sync,
			void *key)
{
	WRITE_ONCE(container_of(w, struct t_pollw, wait)->woken, true);
	return 0;
}

static void t_pollw_queue(struct file *f, wait_queue_head_t *h, poll_table *pt)
{
	struct t_pollw *pw = container_of(pt, struct t_pollw, pt);

	init_waitqueue_func_entry(&pw->wait, t_pollw_wake);
	pw->head = h;
	add_wait_queue(h, &pw->wait);
}

static __poll_t t_slow_poll(struct file *f, struct poll_table_struct *pt)
{
	struct t_pollw *pw = t_pollw_ctx;

	complete(&pw->in_poll);
	wait_for_completion_timeout(&pw->go, 5 * HZ);
	poll_wait(f, safe_revocable_domain_wq(pw->d), pt);
	return 0;
}

static const struct file_operations t_slow_poll_fops = {
	.owner = THIS_MODULE,
	.poll = t_slow_poll,
};

static int t_pollw_poller(void *arg)
{
	struct t_pollw *pw = arg;

	vfs_poll(pw->f, &pw->pt);
	complete(&pw->polled);
	return 0;
}

static int t_pollw_revoker(void *arg)
{
	struct t_pollw *pw = arg;

	safe_revocable_domain_revoke(pw->d);
	complete(&pw->revoked);
	return 0;
}

static void rev_fops_late_poller_woken(struct kunit *test)
{
	struct safe_miscdevice *sm = kunit_kzalloc(test, sizeof(*sm), GFP_KERNEL);
	struct t_pollw *pw = kunit_kzalloc(test, sizeof(*pw), GFP_KERNEL);
	bool woken;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, sm);
	KUNIT_ASSERT_NOT_NULL(test, pw);
	pw->d = t_domain(test);
	init_poll_funcptr(&pw->pt, t_pollw_queue);
	init_completion(&pw->in_poll);
	init_completion(&pw->go);
	init_completion(&pw->polled);
	init_completion(&pw->revoked);
	t_pollw_ctx = pw;
	sm->misc.minor = MISC_DYNAMIC_MINOR;
	sm->misc.name = "safe-rev-poll";
	sm->fops = &t_slow_poll_fops;
	sm->domain = pw->d;
	KUNIT_ASSERT_EQ(test, safe_misc_register(sm), 0);
	pw->f = safe_test_dev_open("safe-rev-poll", O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pw->f));

	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_pollw_poller, pw, "safe-poller")));
	wait_for_completion(&pw->in_poll);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_pollw_revoker, pw, "safe-revoker")));
	for (i = 0; i < 500 && !safe_revocable_domain_dead(pw->d); i++)
		msleep(10);
	msleep(50);	/* past the first wake-up, waiting for the poller */
	KUNIT_EXPECT_FALSE(test, READ_ONCE(pw->woken));
	complete(&pw->go);
	wait_for_completion(&pw->polled);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&pw->revoked, 5 * HZ), 0UL);
	woken = READ_ONCE(pw->woken);
	KUNIT_EXPECT_TRUE_MSG(test, woken,
			      "a poller queued during revocation was never woken");
	if (pw->head)
		remove_wait_queue(pw->head, &pw->wait);
	/* Every later poll ends at once. */
	KUNIT_EXPECT_EQ(test, vfs_poll(pw->f, NULL), (__poll_t)(EPOLLHUP | EPOLLERR));
	__fput_sync(pw->f);
	safe_misc_deregister(sm);
}

static void rev_fops_open_fault_injection(struct kunit *test)
{
	unsigned int base;
	int n, failures = 0;
	struct t_bound b;

	if (failslab_setup(test))
		kunit_skip(test, "needs FAILSLAB with its debugfs knobs");
	KUNIT_ASSERT_EQ(test, t_bind(test, &b), 0);
	base = kref_read(&t_log.kept->ref);
	for (n = 1; n < 64; n++) {
		struct file *f;
		bool left;

		t_fail_nth(n);
		f = safe_test_dev_open(T_DEV_NAME, O_RDWR);
		left = t_fail_nth_pending();
		t_fail_nth(0);
		if (IS_ERR(f)) {
			failures++;
		} else {
			KUNIT_EXPECT_EQ(test, f->f_op->unlocked_ioctl(f, T_IOC_ID, 0), 42L);
			/*
			 * The file pins the registration's table, which
			 * holds the domain: no reference of its own.
			 */
			KUNIT_EXPECT_EQ(test, kref_read(&t_log.kept->ref), base);
			__fput_sync(f);
		}
		/* Whatever failed, nothing of ours is left behind. */
		KUNIT_EXPECT_EQ(test, kref_read(&t_log.kept->ref), base);
		if (left)
			break;
	}
	kunit_info(test, "open failed cleanly at %d of %d allocation points\n",
		   failures, n - 1);
	KUNIT_EXPECT_GE(test, failures, 2);
	KUNIT_EXPECT_LT(test, n, 64);
	t_unbind_all(&b);
}

#define T_CDEV_NAME	"safe-rev-cdev"

struct t_cdev_priv {
	int id;
};

static long t_cdev_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct t_cdev_priv *priv = f->private_data;

	if (cmd == T_IOC_NESTED)
		return t_fop_ioctl_nested(arg);
	return cmd == T_IOC_ID ? priv->id : -ENOTTY;
}

static const struct file_operations t_cdev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = t_cdev_ioctl,
};

static void t_cdev_node_release(struct device *dev)
{
	kfree(dev);
}

/* A classless device with @devt: devtmpfs gives it a node. */
static struct device *t_cdev_node(dev_t devt)
{
	struct device *node = kzalloc(sizeof(*node), GFP_KERNEL);
	int ret;

	if (!node)
		return ERR_PTR(-ENOMEM);
	device_initialize(node);
	node->devt = devt;
	node->release = t_cdev_node_release;
	ret = dev_set_name(node, T_CDEV_NAME);
	if (!ret)
		ret = device_add(node);
	if (ret) {
		put_device(node);
		return ERR_PTR(ret);
	}
	return node;
}

static void rev_cdev_outlives_driver_data(struct kunit *test)
{
	struct safe_revocable_domain *d;
	struct t_cdev_priv *priv;
	struct safe_cdev *sc;
	struct device *node;
	struct file *f, *f2;
	unsigned int base;
	dev_t devt;

	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_cdev_add(0, 1, NULL, NULL, NULL)),
			-EINVAL);
	d = safe_revocable_domain_create(NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_cdev_add(0, 0, &t_cdev_fops, d, NULL)),
			-EINVAL);
	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, priv);
	priv->id = 7;
	KUNIT_ASSERT_EQ(test, alloc_chrdev_region(&devt, 0, 1, T_CDEV_NAME), 0);
	base = kref_read(&d->ref);

	sc = safe_cdev_add(devt, 1, &t_cdev_fops, d, priv);
	KUNIT_ASSERT_FALSE(test, IS_ERR(sc));
	KUNIT_EXPECT_EQ(test, kref_read(&d->ref), base + 1);
	node = t_cdev_node(devt);
	KUNIT_ASSERT_FALSE(test, IS_ERR(node));
	f = safe_test_dev_open(T_CDEV_NAME, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	/* The driver's data reached ->private_data; the file pins d. */
	KUNIT_EXPECT_EQ(test, f->f_op->unlocked_ioctl(f, T_IOC_ID, 0), 7L);
	KUNIT_EXPECT_EQ(test, kref_read(&d->ref), base + 1);

	/* Unbind: no new opens, revocation, the driver's data freed. */
	safe_cdev_del(sc);
	f2 = safe_test_dev_open(T_CDEV_NAME, O_RDWR);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(f2), -ENXIO);
	if (!IS_ERR(f2))
		__fput_sync(f2);
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	kfree(priv);

	/* The open file pins the cdev, and so the domain, until it closes. */
	KUNIT_EXPECT_EQ(test, kref_read(&d->ref), base + 1);
	KUNIT_EXPECT_EQ(test, f->f_op->unlocked_ioctl(f, T_IOC_ID, 0),
			(long)-ENODEV);
	__fput_sync(f);
	KUNIT_EXPECT_EQ(test, kref_read(&d->ref), base);

	device_unregister(node);
	unregister_chrdev_region(devt, 1);
	safe_revocable_domain_put(d);
}

/*
 * A driver that removes its devm cdev by hand in remove() as well: the
 * devres action that follows must find the cdev still there, not freed
 * memory.  A second plain safe_cdev_del() stays a double free, as a
 * second cdev_del() is.
 */
static void rev_cdev_devm_then_manual_del(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test);
	struct platform_device *pdev;
	struct safe_cdev *sc;
	struct device *node;
	struct file *f;
	void *group;
	dev_t devt;

	pdev = platform_device_register_simple("safe-rev-cdev-devm", -1, NULL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pdev));
	KUNIT_ASSERT_EQ(test, alloc_chrdev_region(&devt, 0, 1, T_CDEV_NAME), 0);
	group = devres_open_group(&pdev->dev, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, group);

	sc = devm_safe_cdev_add(&pdev->dev, devt, 1, &t_cdev_fops, d, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(sc));
	node = t_cdev_node(devt);
	KUNIT_ASSERT_FALSE(test, IS_ERR(node));
	f = safe_test_dev_open(T_CDEV_NAME, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	__fput_sync(f);

	safe_cdev_del(sc);
	f = safe_test_dev_open(T_CDEV_NAME, O_RDWR);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(f), -ENXIO);
	if (!IS_ERR(f))
		__fput_sync(f);
	/* The devm action runs after the manual removal. */
	devres_release_group(&pdev->dev, group);

	device_unregister(node);
	platform_device_unregister(pdev);
	unregister_chrdev_region(devt, 1);
}

/*
 * safe_cdev has the hook safe_miscdevice has: without it a copy through
 * a pointer inside the argument, to a page never touched, fails with
 * -EFAULT (the driver's ioctl runs with page faults disabled); with it the
 * page is faulted in before the access.
 */
static void rev_cdev_ioctl_prefault_nested(struct kunit *test)
{
	struct safe_revocable_domain *d;
	unsigned long untouched;
	struct safe_cdev *sc;
	struct device *node;
	struct user_page u;
	struct t_nested n;
	struct file *f;
	dev_t devt;
	int hook;
	char c;

	d = safe_revocable_domain_create(NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_ASSERT_EQ(test, alloc_chrdev_region(&devt, 0, 1, T_CDEV_NAME), 0);
	sc = safe_cdev_add(devt, 1, &t_cdev_fops, d, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(sc));
	node = t_cdev_node(devt);
	KUNIT_ASSERT_FALSE(test, IS_ERR(node));
	f = safe_test_dev_open(T_CDEV_NAME, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_ASSERT_EQ(test, safe_test_user_page_get(&u), 0);

	for (hook = 0; hook < 2; hook++) {
		if (hook)
			safe_cdev_set_ioctl_prefault(sc, t_ioctl_prefault);
		untouched = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
				    MAP_ANONYMOUS | MAP_PRIVATE, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(untouched));
		n = (struct t_nested){ .nested = untouched };
		KUNIT_EXPECT_FALSE(test, copy_to_user((void __user *)u.addr,
						      &n, sizeof(n)));
		t_log.nested_ret = 1;
		KUNIT_EXPECT_EQ(test, f->f_op->unlocked_ioctl(f, T_IOC_NESTED,
							      u.addr), 0L);
		KUNIT_EXPECT_EQ(test, t_log.nested_ret, hook ? 0 : -EFAULT);
		c = 0;
		KUNIT_EXPECT_FALSE(test, copy_from_user(&c, (void __user *)untouched, 1));
		KUNIT_EXPECT_EQ(test, c, hook ? 'x' : 0);
		vm_munmap(untouched, PAGE_SIZE);
	}
	/* An error from the hook fails the call before the driver runs. */
	KUNIT_EXPECT_EQ(test, f->f_op->unlocked_ioctl(f, T_IOC_ID, 1),
			(long)-E2BIG);

	safe_test_user_page_put(&u);
	__fput_sync(f);
	safe_cdev_del(sc);
	device_unregister(node);
	unregister_chrdev_region(devt, 1);
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	safe_revocable_domain_put(d);
}

static void rev_cdev_add_fault_injection(struct kunit *test)
{
	struct safe_revocable_domain *d;
	int n, failures = 0;
	unsigned int base;
	dev_t devt;

	if (failslab_setup(test))
		kunit_skip(test, "needs FAILSLAB with its debugfs knobs");
	d = safe_revocable_domain_create(NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_ASSERT_EQ(test, alloc_chrdev_region(&devt, 0, 1, T_CDEV_NAME), 0);
	base = kref_read(&d->ref);
	for (n = 1; n < 64; n++) {
		struct safe_cdev *sc;
		bool left;

		t_fail_nth(n);
		sc = safe_cdev_add(devt, 1, &t_cdev_fops, d, NULL);
		left = t_fail_nth_pending();
		t_fail_nth(0);
		if (IS_ERR(sc)) {
			KUNIT_EXPECT_EQ(test, PTR_ERR(sc), -ENOMEM);
			failures++;
		} else {
			KUNIT_EXPECT_EQ(test, kref_read(&d->ref), base + 1);
			safe_cdev_del(sc);
		}
		/* Whatever failed, the domain reference is given back. */
		KUNIT_EXPECT_EQ(test, kref_read(&d->ref), base);
		if (left)
			break;
	}
	kunit_info(test, "add failed cleanly at %d of %d allocation points\n",
		   failures, n - 1);
	KUNIT_EXPECT_GE(test, failures, 2);
	KUNIT_EXPECT_LT(test, n, 64);
	unregister_chrdev_region(devt, 1);
	safe_revocable_domain_put(d);
}


/*
 * A registration with ->fasync holds the domain only while it has users
 * (the registration and the open files): a failed registration, and a
 * deregistration followed by the last close, give the reference back, and
 * a device-less domain is then freed by its creator's put (R5).
 */
#define T_FASYNC_NAME	"safe-rev-fasync"

static struct fasync_struct *t_fasync_queue;

static int t_fasync_only(int fd, struct file *f, int on)
{
	return fasync_helper(fd, f, on, &t_fasync_queue);
}

static const struct file_operations t_fasync_fops = {
	.owner = THIS_MODULE,
	.fasync = t_fasync_only,
};

static int t_fasync_released;

static void rev_misc_fasync_deregister_returns_ref(struct kunit *test)
{
	struct safe_miscdevice *sm = kunit_kzalloc(test, sizeof(*sm), GFP_KERNEL);
	struct safe_revocable_domain *d;
	unsigned int base;
	struct t_res *res;
	struct file *f;

	KUNIT_ASSERT_NOT_NULL(test, sm);
	t_fasync_released = 0;
	d = safe_revocable_domain_create(NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	res = t_res_new(test, 1, &t_fasync_released);
	KUNIT_ASSERT_FALSE(test, IS_ERR(safe_revocable_create(d, res, t_res_release)));
	base = kref_read(&d->ref);
	sm->misc.minor = MISC_DYNAMIC_MINOR;
	sm->misc.name = T_FASYNC_NAME;
	sm->fops = &t_fasync_fops;
	sm->domain = d;

	/* Register and deregister, no file. */
	KUNIT_ASSERT_EQ(test, safe_misc_register(sm), 0);
	safe_misc_deregister(sm);
	KUNIT_EXPECT_EQ(test, kref_read(&d->ref), base);

	/* A file with notification on outlives the registration. */
	KUNIT_ASSERT_EQ(test, safe_misc_register(sm), 0);
	f = safe_test_dev_open(T_FASYNC_NAME, O_RDWR);
	if (IS_ERR(f)) {
		KUNIT_FAIL(test, "open /dev/" T_FASYNC_NAME ": %ld", PTR_ERR(f));
	} else {
		KUNIT_EXPECT_GE(test, f->f_op->fasync(3, f, 1), 0);
		spin_lock(&f->f_lock);
		f->f_flags |= FASYNC;
		spin_unlock(&f->f_lock);
		safe_misc_deregister(sm);
		KUNIT_EXPECT_GT(test, kref_read(&d->ref), base);
		__fput_sync(f);
	}
	KUNIT_EXPECT_NULL(test, READ_ONCE(t_fasync_queue));
	KUNIT_EXPECT_EQ(test, kref_read(&d->ref), base);

	/* The creator's put is the last: it revokes and frees the domain. */
	safe_revocable_domain_put(d);
	safe_revocable_flush();
	KUNIT_EXPECT_EQ(test, t_fasync_released, 1);
}

/*
 * Register @sm as the misc device @name with @fops on a domain of the
 * test's, and open it; an error pointer (the failure reported) if the
 * open fails.
 */
static struct file *t_misc_open(struct kunit *test, struct safe_miscdevice *sm,
				const char *name,
				const struct file_operations *fops)
{
	struct file *f;

	sm->misc.minor = MISC_DYNAMIC_MINOR;
	sm->misc.name = name;
	sm->fops = fops;
	sm->domain = t_domain(test);
	KUNIT_ASSERT_EQ(test, safe_misc_register(sm), 0);
	f = safe_test_dev_open(name, O_RDWR);
	if (IS_ERR(f))
		KUNIT_FAIL(test, "open /dev/%s: %ld", name, PTR_ERR(f));
	return f;
}

/*
 * fcntl(F_SETFL) racing ioctl(FIOASYNC) can leave FASYNC clear on a file
 * that ->fasync put on the driver's queue; __fput() then skips ->fasync.
 * The last close must still take the file off the queue.
 */
static void rev_fops_release_turns_fasync_off(struct kunit *test)
{
	struct safe_miscdevice *sm = kunit_kzalloc(test, sizeof(*sm), GFP_KERNEL);
	struct file *f;

	KUNIT_ASSERT_NOT_NULL(test, sm);
	f = t_misc_open(test, sm, T_FASYNC_NAME, &t_fasync_fops);
	if (!IS_ERR(f)) {
		KUNIT_EXPECT_GE(test, f->f_op->fasync(3, f, 1), 0);
		/* The other thread's F_SETFL write of f_flags wins. */
		spin_lock(&f->f_lock);
		f->f_flags &= ~FASYNC;
		spin_unlock(&f->f_lock);
		__fput_sync(f);
	}
	KUNIT_EXPECT_NULL(test, READ_ONCE(t_fasync_queue));
	safe_misc_deregister(sm);
}

#ifdef vma_desc_test_any
/*
 * 7.x runs what ->mmap_prepare asked for (the desc's action, a
 * vm_ops->mapped) after the hook has returned: outside the access, where
 * an unbind may have freed what it names.  Refused; a plain
 * ->mmap_prepare still maps.
 */
#define T_MMAP_NAME	"safe-rev-mmap"

enum { T_MP_PLAIN, T_MP_MAPPED, T_MP_KERNEL_PAGES, T_MP_REMAP };

static int t_mp_mode;
static int t_mp_mapped_calls;
static struct page *t_mp_page;

static int t_mp_mapped(unsigned long start, unsigned long end, pgoff_t pgoff,
		       const struct file *file, void **vm_private_data)
{
	t_mp_mapped_calls++;
	return 0;
}

static const struct vm_operations_struct t_mp_mapped_ops = {
	.mapped = t_mp_mapped,
};

static int t_mp_prepare(struct vm_area_desc *desc)
{
	switch (t_mp_mode) {
	case T_MP_MAPPED:
		desc->vm_ops = &t_mp_mapped_ops;
		break;
	case T_MP_KERNEL_PAGES:
		mmap_action_map_kernel_pages(desc, desc->start, &t_mp_page, 1);
		break;
	case T_MP_REMAP:
		mmap_action_remap_full(desc, page_to_pfn(t_mp_page));
		break;
	}
	return 0;
}

static const struct file_operations t_mp_fops = {
	.owner = THIS_MODULE,
	.mmap_prepare = t_mp_prepare,
};

static void rev_fops_mmap_prepare_nothing_deferred(struct kunit *test)
{
	struct safe_miscdevice *sm = kunit_kzalloc(test, sizeof(*sm), GFP_KERNEL);
	static const int want[] = {
		[T_MP_PLAIN] = 0, [T_MP_MAPPED] = -EINVAL,
		[T_MP_KERNEL_PAGES] = -EINVAL, [T_MP_REMAP] = -EINVAL,
	};
	struct user_page u;
	unsigned long addr;
	struct file *f;

	KUNIT_ASSERT_NOT_NULL(test, sm);
	t_mp_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, t_mp_page);
	f = t_misc_open(test, sm, T_MMAP_NAME, &t_mp_fops);
	if (IS_ERR(f))
		goto out;
	if (safe_test_user_page_get(&u)) {
		KUNIT_FAIL(test, "no user memory");
		goto close;
	}
	t_mp_mapped_calls = 0;
	for (t_mp_mode = 0; t_mp_mode < ARRAY_SIZE(want); t_mp_mode++) {
		addr = vm_mmap(f, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, 0);
		KUNIT_EXPECT_EQ_MSG(test, IS_ERR_VALUE(addr) ? (long)addr : 0L,
				    (long)want[t_mp_mode], "mode %d", t_mp_mode);
		if (!IS_ERR_VALUE(addr))
			vm_munmap(addr, PAGE_SIZE);
	}
	KUNIT_EXPECT_EQ(test, t_mp_mapped_calls, 0);
	safe_test_user_page_put(&u);
close:
	__fput_sync(f);
out:
	safe_misc_deregister(sm);
	__free_page(t_mp_page);
}
#else
static void rev_fops_mmap_prepare_nothing_deferred(struct kunit *test)
{
	kunit_skip(test, "no ->mmap_prepare on this kernel");
}
#endif

/*
 * The prefault must not change what the driver sees: a kernel iterator
 * (kernel_write(), splice) has nothing to fault in and keeps its length,
 * and a user buffer whose tail is not mapped fails as it would without
 * safe instead of arriving cut to its mapped part.
 */
#define T_LEN_NAME	"safe-rev-len"

static size_t t_len_seen;

static ssize_t t_len_write(struct file *f, const char __user *buf, size_t len,
			   loff_t *pos)
{
	char chunk[256];
	size_t done;

	t_len_seen = len;
	for (done = 0; done < len; done += sizeof(chunk))
		if (copy_from_user(chunk, buf + done,
				   min(sizeof(chunk), len - done)))
			return -EFAULT;
	return len;
}

static ssize_t t_len_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	size_t n = iov_iter_count(from), done, want;
	char chunk[256];

	t_len_seen = n;
	for (done = 0; done < n; done += want) {
		want = min(sizeof(chunk), n - done);
		if (copy_from_iter(chunk, want, from) != want)
			return -EFAULT;
	}
	return n;
}

static const struct file_operations t_len_fops[] = {
	{ .owner = THIS_MODULE, .write = t_len_write },
	{ .owner = THIS_MODULE, .write_iter = t_len_write_iter },
};

static void rev_fops_prefault_keeps_lengths(struct kunit *test)
{
	struct safe_miscdevice *sm = kunit_kzalloc(test, sizeof(*sm), GFP_KERNEL);
	size_t big = 2 * SZ_1M;
	void *kbuf = kvzalloc(big, GFP_KERNEL);
	const char __user *ubuf;
	unsigned long addr;
	struct user_page u;
	struct file *f;
	loff_t pos = 0;
	int t;

	KUNIT_ASSERT_NOT_NULL(test, sm);
	KUNIT_ASSERT_NOT_NULL(test, kbuf);
	sm->misc.minor = MISC_DYNAMIC_MINOR;
	sm->misc.name = T_LEN_NAME;
	sm->domain = t_domain(test);
	KUNIT_ASSERT_EQ(test, safe_test_user_page_get(&u), 0);
	addr = vm_mmap(NULL, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_EXPECT_FALSE(test, IS_ERR_VALUE(addr));
	ubuf = (const char __user *)addr;

	for (t = 0; t < ARRAY_SIZE(t_len_fops) && !IS_ERR_VALUE(addr); t++) {
		sm->fops = &t_len_fops[t];
		KUNIT_ASSERT_EQ(test, safe_misc_register(sm), 0);
		f = safe_test_dev_open(T_LEN_NAME, O_RDWR);
		if (IS_ERR(f)) {
			KUNIT_FAIL(test, "open /dev/" T_LEN_NAME ": %ld", PTR_ERR(f));
			safe_misc_deregister(sm);
			break;
		}
		if (t == 1) {
			/* A kernel iterator: nothing to fault in, nothing cut. */
			KUNIT_EXPECT_EQ(test, kernel_write(f, kbuf, big, &pos),
					(ssize_t)big);
			KUNIT_EXPECT_EQ(test, t_len_seen, big);
		}
		/* Positive control: both pages there. */
		KUNIT_EXPECT_EQ(test, vfs_write(f, ubuf, 2 * PAGE_SIZE, &pos),
				(ssize_t)(2 * PAGE_SIZE));
		/* The tail unmapped: fails as without safe, not cut. */
		vm_munmap(addr + PAGE_SIZE, PAGE_SIZE);
		KUNIT_EXPECT_EQ_MSG(test, vfs_write(f, ubuf, 2 * PAGE_SIZE, &pos),
				    (ssize_t)-EFAULT, "table %d", t);
		KUNIT_EXPECT_EQ_MSG(test, t_len_seen, 2 * PAGE_SIZE, "table %d", t);
		addr = vm_mmap(NULL, addr + PAGE_SIZE, PAGE_SIZE,
			       PROT_READ | PROT_WRITE,
			       MAP_ANONYMOUS | MAP_PRIVATE | MAP_FIXED, 0);
		KUNIT_EXPECT_FALSE(test, IS_ERR_VALUE(addr));
		addr = (unsigned long)ubuf;
		__fput_sync(f);
		safe_misc_deregister(sm);
	}
	vm_munmap((unsigned long)ubuf, 2 * PAGE_SIZE);
	safe_test_user_page_put(&u);
	kvfree(kbuf);
}

/*
 * A long-lived domain whose nodes come and go (a hot-plugged sub-device,
 * a mode switch): each registration's fasync drain must leave the domain
 * with it, not stay on its list until the domain is freed.
 */
static void rev_register_cycles_leave_nothing(struct kunit *test)
{
	struct safe_miscdevice *sm = kunit_kzalloc(test, sizeof(*sm), GFP_KERNEL);
	struct safe_revocable_domain *d = t_domain(test);
	size_t base;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, sm);
	base = t_domain_resources(d);
	sm->misc.minor = MISC_DYNAMIC_MINOR;
	sm->misc.name = T_FASYNC_NAME;
	sm->fops = &t_fasync_fops;
	sm->domain = d;
	for (i = 0; i < 100; i++) {
		KUNIT_ASSERT_EQ(test, safe_misc_register(sm), 0);
		safe_misc_deregister(sm);
	}
	KUNIT_EXPECT_EQ(test, t_domain_resources(d), base);
}

static void rev_cdev_add_fault_injection_fasync(struct kunit *test)
{
	struct safe_revocable_domain *d;
	int n, failures = 0;
	unsigned int base;
	dev_t devt;

	if (failslab_setup(test))
		kunit_skip(test, "needs FAILSLAB with its debugfs knobs");
	d = t_domain(test);
	KUNIT_ASSERT_EQ(test, alloc_chrdev_region(&devt, 0, 1, T_CDEV_NAME), 0);
	base = kref_read(&d->ref);
	for (n = 1; n < 64; n++) {
		struct safe_cdev *sc;
		bool left;

		t_fail_nth(n);
		sc = safe_cdev_add(devt, 1, &t_fasync_fops, d, NULL);
		left = t_fail_nth_pending();
		t_fail_nth(0);
		if (IS_ERR(sc)) {
			KUNIT_EXPECT_EQ(test, PTR_ERR(sc), -ENOMEM);
			failures++;
		} else {
			safe_cdev_del(sc);
		}
		/* Whatever failed, the domain reference is given back. */
		KUNIT_EXPECT_EQ_MSG(test, kref_read(&d->ref), base, "n %d", n);
		if (left)
			break;
	}
	KUNIT_EXPECT_GE(test, failures, 2);
	KUNIT_EXPECT_LT(test, n, 64);
	unregister_chrdev_region(devt, 1);
}

/* A registration on a revoked domain fails, as documented. */
static void rev_register_on_revoked_domain(struct kunit *test)
{
	struct safe_miscdevice *sm = kunit_kzalloc(test, sizeof(*sm), GFP_KERNEL);
	struct safe_revocable_domain *d = t_domain(test);
	struct safe_cdev *sc;
	dev_t devt;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, sm);
	KUNIT_ASSERT_EQ(test, safe_revocable_domain_revoke(d), 0);
	sm->misc.minor = MISC_DYNAMIC_MINOR;
	sm->misc.name = T_FASYNC_NAME;
	sm->fops = &t_cdev_fops;
	sm->domain = d;
	ret = safe_misc_register(sm);
	KUNIT_EXPECT_EQ(test, ret, -ENODEV);
	if (!ret)
		safe_misc_deregister(sm);

	KUNIT_ASSERT_EQ(test, alloc_chrdev_region(&devt, 0, 1, T_CDEV_NAME), 0);
	sc = safe_cdev_add(devt, 1, &t_cdev_fops, d, NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(sc), -ENODEV);
	safe_cdev_del(sc);
	unregister_chrdev_region(devt, 1);
}

/*
 * Misuse that a driver's error path makes easily: unchecked ERR_PTR()s,
 * NULLs, a deregistration of a device never registered or deregistered
 * twice, a handle never initialised.  Each gets an errno or is ignored;
 * none may crash.  The handle acts as revoked.
 */
static void rev_misuse_returns_errno(struct kunit *test)
{
	struct safe_revocable_domain *bad_d[] = { NULL, ERR_PTR(-ENOMEM) };
	struct safe_revocable *bad_r[] = { NULL, ERR_PTR(-ENODEV) };
	struct safe_cdev *bad_sc[] = { NULL, ERR_PTR(-EBUSY) };
	struct safe_miscdevice *sm = kunit_kzalloc(test, sizeof(*sm), GFP_KERNEL);
	struct device *bad_dev = ERR_PTR(-EPROBE_DEFER);
	struct t_priv never = {};
	int i, ran = 0, seen = 0;

	KUNIT_ASSERT_NOT_NULL(test, sm);
	for (i = 0; i < ARRAY_SIZE(bad_d); i++) {
		KUNIT_EXPECT_EQ(test, PTR_ERR(safe_revocable_create(bad_d[i], &ran, NULL)),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, PTR_ERR(safe_revocable_create_quiesced(bad_d[i], &ran,
									     NULL, NULL)),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(bad_d[i]), -EINVAL);
		safe_revocable_domain_get(bad_d[i]);
		safe_revocable_domain_put(bad_d[i]);
		KUNIT_EXPECT_EQ(test, safe_revocable_revoke(bad_r[i]), -EINVAL);
		KUNIT_EXPECT_NULL(test, safe_revocable_teardown(bad_r[i]));
		safe_cdev_set_ioctl_prefault(bad_sc[i], NULL);
		safe_cdev_del(bad_sc[i]);
	}
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_revocable_domain_create(bad_dev)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(devm_safe_revocable_domain_create(bad_dev)),
			-EINVAL);

	/* Never registered, then deregistered twice. */
	safe_misc_deregister(sm);
	sm->misc.minor = MISC_DYNAMIC_MINOR;
	sm->misc.name = T_FASYNC_NAME;
	sm->fops = &t_cdev_fops;
	sm->domain = t_domain(test);
	KUNIT_ASSERT_EQ(test, safe_misc_register(sm), 0);
	safe_misc_deregister(sm);
	safe_misc_deregister(sm);

	/* A handle never initialised (.rev == NULL) acts as revoked. */
	safe_revocable_scope(p, never.res)
		ran++;
	{
		safe_revocable_guard(p, never.res);

		KUNIT_EXPECT_NULL(test, p);
	}
	KUNIT_EXPECT_EQ(test, use_or_return(&never, &seen), -ENODEV);
	KUNIT_EXPECT_EQ(test, ran, 0);
	KUNIT_EXPECT_EQ(test, seen, 0);
}

/*
 * ->fasync keeps the file on a list in driver data freed at unbind; the
 * final fput() turns notification off long after.  Revocation must turn
 * it off while the data is alive, and the final fput() must not reach it.
 */
static void rev_fops_fasync_outlives_driver_data(struct kunit *test)
{
	struct t_bound b;
	struct file *f;

	KUNIT_ASSERT_EQ(test, t_bind(test, &b), 0);
	f = safe_test_dev_open(T_DEV_NAME, O_RDWR);
	if (IS_ERR(f)) {
		t_unbind_all(&b);
		KUNIT_FAIL(test, "open /dev/" T_DEV_NAME ": %ld", PTR_ERR(f));
		return;
	}
	/* What fcntl(F_SETFL, O_ASYNC) does. */
	KUNIT_EXPECT_GE(test, f->f_op->fasync(3, f, 1), 0);
	spin_lock(&f->f_lock);
	f->f_flags |= FASYNC;
	spin_unlock(&f->f_lock);
	KUNIT_EXPECT_EQ(test, t_log.fasyncs, 1);

	/* Unbind frees the driver's data, queue head included. */
	device_release_driver(&b.pdev->dev);
	KUNIT_EXPECT_EQ(test, t_log.fasyncs, 2);

	/* __fput() calls ->fasync(-1, f, 0): nothing may reach the driver. */
	__fput_sync(f);
	KUNIT_EXPECT_EQ(test, t_log.fasyncs, 2);
	t_unbind_all(&b);
}

/*
 * The async queue may live in a resource the driver creates after the
 * registration, which the domain's teardown releases first (newest
 * first).  Notification must be off before any release callback runs.
 */
struct t_late_queue {
	struct fasync_struct *queue;
	unsigned long magic;
};

static struct t_late_queue *t_late_queue;

static int t_late_fasync(int fd, struct file *f, int on)
{
	return fasync_helper(fd, f, on, &t_late_queue->queue);
}

static const struct file_operations t_late_fasync_fops = {
	.owner = THIS_MODULE,
	.fasync = t_late_fasync,
};

static bool t_late_still_queued;

static void t_late_queue_release(void *ptr)
{
	struct t_late_queue *q = ptr;

	/* A queue still holding the file: the drain comes too late. */
	t_late_still_queued = q->queue;
	q->magic = 0;
	kfree(q);
}

static void rev_fops_fasync_drained_before_releases(struct kunit *test)
{
	struct safe_miscdevice *sm = kunit_kzalloc(test, sizeof(*sm), GFP_KERNEL);
	struct safe_revocable_domain *d = t_domain(test);
	struct t_late_queue *q;
	struct file *f;

	KUNIT_ASSERT_NOT_NULL(test, sm);
	sm->misc.minor = MISC_DYNAMIC_MINOR;
	sm->misc.name = T_FASYNC_NAME;
	sm->fops = &t_late_fasync_fops;
	sm->domain = d;
	KUNIT_ASSERT_EQ(test, safe_misc_register(sm), 0);
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	q->magic = MAGIC;
	t_late_queue = q;
	KUNIT_ASSERT_FALSE(test, IS_ERR(safe_revocable_create(d, q,
							      t_late_queue_release)));
	f = safe_test_dev_open(T_FASYNC_NAME, O_RDWR);
	if (IS_ERR(f)) {
		safe_misc_deregister(sm);
		KUNIT_FAIL(test, "open: %ld", PTR_ERR(f));
		return;
	}
	KUNIT_EXPECT_GE(test, f->f_op->fasync(3, f, 1), 0);
	spin_lock(&f->f_lock);
	f->f_flags |= FASYNC;
	spin_unlock(&f->f_lock);
	KUNIT_EXPECT_NOT_NULL(test, q->queue);

	t_late_still_queued = true;
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	KUNIT_EXPECT_FALSE(test, t_late_still_queued);
	__fput_sync(f);
	safe_misc_deregister(sm);
	t_late_queue = NULL;
}

/*
 * Inside a protected call user memory is never faulted in (a userfaultfd
 * or FUSE page would stall revocation there): the argument the command
 * names is faulted in before, other user memory fails with -EFAULT.
 */
/*
 * The test driver bound (with ->ioctl_prefault if @prefault), its device
 * open, a user page, and an anonymous page never touched.
 */
struct t_user_env {
	struct t_bound b;
	struct file *f;
	struct user_page u;
	unsigned long untouched;
};

static int t_user_env_get(struct kunit *test, struct t_user_env *e,
			  bool prefault)
{
	int ret;

	t_use_prefault = prefault;
	ret = t_bind(test, &e->b);
	t_use_prefault = false;
	if (ret)
		return ret;
	e->f = safe_test_dev_open(T_DEV_NAME, O_RDWR);
	if (IS_ERR(e->f)) {
		t_unbind_all(&e->b);
		return PTR_ERR(e->f);
	}
	if (safe_test_user_page_get(&e->u)) {
		__fput_sync(e->f);
		t_unbind_all(&e->b);
		return -ENOMEM;
	}
	e->untouched = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_EXPECT_FALSE(test, IS_ERR_VALUE(e->untouched));
	return 0;
}

static void t_user_env_put(struct t_user_env *e)
{
	vm_munmap(e->untouched, PAGE_SIZE);
	safe_test_user_page_put(&e->u);
	__fput_sync(e->f);
	t_unbind_all(&e->b);
}

static void rev_fops_no_fault_inside_access(struct kunit *test)
{
	struct t_nested n = {};
	struct t_user_env e;
	unsigned long untouched;
	struct file *f;
	long ret;

	KUNIT_ASSERT_EQ(test, t_user_env_get(test, &e, false), 0);
	f = e.f;
	untouched = e.untouched;

	/* The argument itself, on a page never touched: faulted in first. */
	t_log.nested_ret = 1;
	ret = f->f_op->unlocked_ioctl(f, T_IOC_NESTED, untouched);
	KUNIT_EXPECT_EQ(test, ret, 0L);
	KUNIT_EXPECT_FALSE(test, copy_from_user(&n, (void __user *)untouched,
						sizeof(n)));
	KUNIT_EXPECT_EQ(test, n.val, 42U);

	/* A pointer inside it, to a page never touched: not faulted in. */
	vm_munmap(untouched, PAGE_SIZE);
	untouched = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_ANONYMOUS | MAP_PRIVATE, 0);
	n = (struct t_nested){ .nested = untouched };
	KUNIT_EXPECT_FALSE(test, copy_to_user((void __user *)e.u.addr, &n, sizeof(n)));
	ret = f->f_op->unlocked_ioctl(f, T_IOC_NESTED, e.u.addr);
	KUNIT_EXPECT_EQ(test, ret, 0L);
	KUNIT_EXPECT_EQ(test, t_log.nested_ret, -EFAULT);

	e.untouched = untouched;
	t_user_env_put(&e);
}

/*
 * With ->ioctl_prefault the driver names the memory behind the pointers
 * in its argument, and a copy through them works on a page never touched;
 * an error from the hook fails the call before the driver runs.
 */
static void rev_fops_ioctl_prefault_nested(struct kunit *test)
{
	struct t_nested n;
	struct t_user_env e;
	struct file *f;
	char c = 0;

	KUNIT_ASSERT_EQ(test, t_user_env_get(test, &e, true), 0);
	f = e.f;

	n = (struct t_nested){ .nested = e.untouched };
	KUNIT_EXPECT_FALSE(test, copy_to_user((void __user *)e.u.addr, &n, sizeof(n)));
	t_log.nested_ret = 1;
	KUNIT_EXPECT_EQ(test, f->f_op->unlocked_ioctl(f, T_IOC_NESTED, e.u.addr), 0L);
	KUNIT_EXPECT_EQ(test, t_log.nested_ret, 0);
	KUNIT_EXPECT_FALSE(test, copy_from_user(&c, (void __user *)e.untouched, 1));
	KUNIT_EXPECT_EQ(test, c, 'x');

	KUNIT_EXPECT_EQ(test, f->f_op->unlocked_ioctl(f, T_IOC_ID, 1), (long)-E2BIG);
	KUNIT_EXPECT_EQ(test, f->f_op->unlocked_ioctl(f, T_IOC_ID, 0), 42L);
	t_user_env_put(&e);
}

/* A table that sets most members, to see each forwarded. */
static int t_full_calls;

static int t_full_fsync(struct file *f, loff_t a, loff_t b, int datasync)
{
	t_full_calls++;
	return 0;
}

static int t_full_flush(struct file *f, fl_owner_t id)
{
	t_full_calls++;
	return 0;
}

static int t_full_check_flags(int flags)
{
	return 0;
}

static loff_t t_full_llseek(struct file *f, loff_t off, int whence)
{
	t_full_calls++;
	return off;
}

static ssize_t t_full_splice_read(struct file *f, loff_t *pos,
				  struct pipe_inode_info *pipe, size_t len,
				  unsigned int flags)
{
	return 0;
}

static ssize_t t_full_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	size_t n = iov_iter_count(from);

	t_full_calls++;
	iov_iter_advance(from, n);
	return n;
}

static void t_full_show_fdinfo(struct seq_file *m, struct file *f)
{
}

static const struct file_operations t_full_fops = {
	.owner = THIS_MODULE,
	.llseek = t_full_llseek,
	.fsync = t_full_fsync,
	.flush = t_full_flush,
	.check_flags = t_full_check_flags,
	.splice_read = t_full_splice_read,
	.write_iter = t_full_write_iter,
	.splice_write = iter_file_splice_write,
	.show_fdinfo = t_full_show_fdinfo,
	.unlocked_ioctl = t_fop_ioctl,
};

static int t_fadvise(struct file *f, loff_t off, loff_t len, int advice)
{
	return -EINVAL;
}

static const struct file_operations t_lease_fops = {
	.owner = THIS_MODULE,
	.fadvise = t_fadvise,
};

static int t_other_released;

static int t_other_release(struct inode *inode, struct file *f)
{
	t_other_released++;
	return 0;
}

static const struct file_operations t_other_fops = {
	.owner = THIS_MODULE,
	.release = t_other_release,
};

/* An ->open that switches to another table, as some drivers do. */
static int t_switch_open(struct inode *inode, struct file *f)
{
	replace_fops(f, fops_get(&t_other_fops));
	return 0;
}

static const struct file_operations t_switch_fops = {
	.owner = THIS_MODULE,
	.open = t_switch_open,
};

#define T_FULL_NAME	"safe-rev-full"

static void rev_fops_every_member_forwarded(struct kunit *test)
{
	struct safe_revocable_domain *d = t_domain(test);
	struct safe_miscdevice *sm = kunit_kzalloc(test, sizeof(*sm), GFP_KERNEL);
	struct file *f, *f2;
	unsigned int base;

	KUNIT_ASSERT_NOT_NULL(test, sm);
	sm->misc.minor = MISC_DYNAMIC_MINOR;
	sm->misc.name = T_FULL_NAME;
	sm->domain = d;

	/* A member safe cannot forward is refused, not dropped. */
	sm->fops = &t_lease_fops;
	KUNIT_EXPECT_EQ(test, safe_misc_register(sm), -EINVAL);

	sm->fops = &t_full_fops;
	KUNIT_ASSERT_EQ(test, safe_misc_register(sm), 0);
	f = safe_test_dev_open(T_FULL_NAME, O_RDWR);
	if (IS_ERR(f)) {
		safe_misc_deregister(sm);
		KUNIT_FAIL(test, "open: %ld", PTR_ERR(f));
		return;
	}
	f2 = safe_test_dev_open(T_FULL_NAME, O_RDWR);
	KUNIT_EXPECT_FALSE(test, IS_ERR(f2));

	/* One table per registration, not per open. */
	if (!IS_ERR(f2))
		KUNIT_EXPECT_PTR_EQ(test, f->f_op, f2->f_op);
	/* Exactly the members the driver has. */
	KUNIT_EXPECT_NOT_NULL(test, f->f_op->llseek);
	KUNIT_EXPECT_NOT_NULL(test, f->f_op->fsync);
	KUNIT_EXPECT_NOT_NULL(test, f->f_op->flush);
	KUNIT_EXPECT_NOT_NULL(test, f->f_op->splice_read);
	KUNIT_EXPECT_NOT_NULL(test, f->f_op->write_iter);
	KUNIT_EXPECT_NOT_NULL(test, f->f_op->splice_write);
	KUNIT_EXPECT_NULL(test, f->f_op->lock);
	KUNIT_EXPECT_NULL(test, f->f_op->flock);
	KUNIT_EXPECT_NOT_NULL(test, f->f_op->show_fdinfo);
	KUNIT_EXPECT_PTR_EQ(test, (void *)f->f_op->check_flags,
			    (void *)t_full_check_flags);
	KUNIT_EXPECT_NULL(test, f->f_op->read);
	KUNIT_EXPECT_NULL(test, f->f_op->read_iter);
	KUNIT_EXPECT_NULL(test, f->f_op->poll);
	KUNIT_EXPECT_NULL(test, f->f_op->mmap);
	KUNIT_EXPECT_NULL(test, f->f_op->fasync);

	t_full_calls = 0;
	KUNIT_EXPECT_EQ(test, vfs_fsync(f, 0), 0);
	KUNIT_EXPECT_EQ(test, vfs_llseek(f, 5, SEEK_SET), (loff_t)5);
	KUNIT_EXPECT_EQ(test, f->f_op->flush(f, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_full_calls, 3);

	/* Revoked: nothing reaches the driver. */
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	KUNIT_EXPECT_EQ(test, vfs_fsync(f, 0), -ENODEV);
	KUNIT_EXPECT_EQ(test, f->f_op->flush(f, NULL), 0);
	KUNIT_EXPECT_EQ(test, t_full_calls, 3);
	__fput_sync(f);
	if (!IS_ERR(f2))
		__fput_sync(f2);
	safe_misc_deregister(sm);

	/* An ->open that switches tables is undone and refused. */
	d = t_domain(test);
	base = kref_read(&d->ref);
	sm->domain = d;
	sm->fops = &t_switch_fops;
	KUNIT_ASSERT_EQ(test, safe_misc_register(sm), 0);
	t_other_released = 0;
	f = safe_test_dev_open(T_FULL_NAME, O_RDWR);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(f), -EINVAL);
	if (!IS_ERR(f))
		__fput_sync(f);
	KUNIT_EXPECT_EQ(test, t_other_released, 1);
	safe_misc_deregister(sm);
	KUNIT_EXPECT_EQ(test, kref_read(&d->ref), base);
}

/*
 * F2 with a lock or a pipe instead of user memory: a blocking flock() or
 * F_SETLKW waits for another process's unlock, and a splice from a pipe
 * waits for the pipe's writer.  Neither wait may sit inside an access.
 */
static int t_lock(struct file *f, int cmd, struct file_lock *fl)
{
	return -ENOLCK;
}

static ssize_t t_splice_write(struct pipe_inode_info *pipe, struct file *f,
			      loff_t *pos, size_t len, unsigned int flags)
{
	return -EIO;
}

static const struct file_operations t_lock_fops = {
	.owner = THIS_MODULE,
	.lock = t_lock,
};

static const struct file_operations t_flock_fops = {
	.owner = THIS_MODULE,
	.flock = t_lock,
};

static const struct file_operations t_splice_fops = {
	.owner = THIS_MODULE,
	.write_iter = t_full_write_iter,
	.splice_write = t_splice_write,
};

static ssize_t t_write(struct file *f, const char __user *buf, size_t len,
		       loff_t *pos)
{
	return len;
}

/* 6.1's vfs_iter_write() would pass a kernel iterator to ->write. */
static const struct file_operations t_splice_no_iter_fops = {
	.owner = THIS_MODULE,
	.write = t_write,
	.splice_write = iter_file_splice_write,
};

struct t_splice {
	struct file *pipe[2];
	struct file *f;
	struct safe_revocable_domain *d;
	struct completion spliced;
	struct completion revoked;
	long ret;
};

static int t_splice_thread(void *arg)
{
	struct t_splice *s = arg;

	s->ret = do_splice(s->pipe[0], NULL, s->f, NULL, 16, 0);
	complete(&s->spliced);
	return 0;
}

static int t_splice_revoke_thread(void *arg)
{
	struct t_splice *s = arg;

	safe_revocable_domain_revoke(s->d);
	complete(&s->revoked);
	return 0;
}

static void rev_fops_no_user_wait_inside_access(struct kunit *test)
{
	struct safe_miscdevice *sm = kunit_kzalloc(test, sizeof(*sm), GFP_KERNEL);
	struct t_splice *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	static const struct file_operations *const refused[] = {
		&t_lock_fops, &t_flock_fops, &t_splice_fops,
		&t_splice_no_iter_fops,
	};
	unsigned int i;
	char c = 1;
	bool hung;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, sm);
	KUNIT_ASSERT_NOT_NULL(test, s);
	sm->misc.minor = MISC_DYNAMIC_MINOR;
	sm->misc.name = T_FULL_NAME;
	sm->domain = t_domain(test);

	/* Refused, with a message, rather than forwarded into an access. */
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		sm->fops = refused[i];
		ret = safe_misc_register(sm);
		KUNIT_EXPECT_EQ_MSG(test, ret, -EINVAL, "table %u", i);
		if (!ret)
			safe_misc_deregister(sm);
	}

	/* iter_file_splice_write() waits for the pipe outside the domain. */
	sm->fops = &t_full_fops;
	KUNIT_ASSERT_EQ(test, safe_misc_register(sm), 0);
	s->f = safe_test_dev_open(T_FULL_NAME, O_RDWR);
	if (IS_ERR(s->f)) {
		safe_misc_deregister(sm);
		KUNIT_FAIL(test, "open: %ld", PTR_ERR(s->f));
		return;
	}
	KUNIT_ASSERT_EQ(test, create_pipe_files(s->pipe, 0), 0);
	s->d = sm->domain;
	init_completion(&s->spliced);
	init_completion(&s->revoked);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_splice_thread, s, "safe-splice")));
	msleep(50);	/* the splice waits for the empty pipe */
	KUNIT_EXPECT_FALSE(test, completion_done(&s->spliced));

	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(t_splice_revoke_thread, s,
						    "safe-revoke")));
	hung = !wait_for_completion_timeout(&s->revoked, 5 * HZ);
	KUNIT_EXPECT_FALSE_MSG(test, hung, "the pipe's writer held the revocation");

	/* The writer writes: the splice goes on, and fails on the dead device. */
	KUNIT_EXPECT_EQ(test, kernel_write(s->pipe[1], &c, 1, &s->pipe[1]->f_pos),
			(ssize_t)1);
	wait_for_completion(&s->spliced);
	if (hung)
		wait_for_completion(&s->revoked);
	else
		KUNIT_EXPECT_EQ(test, s->ret, (long)-ENODEV);
	fput(s->pipe[0]);
	fput(s->pipe[1]);
	__fput_sync(s->f);
	safe_misc_deregister(sm);
}

/*
 * A parent whose teardown unregisters a child device with a domain of
 * its own (MFD, auxiliary bus): the child's revocation runs inside the
 * parent's.
 */
static struct platform_device *t_child_pdev;
static int t_child_revoked;

static void t_child_release(void *ptr)
{
	t_child_revoked++;
	kfree(ptr);
}

static int t_child_probe(struct platform_device *pdev)
{
	struct safe_revocable_domain *d;
	void *res = kzalloc(8, GFP_KERNEL);
	struct safe_revocable *r;

	if (!res)
		return -ENOMEM;
	d = devm_safe_revocable_domain_create(&pdev->dev);
	if (IS_ERR(d)) {
		kfree(res);
		return PTR_ERR(d);
	}
	r = safe_revocable_create(d, res, t_child_release);
	if (IS_ERR(r)) {
		kfree(res);
		return PTR_ERR(r);
	}
	return 0;
}

static struct platform_driver t_child_drv = {
	.probe = t_child_probe,
	.driver = { .name = "safe-rev-child" },
};

static void t_parent_release(void *ptr)
{
	platform_device_unregister(ptr);
}

static int t_parent_probe(struct platform_device *pdev)
{
	struct safe_revocable_domain *d;
	struct safe_revocable *r;

	d = devm_safe_revocable_domain_create(&pdev->dev);
	if (IS_ERR(d))
		return PTR_ERR(d);
	t_child_pdev = platform_device_register_simple("safe-rev-child", -1,
						       NULL, 0);
	if (IS_ERR(t_child_pdev))
		return PTR_ERR(t_child_pdev);
	r = safe_revocable_create(d, t_child_pdev, t_parent_release);
	if (IS_ERR(r)) {
		platform_device_unregister(t_child_pdev);
		return PTR_ERR(r);
	}
	return 0;
}

static struct platform_driver t_parent_drv = {
	.probe = t_parent_probe,
	.driver = { .name = "safe-rev-parent" },
};

static void rev_parent_child_teardown(struct kunit *test)
{
	struct platform_device *parent;

	t_child_revoked = 0;
	KUNIT_ASSERT_EQ(test, platform_driver_register(&t_child_drv), 0);
	KUNIT_ASSERT_EQ(test, platform_driver_register(&t_parent_drv), 0);
	parent = platform_device_register_simple("safe-rev-parent", -1, NULL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(parent));
	KUNIT_EXPECT_NOT_NULL(test, parent->dev.driver);
	KUNIT_EXPECT_NOT_NULL(test, t_child_pdev->dev.driver);

	/* Parent unbind: its revocation unregisters the child. */
	platform_device_unregister(parent);
	KUNIT_EXPECT_EQ(test, t_child_revoked, 1);
	platform_driver_unregister(&t_parent_drv);
	platform_driver_unregister(&t_child_drv);
	if (IS_ENABLED(CONFIG_PROVE_LOCKING))
		KUNIT_EXPECT_TRUE(test, debug_locks);
}

/*
 * A driver unbinds its own device from inside an access (an ioctl that
 * resets it through device_reprobe(), say).  Revocation cannot wait for
 * that access, but the domain must still die at unbind (R4): no other
 * access may start, and the rest follows once the access has ended.
 */
static void rev_unbind_inside_access_kills_domain(struct kunit *test)
{
	struct safe_revocable_access a, again;
	struct t_bound b;

	if (!IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) || !debug_locks)
		kunit_skip(test, "needs lockdep to know the task is inside an access");
	KUNIT_ASSERT_EQ(test, t_bind(test, &b), 0);
	KUNIT_EXPECT_NOT_NULL(test, safe_revocable_try_access(t_log.kept_res, &a));
	pr_info("safe-test: expect report begin\n");
	device_release_driver(&b.pdev->dev);
	pr_info("safe-test: expect report end\n");

	KUNIT_EXPECT_TRUE(test, safe_revocable_domain_dead(t_log.kept));
	KUNIT_EXPECT_NULL(test, safe_revocable_try_access(t_log.kept_res, &again));
	safe_revocable_end(&again);
	safe_revocable_end(&a);
	safe_revocable_flush();
	KUNIT_EXPECT_EQ(test, t_log.released, 1);
	t_unbind_all(&b);
}

/*
 * R4 and R5 at once: a driver drops the last reference to a domain of its
 * device from inside an access to it, then unbinds the device from inside
 * the same access.  The domain's free waits for that access, so the
 * unbind must not wait for the domain's free.
 */
struct t_put_unbind {
	struct device *dev;
	struct safe_revocable_domain *d;
	struct safe_revocable *r;
	struct completion done;
	int released;
	bool inside, last, dead, again;
};

static int t_put_unbind_fn(void *arg)
{
	struct t_put_unbind *t = arg;
	struct safe_revocable_access a, again;

	if (safe_revocable_try_access(t->r, &a)) {
		t->inside = true;
		safe_revocable_domain_put(t->d);	/* the last reference */
		/* The free work has not started: the case under test. */
		t->last = !kref_read(&t->d->ref);
		device_release_driver(t->dev);
		/* Our access keeps the domain; no other may start. */
		t->dead = safe_revocable_domain_dead(t->d);
		t->again = safe_revocable_try_access(t->r, &again);
		safe_revocable_end(&again);
	} else {
		safe_revocable_domain_put(t->d);
	}
	safe_revocable_end(&a);
	complete(&t->done);
	return 0;
}

static int t_bare_probe(struct platform_device *pdev)
{
	return 0;
}

/*
 * Nothing of its own in devres, so the unbind reaches the binding's
 * release before the domain's free work can run (on one CPU).
 */
static struct platform_driver t_bare_drv = {
	.probe = t_bare_probe,
	.driver = { .name = "safe-rev-bare" },
};

static void rev_last_put_then_unbind_inside_access(struct kunit *test)
{
	struct platform_device *pdev;
	struct task_struct *task;
	struct t_put_unbind *t;

	if (!IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) || !debug_locks)
		kunit_skip(test, "needs lockdep to know the task is inside an access");
	KUNIT_ASSERT_EQ(test, platform_driver_register(&t_bare_drv), 0);
	pdev = platform_device_register_simple("safe-rev-bare", -1, NULL, 0);
	if (IS_ERR(pdev) || !pdev->dev.driver) {
		if (!IS_ERR(pdev))
			platform_device_unregister(pdev);
		platform_driver_unregister(&t_bare_drv);
		KUNIT_FAIL(test, "the test device did not bind");
		return;
	}
	/* Not the test's: a thread that hangs keeps using it. */
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (t) {
		t->dev = &pdev->dev;
		t->d = safe_revocable_domain_create(t->dev);
	}
	if (!t || IS_ERR(t->d)) {
		kfree(t);
		platform_device_unregister(pdev);
		platform_driver_unregister(&t_bare_drv);
		KUNIT_FAIL(test, "no domain");
		return;
	}
	t->r = safe_revocable_create(t->d, t_res_new(test, 1, &t->released),
				     t_res_release);
	init_completion(&t->done);
	pr_info("safe-test: expect report begin\n");
	task = IS_ERR(t->r) ? ERR_CAST(t->r) :
	       kthread_run(t_put_unbind_fn, t, "safe-put-unbind");
	if (IS_ERR(task)) {
		pr_info("safe-test: expect report end\n");
		safe_revocable_domain_put(t->d);
		safe_revocable_flush();
		kfree(t);
		platform_device_unregister(pdev);
		platform_driver_unregister(&t_bare_drv);
		KUNIT_FAIL(test, "no resource or thread: %ld", PTR_ERR(task));
		return;
	}
	if (!wait_for_completion_timeout(&t->done, 10 * HZ)) {
		pr_info("safe-test: expect report end\n");
		KUNIT_FAIL(test, "the unbind hung waiting for the free of a domain whose access it is inside");
		return;
	}
	pr_info("safe-test: expect report end\n");
	safe_revocable_flush();
	platform_device_unregister(pdev);
	platform_driver_unregister(&t_bare_drv);
	if (t->inside && !t->last) {
		kfree(t);
		kunit_skip(test, "the domain's free started before the unbind");
	}
	KUNIT_EXPECT_TRUE(test, t->inside);
	KUNIT_EXPECT_EQ(test, t->released, 1);
	/* R4: dead from the unbind on, for every task. */
	KUNIT_EXPECT_TRUE(test, t->dead);
	KUNIT_EXPECT_FALSE(test, t->again);
	kfree(t);
}

static struct kunit_case safe_revocable_cases[] = {
	KUNIT_CASE(rev_access_then_revoke),
	KUNIT_CASE(rev_scoped_forms),
	KUNIT_CASE(rev_scope_exits_end_access),
	KUNIT_CASE(rev_nested_access),
	KUNIT_CASE(rev_revoke_is_idempotent),
	KUNIT_CASE(rev_release_in_reverse_order),
	KUNIT_CASE(rev_destroy_leaves_nothing),
	KUNIT_CASE(rev_destroy_from_own_release),
	KUNIT_CASE(rev_create_errors),
	KUNIT_CASE(rev_last_put_revokes),
	KUNIT_CASE(rev_last_put_release_takes_reference),
	KUNIT_CASE(rev_revoke_races_readers),
	KUNIT_CASE(rev_domain_of_1000_one_grace_period),
	KUNIT_CASE(rev_revoke_inside_access_is_refused),
	KUNIT_CASE(rev_revoke_wakes_sleepers),
	KUNIT_CASE(rev_wait_timeout_revoked_not_signalled),
	KUNIT_CASE(rev_fault_injection),
	KUNIT_CASE(rev_devres_order_and_kept_handle),
	KUNIT_CASE(rev_fops_blocked_reader_and_unbind),
	KUNIT_CASE(rev_fops_open_fault_injection),
	KUNIT_CASE(rev_cdev_outlives_driver_data),
	KUNIT_CASE(rev_fops_calls_from_task_without_mm),
	KUNIT_CASE(rev_deregister_does_not_wait_for_sleepers),
	KUNIT_CASE(rev_fops_compat_ptr_ioctl_prefaults_once),
	KUNIT_CASE(rev_same_site_domains_nest),
	KUNIT_CASE(rev_last_put_release_unregisters_own_device),
	KUNIT_CASE(rev_fops_late_poller_woken),
	KUNIT_CASE(rev_cdev_devm_then_manual_del),
	KUNIT_CASE(rev_cdev_ioctl_prefault_nested),
	KUNIT_CASE(rev_cdev_add_fault_injection),
	KUNIT_CASE(rev_domain_revoke_not_held_by_single_revoke),
	KUNIT_CASE(rev_last_put_atomic_and_inside_access),
	KUNIT_CASE(rev_revoke_other_domain_inside_access),
	KUNIT_CASE(rev_quiesce_reaches_resources_in_teardown),
	KUNIT_CASE(rev_fops_fasync_outlives_driver_data),
	KUNIT_CASE(rev_fops_fasync_drained_before_releases),
	KUNIT_CASE(rev_fops_no_fault_inside_access),
	KUNIT_CASE(rev_fops_ioctl_prefault_nested),
	KUNIT_CASE(rev_fops_every_member_forwarded),
	KUNIT_CASE(rev_fops_mmap_prepare_nothing_deferred),
	KUNIT_CASE(rev_fops_release_turns_fasync_off),
	KUNIT_CASE(rev_register_cycles_leave_nothing),
	KUNIT_CASE(rev_fops_prefault_keeps_lengths),
	KUNIT_CASE(rev_fops_no_user_wait_inside_access),
	KUNIT_CASE(rev_parent_child_teardown),
	KUNIT_CASE(rev_domain_revoke_waits_single_revocations),
	KUNIT_CASE(rev_single_revoke_callback_revokes_domain),
	KUNIT_CASE(rev_single_revoke_callback_races_domain_revoke),
	KUNIT_CASE(rev_single_revoke_callback_reaches_siblings),
	KUNIT_CASE(rev_single_revoke_release_not_handed_out),
	KUNIT_CASE(rev_flush_waits_chained_frees),
	KUNIT_CASE(rev_misc_fasync_deregister_returns_ref),
	KUNIT_CASE(rev_cdev_add_fault_injection_fasync),
	KUNIT_CASE(rev_register_on_revoked_domain),
	KUNIT_CASE(rev_misuse_returns_errno),
	KUNIT_CASE(rev_unbind_inside_access_kills_domain),
	KUNIT_CASE(rev_last_put_then_unbind_inside_access),
	{}
};

static struct kunit_suite safe_revocable_suite = {
	.name = "safe_revocable",
	.test_cases = safe_revocable_cases,
};
kunit_test_suite(safe_revocable_suite);

MODULE_DESCRIPTION("KUnit tests for safe revocable resources");
MODULE_LICENSE("GPL");
