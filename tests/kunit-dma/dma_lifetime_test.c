// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the lifetime rules of owned DMA buffers at the edges of
 * a device's life: when safe treats the device as leaving (unbind, a
 * failed probe, device_del()) and when it must not (a devres group
 * released while the device stays), which binding an operation on an
 * existing object uses, and what may be attached to which domain.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/debug_locks.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mmap_lock.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/safe/compat/hrtimer.h>
#include <linux/safe/dma.h>
#include <linux/safe/guard.h>
#include <linux/safe/revocable.h>
#include "dma_test.h"
/* safe_lib_init()/safe_lib_drain(): reachable only when both are built in. */
#include "../../lib/internal.h"

static int lt_init(struct kunit *test)
{
	struct dma_test_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	int ret;

	if (!ctx)
		return -ENOMEM;
	if (!IS_ENABLED(CONFIG_DMA_API_DEBUG)) {
		kunit_err(test, "needs CONFIG_DMA_API_DEBUG");
		return -EINVAL;
	}
	ret = dma_test_ctx_init(test, ctx, "safe-dma-lt");
	if (ret)
		return ret;
	test->priv = ctx;
	return 0;
}

static void lt_exit(struct kunit *test)
{
	dma_test_ctx_exit(test->priv);
}

static void lt_count(void *arg)
{
	(*(int *)arg)++;
}

/* -------------------------------------------------------------------- */
/* An existing pool's allocations use the pool's binding                 */
/* -------------------------------------------------------------------- */

/*
 * A pool allocation while device_del() releases the device's binding: a
 * domain's release callback holds the release up.  The pool belongs to
 * the binding being released; the allocation must not be counted on that
 * binding and published on another one (the release then waited forever
 * for the count to drop).
 */
struct pool_del {
	struct platform_device *pdev;
	struct completion in_release, go, done;
};

static void pool_del_release(void *arg)
{
	struct pool_del *p = arg;

	complete(&p->in_release);
	wait_for_completion(&p->go);
}

static int pool_del_fn(void *arg)
{
	struct pool_del *p = arg;

	platform_device_del(p->pdev);
	complete(&p->done);
	return 0;
}

static void pool_alloc_during_device_del(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct safe_revocable_domain *d;
	struct safe_dma_buf *buf, *b;
	struct safe_dma_pool *pool;
	struct dma_test_ctx other;
	struct task_struct *t;
	struct pool_del *p;

	/* Not freed if the device_del() hangs: its thread still uses it. */
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	init_completion(&p->in_release);
	init_completion(&p->go);
	init_completion(&p->done);
	KUNIT_ASSERT_EQ(test, dma_test_ctx_init(test, &other, "safe-dma-pooldel"), 0);
	p->pdev = other.pdev;
	buf = safe_dma_alloc(other.dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	pool = safe_dma_pool_create("safe-dma-pooldel", other.dev, 8, 4, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	d = safe_revocable_domain_create(other.dev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_ASSERT_FALSE(test, IS_ERR(safe_revocable_create(d, p, pool_del_release)));

	get_device(other.dev);
	t = kthread_run(pool_del_fn, p, "safe-dma-pooldel");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&p->in_release,
							    10 * HZ));
	/* The binding is being released: the pool takes nothing. */
	b = safe_dma_pool_alloc(pool, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(b), -ENODEV);
	complete(&p->go);
	if (!wait_for_completion_timeout(&p->done, 10 * HZ)) {
		KUNIT_FAIL(test, "device_del() hung in the binding's release");
		return;
	}
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);

	safe_dma_free(b);
	safe_dma_free(buf);
	safe_dma_pool_destroy(pool);
	safe_revocable_domain_put(d);
	platform_device_put(other.pdev);
	put_device(other.dev);
	kfree(p);
	dma_test_expect_clean(test, ctx);
}

/* -------------------------------------------------------------------- */
/* The device is leaving: unbind, failed probe, device_del()             */
/* -------------------------------------------------------------------- */

/*
 * A probe that allocates and then fails.  The devres action registered
 * before the allocation runs in the failed probe's devres release, after
 * the binding's release: the device's DMA state goes right after, so
 * nothing may be allocated for it there.
 */
struct late_fail {
	struct safe_dma_buf *early, *late;
	struct safe_revocable_domain *late_domain;
	int probe_calls;
};

static struct late_fail *late_fail_ctx;

static void late_fail_action(void *data)
{
	struct device *dev = data;

	late_fail_ctx->late = safe_dma_alloc(dev, 4, 64, GFP_KERNEL, 0);
	late_fail_ctx->late_domain = safe_revocable_domain_create(dev);
}

static int late_fail_probe(struct platform_device *pdev)
{
	struct late_fail *c = late_fail_ctx;
	int ret;

	c->probe_calls++;
	ret = devm_add_action_or_reset(&pdev->dev, late_fail_action, &pdev->dev);
	if (ret)
		return ret;
	c->early = safe_dma_alloc(&pdev->dev, 4, 64, GFP_KERNEL, 0);
	if (IS_ERR(c->early))
		return PTR_ERR(c->early);
	return -ENXIO;
}

static struct platform_driver late_fail_driver = {
	.probe = late_fail_probe,
	.driver = { .name = "safe-dma-latefail" },
};

static void no_alloc_during_failed_probe(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct late_fail *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct dma_test_ctx dev;
	struct safe_dma_buf *again;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, c);
	late_fail_ctx = c;
	KUNIT_ASSERT_EQ(test, platform_driver_register(&late_fail_driver), 0);
	ret = dma_test_ctx_init(test, &dev, "safe-dma-latefail");
	if (ret) {
		platform_driver_unregister(&late_fail_driver);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}
	KUNIT_EXPECT_EQ(test, c->probe_calls, 1);
	KUNIT_EXPECT_NULL(test, dev.dev->driver);
	KUNIT_EXPECT_FALSE(test, IS_ERR(c->early));
	/* In the failed probe's cleanup: refused, nothing left allocated. */
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(c->late), -ENODEV);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(c->late_domain), -ENODEV);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);

	/* Once the probe is over the device is usable without a driver. */
	again = safe_dma_alloc(dev.dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_EXPECT_FALSE(test, IS_ERR(again));
	safe_dma_free(again);

	safe_dma_free(c->early);
	if (!IS_ERR(c->late))
		safe_dma_free(c->late);
	if (!IS_ERR(c->late_domain))
		safe_revocable_domain_put(c->late_domain);
	dma_test_ctx_exit(&dev);
	platform_driver_unregister(&late_fail_driver);
	late_fail_ctx = NULL;
	dma_test_expect_clean(test, ctx);
}

/*
 * After device_del() the device's DMA state is gone for good: buffers,
 * pools and domains for it are refused, not created on a binding that
 * nothing releases before the device is freed.
 */
static void no_alloc_after_device_del(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct safe_revocable_domain *d;
	struct safe_dma_pool *pool;
	struct safe_dma_buf *buf;
	struct dma_test_ctx other;

	KUNIT_ASSERT_EQ(test, dma_test_ctx_init(test, &other, "safe-dma-del2"), 0);
	get_device(other.dev);
	platform_device_del(other.pdev);

	buf = safe_dma_alloc(other.dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(buf), -ENODEV);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);
	pool = safe_dma_pool_create("safe-dma-del2", other.dev, 8, 4, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(pool), -ENODEV);
	d = safe_revocable_domain_create(other.dev);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(d), -ENODEV);

	safe_dma_free(buf);
	safe_dma_pool_destroy(pool);
	if (!IS_ERR(d))
		safe_revocable_domain_put(d);
	safe_revocable_flush();
	/* The last put releases what a binding made anyway would hold. */
	platform_device_put(other.pdev);
	put_device(other.dev);
	dma_test_expect_clean(test, ctx);
}

/* The bus address of memory freed at unbind is not handed out again. */
static void swept_buffer_has_no_handle(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct dma_test_ctx other;
	struct safe_dma_buf *buf;
	SAFE_DMA(u32) h;
	dma_addr_t addr;
	u32 v = 1;
	int ret;

	KUNIT_ASSERT_EQ(test, dma_test_ctx_init(test, &other, "safe-dma-swept"), 0);
	buf = safe_dma_alloc(other.dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	KUNIT_EXPECT_EQ(test, safe_dma_init(h, buf), 0);
	KUNIT_EXPECT_NE(test, safe_dma_handle(buf), (dma_addr_t)0);
	dma_test_ctx_exit(&other);
	KUNIT_EXPECT_EQ(test, safe_dma_handle(buf), (dma_addr_t)0);
	/* Nor an element's: not an offset from 0 that a device could use. */
	addr = 1;
	KUNIT_EXPECT_EQ(test, safe_dma_addr_of(h, 1, &addr), -ENODEV);
	KUNIT_EXPECT_EQ(test, addr, (dma_addr_t)0);
	/* The handle's CPU address is stale: refused (CONFIG_SAFE_DEBUG). */
	if (IS_ENABLED(CONFIG_SAFE_DEBUG)) {
		dma_test_expect_report_begin();
		ret = safe_dma_get(h, 0, &v);
		dma_test_expect_report_end();
		KUNIT_EXPECT_EQ(test, ret, -ENODEV);
		KUNIT_EXPECT_EQ(test, v, 0U);
		KUNIT_EXPECT_EQ(test, atomic_read(&buf->stale_errors), 1);
		/* Unless refused, it would write pages now someone else's. */
		if (ret == -ENODEV)
			KUNIT_EXPECT_EQ(test, safe_dma_set(h, 0, 5), -ENODEV);
	}
	safe_dma_free(buf);
	dma_test_expect_clean(test, ctx);
}

/* -------------------------------------------------------------------- */
/* ... and when it is not: a devres group released, a devm failure       */
/* -------------------------------------------------------------------- */

/*
 * The binding's devres entry is added at the first allocation, here
 * inside a devres group.  Releasing the group while the device stays is
 * not an unbind: the device's buffers (one allocated after the group) and
 * its later allocations must stay.
 */
static void group_release_keeps_binding(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct safe_dma_buf *a, *b, *c;
	int quiesced = 0;
	void *grp;

	grp = devres_open_group(ctx->dev, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, grp);
	a = safe_dma_alloc(ctx->dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	devres_close_group(ctx->dev, grp);
	b = safe_dma_alloc(ctx->dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	safe_dma_set_quiesce(a, lt_count, &quiesced);
	safe_dma_set_quiesce(b, lt_count, &quiesced);

	devres_release_group(ctx->dev, grp);
	KUNIT_EXPECT_EQ(test, quiesced, 0);
	KUNIT_EXPECT_NOT_NULL(test, safe_dma_cpu_ptr(a));
	KUNIT_EXPECT_NOT_NULL(test, safe_dma_cpu_ptr(b));
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 2L);
	c = safe_dma_alloc(ctx->dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_EXPECT_FALSE(test, IS_ERR(c));

	safe_dma_free(c);
	safe_dma_free(b);
	safe_dma_free(a);
	KUNIT_EXPECT_EQ(test, quiesced, 2);
	dma_test_expect_clean(test, ctx);
}

/*
 * A devm domain whose devres action runs while the device stays (its
 * group released; the same holds for devm_add_action_or_reset() failing
 * and running it at once): the domain is revoked, but the device's other
 * buffers are not swept and the device is not marked as unbinding.
 */
static void devm_domain_group_release_no_sweep(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct safe_revocable_domain *d, *d2;
	struct safe_dma_buf *buf, *c;
	int quiesced = 0;
	void *grp;

	buf = safe_dma_alloc(ctx->dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	safe_dma_set_quiesce(buf, lt_count, &quiesced);
	grp = devres_open_group(ctx->dev, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, grp);
	d = devm_safe_revocable_domain_create(ctx->dev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	devres_close_group(ctx->dev, grp);

	devres_release_group(ctx->dev, grp);
	KUNIT_EXPECT_EQ(test, quiesced, 0);
	KUNIT_EXPECT_NOT_NULL(test, safe_dma_cpu_ptr(buf));
	c = safe_dma_alloc(ctx->dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_EXPECT_FALSE(test, IS_ERR(c));
	d2 = safe_revocable_domain_create(ctx->dev);
	KUNIT_EXPECT_FALSE(test, IS_ERR(d2));

	if (!IS_ERR(d2))
		safe_revocable_domain_put(d2);
	safe_dma_free(c);
	safe_dma_free(buf);
	KUNIT_EXPECT_EQ(test, quiesced, 1);
	dma_test_expect_clean(test, ctx);
}

/*
 * The devm domain revoked by hand before the device goes: its registers
 * are released, and the caller-owned buffer's quiesce callback runs in the
 * binding's sweep.  safe_revocable_teardown() answers NULL there, as the
 * resource is released, without calling the callback a misuse.
 */
struct lt_td {
	struct safe_revocable *regs;
	void *got;
	int ran;
};

static void lt_teardown_regs(void *arg)
{
	struct lt_td *t = arg;

	t->got = safe_revocable_teardown(t->regs);
	t->ran++;
}

static void teardown_after_manual_revoke(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct lt_td t = { .got = ERR_PTR(-EINVAL) };
	struct safe_revocable_domain *d;
	struct dma_test_ctx dev2;
	struct safe_dma_buf *buf;
	static int regs;

	KUNIT_ASSERT_EQ(test, dma_test_ctx_init(test, &dev2, "safe-dma-td"), 0);
	d = devm_safe_revocable_domain_create(dev2.dev);
	KUNIT_EXPECT_FALSE(test, IS_ERR(d));
	if (!IS_ERR(d))
		t.regs = safe_revocable_create(d, &regs, NULL);
	KUNIT_EXPECT_FALSE(test, IS_ERR_OR_NULL(t.regs));
	buf = safe_dma_alloc(dev2.dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_EXPECT_FALSE(test, IS_ERR(buf));
	if (IS_ERR(d) || IS_ERR_OR_NULL(t.regs) || IS_ERR(buf)) {
		dma_test_ctx_exit(&dev2);
		return;
	}
	safe_dma_set_quiesce(buf, lt_teardown_regs, &t);
	/* The callback uses a handle past the devm action's put: hold it. */
	safe_revocable_domain_get(d);

	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	KUNIT_EXPECT_EQ(test, t.ran, 0);
	dma_test_ctx_exit(&dev2);
	KUNIT_EXPECT_EQ(test, t.ran, 1);
	KUNIT_EXPECT_NULL(test, t.got);
	safe_revocable_domain_put(d);
	safe_dma_free(buf);
	dma_test_expect_clean(test, ctx);
}

/*
 * An owner frees its buffer while the device's devm domain is being torn
 * down at device_del() (here held in another resource's quiesce
 * callback), before the sweep reaches the buffer.  The buffer's quiesce
 * callback runs in the owner's task, and must still reach the domain's
 * registers through safe_revocable_teardown() to stop the engine before
 * the memory goes: the teardown releases nothing before it ends.
 */
struct lt_race {
	struct dma_test_ctx dev;
	struct completion in_quiesce, go, done;
};

static void lt_race_hold(void *arg)
{
	struct lt_race *r = arg;

	complete(&r->in_quiesce);
	wait_for_completion(&r->go);
}

static int lt_race_del(void *arg)
{
	struct lt_race *r = arg;

	dma_test_ctx_exit(&r->dev);
	complete(&r->done);
	return 0;
}

static void owner_free_during_teardown_reaches_regs(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct lt_td t = { .got = ERR_PTR(-EINVAL) };
	struct safe_revocable_domain *d;
	struct safe_revocable *hold;
	struct safe_dma_buf *buf;
	struct task_struct *task;
	struct lt_race *r;
	static int regs;

	/* Not freed if the device_del() hangs: its thread still uses it. */
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	init_completion(&r->in_quiesce);
	init_completion(&r->go);
	init_completion(&r->done);
	KUNIT_ASSERT_EQ(test, dma_test_ctx_init(test, &r->dev, "safe-dma-race"), 0);
	d = devm_safe_revocable_domain_create(r->dev.dev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	t.regs = safe_revocable_create(d, &regs, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t.regs));
	hold = safe_revocable_create_quiesced(d, r, lt_race_hold, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(hold));
	buf = safe_dma_alloc(r->dev.dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	safe_dma_set_quiesce(buf, lt_teardown_regs, &t);
	/* The callback uses a handle past the devm action's put: hold it. */
	safe_revocable_domain_get(d);

	task = kthread_run(lt_race_del, r, "safe-dma-race");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&r->in_quiesce,
							    10 * HZ));
	safe_dma_free(buf);
	KUNIT_EXPECT_EQ(test, t.ran, 1);
	KUNIT_EXPECT_PTR_EQ(test, t.got, (void *)&regs);
	complete(&r->go);
	if (!wait_for_completion_timeout(&r->done, 10 * HZ)) {
		KUNIT_FAIL(test, "device_del() hung");
		return;
	}
	KUNIT_EXPECT_EQ(test, t.ran, 1);
	safe_revocable_domain_put(d);
	kfree(r);
	dma_test_expect_clean(test, ctx);
}

/*
 * The same while the domain is revoked by hand, with the device staying:
 * no sweep waits for the owner's free, so the teardown itself must not
 * release the registers while the owner's quiesce callback, which
 * borrowed them, still runs.
 */
struct lt_borrow {
	struct lt_race race;
	struct safe_revocable_domain *d;
	struct safe_revocable *regs;
	struct safe_dma_buf *buf;
	struct completion borrowed, go_on, freed, revoked;
	struct mutex lock;	/* the driver's register lock */
	void *got, *got_again;
	int regs_released;
};

/*
 * Registers under a driver mutex, borrowed inside it and used again later
 * under it: the loan is no lock the callback waits for, so lockdep must
 * see no cycle between the mutex and the domain.
 */
static void lt_borrow_quiesce(void *arg)
{
	struct lt_borrow *b = arg;

	scoped_guard(mutex, &b->lock)
		b->got = safe_revocable_teardown(b->regs);
	complete(&b->borrowed);
	wait_for_completion(&b->go_on);
	/* Asked again while the teardown waits for this very loan. */
	scoped_guard(mutex, &b->lock)
		b->got_again = safe_revocable_teardown(b->regs);
}

static void lt_borrow_regs_release(void *arg)
{
	struct lt_borrow *b = container_of(arg, struct lt_borrow, race);

	b->regs_released++;
}

static int lt_borrow_free(void *arg)
{
	struct lt_borrow *b = arg;

	safe_dma_free(b->buf);
	complete(&b->freed);
	return 0;
}

static int lt_borrow_revoke(void *arg)
{
	struct lt_borrow *b = arg;

	safe_revocable_domain_revoke(b->d);
	complete(&b->revoked);
	return 0;
}

static void owner_quiesce_borrows_during_manual_revoke(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct safe_revocable *hold;
	struct task_struct *task;
	struct lt_borrow *b;
	bool released_early;

	/* Not freed if something hangs: its threads still use it. */
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	init_completion(&b->race.in_quiesce);
	init_completion(&b->race.go);
	init_completion(&b->borrowed);
	init_completion(&b->go_on);
	init_completion(&b->freed);
	init_completion(&b->revoked);
	mutex_init(&b->lock);
	KUNIT_ASSERT_EQ(test, dma_test_ctx_init(test, &b->race.dev,
						"safe-dma-borrow"), 0);
	b->d = safe_revocable_domain_create(b->race.dev.dev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b->d));
	b->regs = safe_revocable_create(b->d, &b->race, lt_borrow_regs_release);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b->regs));
	hold = safe_revocable_create_quiesced(b->d, &b->race, lt_race_hold,
					      NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(hold));
	b->buf = safe_dma_alloc(b->race.dev.dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b->buf));
	safe_dma_set_quiesce(b->buf, lt_borrow_quiesce, b);

	/* The revocation stops in a quiesce callback, its registers revoked. */
	task = kthread_run(lt_borrow_revoke, b, "safe-dma-revoke");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&b->race.in_quiesce,
							    10 * HZ));
	/* The owner's free borrows them, and holds on. */
	task = kthread_run(lt_borrow_free, b, "safe-dma-borrow");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&b->borrowed,
							    10 * HZ));
	KUNIT_EXPECT_PTR_EQ(test, b->got, (void *)&b->race);
	/* The revocation goes on, and must not release them meanwhile. */
	complete(&b->race.go);
	released_early = wait_for_completion_timeout(&b->revoked, HZ / 2);
	KUNIT_EXPECT_FALSE(test, released_early);
	KUNIT_EXPECT_EQ(test, b->regs_released, 0);
	complete(&b->go_on);
	if (!wait_for_completion_timeout(&b->freed, 10 * HZ) ||
	    (!released_early &&
	     !wait_for_completion_timeout(&b->revoked, 10 * HZ))) {
		KUNIT_FAIL(test, "the free or the revocation hung");
		return;
	}
	KUNIT_EXPECT_EQ(test, b->regs_released, 1);
	KUNIT_EXPECT_PTR_EQ(test, b->got_again, (void *)&b->race);
	safe_revocable_domain_put(b->d);
	dma_test_ctx_exit(&b->race.dev);
	kfree(b);
	dma_test_expect_clean(test, ctx);
}

#ifdef CONFIG_FAULT_INJECTION
static void lt_fail_nth(unsigned int n)
{
	WRITE_ONCE(current->fail_nth, n);
}

static unsigned int lt_fail_nth_left(void)
{
	return READ_ONCE(current->fail_nth);
}
#else
static void lt_fail_nth(unsigned int n) { }
static unsigned int lt_fail_nth_left(void) { return 1; }
#endif

/*
 * The same with devm_add_action_or_reset() failing inside
 * devm_safe_revocable_domain_create(), which then runs the action at
 * once: every allocation of the create fails in turn (fault injection),
 * and after each the device's buffer is intact and the device usable.
 * A successful create is undone with its devres group.
 */
static void devm_domain_create_faults_keep_device(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct safe_revocable_domain *d = NULL;
	struct safe_dma_buf *buf, *c;
	int n, quiesced = 0;
	unsigned int left;
	void *grp;

	if (!IS_ENABLED(CONFIG_FAULT_INJECTION))
		kunit_skip(test, "kernel built without fault injection");
	/* GFP_KERNEL slab allocations are fault points, quietly. */
	KUNIT_ASSERT_EQ(test, safe_test_debugfs_write("failslab/ignore-gfp-wait", "N"), 0);
	KUNIT_ASSERT_EQ(test, safe_test_debugfs_write("failslab/verbose", "0"), 0);
	buf = safe_dma_alloc(ctx->dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	safe_dma_set_quiesce(buf, lt_count, &quiesced);

	for (n = 1; n <= 200; n++) {
		grp = devres_open_group(ctx->dev, NULL, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, grp);
		lt_fail_nth(n);
		d = devm_safe_revocable_domain_create(ctx->dev);
		left = lt_fail_nth_left();
		lt_fail_nth(0);
		devres_close_group(ctx->dev, grp);
		devres_release_group(ctx->dev, grp);
		KUNIT_EXPECT_EQ_MSG(test, quiesced, 0, "fault point %d", n);
		KUNIT_EXPECT_NOT_NULL_MSG(test, safe_dma_cpu_ptr(buf),
					  "fault point %d", n);
		c = safe_dma_alloc(ctx->dev, 4, 64, GFP_KERNEL, 0);
		KUNIT_EXPECT_FALSE_MSG(test, IS_ERR(c), "fault point %d", n);
		safe_dma_free(c);
		if (left || quiesced)	/* past the last fault point, or broken */
			break;
	}
	KUNIT_EXPECT_FALSE(test, IS_ERR(d));
	safe_dma_free(buf);
	dma_test_expect_clean(test, ctx);
}

/* -------------------------------------------------------------------- */
/* What a domain may own                                                 */
/* -------------------------------------------------------------------- */

typedef SAFE_DMA(u32) lt_u32_h;
typedef SAFE_DMA_REVOCABLE(SAFE_DMA(u32)) lt_u32_rev_t;

/*
 * A buffer is freed when its device leaves, whoever owns it: a domain of
 * another device, or of none, would still hand it to accesses after
 * that.  Such attaches are refused, and so are buffers whose memory is
 * gone already (typed handles too).
 */
static void attach_foreign_or_dead_refused(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct safe_revocable_domain *d_none, *d_other;
	struct safe_dma_buf *buf, *buf2, *gone;
	struct safe_revocable *r, *r2, *r3;
	struct dma_test_ctx x;
	lt_u32_rev_t h;
	lt_u32_h v = {};
	int ran = 0;

	KUNIT_ASSERT_EQ(test, dma_test_ctx_init(test, &x, "safe-dma-xdom"), 0);
	d_none = safe_revocable_domain_create(NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d_none));
	d_other = safe_revocable_domain_create(ctx->dev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d_other));
	buf = safe_dma_alloc_array(x.dev, u32, 64, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	buf2 = safe_dma_alloc_array(x.dev, u32, 64, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf2));
	gone = safe_dma_alloc_array(x.dev, u32, 64, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(gone));

	r = safe_dma_attach(buf, d_other);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(r), -EINVAL);
	r2 = safe_dma_attach(buf2, d_none);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(r2), -EINVAL);
	h.rev = r2;

	/* x goes: its memory is freed, whoever owns the descriptors. */
	get_device(x.dev);
	platform_device_del(x.pdev);
	if (!IS_ERR(r2)) {
		safe_dma_scope(w, h)
			ran++;
		/* Had it run, its handle pointed at no memory at all. */
		KUNIT_EXPECT_EQ(test, ran, 0);
	}
	KUNIT_EXPECT_EQ(test, safe_dma_init(v, gone), -ENODEV);
	r3 = safe_dma_attach(gone, d_none);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(r3), -ENODEV);

	/* What a domain took, its last put frees; the rest is ours. */
	if (IS_ERR(r))
		safe_dma_free(buf);
	if (IS_ERR(r2))
		safe_dma_free(buf2);
	if (IS_ERR(r3))
		safe_dma_free(gone);
	safe_revocable_domain_put(d_other);
	safe_revocable_domain_put(d_none);
	platform_device_put(x.pdev);
	put_device(x.dev);
	dma_test_expect_clean(test, ctx);
}

/* -------------------------------------------------------------------- */
/* The library's exit waits for deferred frees                           */
/* -------------------------------------------------------------------- */

#if IS_BUILTIN(CONFIG_SAFE) && IS_BUILTIN(CONFIG_SAFE_DMA_KUNIT_TEST)
struct slow_quiesce {
	int done;
};

static void slow_quiesce_fn(void *arg)
{
	struct slow_quiesce *q = arg;

	msleep(200);
	WRITE_ONCE(q->done, 1);
}

/*
 * A module that embeds the library and only ever allocates with
 * GFP_ATOMIC never creates the library's workqueue: its frees from atomic
 * context run on system_unbound_wq.  safe_embed_exit() (safe_lib_drain())
 * must still wait for them, or the module's code runs after its exit.
 * Reproduced on the built-in library: its workqueue destroyed, one
 * atomic allocation and deferred free, then the exit.
 */
static void lib_exit_waits_for_deferred_frees(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct slow_quiesce q = {};
	struct safe_dma_buf *buf;
	static DEFINE_SPINLOCK(lock);
	int done;

	safe_revocable_flush();
	safe_dma_flush_deferred();
	safe_lib_drain();
	buf = safe_dma_alloc(ctx->dev, 4, 64, GFP_ATOMIC, 0);
	if (IS_ERR(buf)) {
		KUNIT_EXPECT_EQ(test, safe_lib_init(), 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	}
	safe_dma_set_quiesce(buf, slow_quiesce_fn, &q);
	scoped_guard(spinlock, &lock)
		safe_dma_free(buf);	/* deferred, to system_unbound_wq */
	/*
	 * The exit's drain only: its release of the bindings left would run
	 * the quiesce callback in this task, whatever the drain does.
	 */
	safe_lib_drain();
	done = READ_ONCE(q.done);
	/* Put the library back before anything can fail. */
	KUNIT_ASSERT_EQ(test, safe_lib_init(), 0);
	safe_dma_flush_deferred();
	KUNIT_EXPECT_EQ(test, done, 1);
	dma_test_expect_clean(test, ctx);
}
#else
static void lib_exit_waits_for_deferred_frees(struct kunit *test)
{
	kunit_skip(test, "needs the library and the test built in");
}
#endif

/* -------------------------------------------------------------------- */
/* Deferred frees at unbind                                              */
/* -------------------------------------------------------------------- */

/*
 * Frees deferred to process context (from atomic context, or the zap and
 * free of memory claimed under a mmap lock) are run by one work item for
 * every device.  A device's unbind must finish its own: one left behind
 * drops the descriptor's device reference after the unbind, from safe's
 * work, when the module whose code releases the device may be gone.  And
 * it must not wait for other devices' deferred frees: a quiesce callback
 * polling slow hardware, a zap waiting up to 10 s for a stalled mmap
 * lock.  Here another device's quiesce callback holds the work up.
 */
/*
 * DEFER_ATOMIC_MM_BUSY: as DEFER_ATOMIC, with the unbinding task's mmap
 * lock held by another thread of its process (a page fault, a reader of
 * /proc/PID/maps), which from inside the unbind looks like its own.
 */
enum { DEFER_ATOMIC, DEFER_MMAP_LOCKED, DEFER_ATOMIC_MM_BUSY, DEFER_MODES };

struct defer_block {
	struct completion started, go;
};

static void defer_block_quiesce(void *arg)
{
	struct defer_block *db = arg;

	complete(&db->started);
	wait_for_completion_timeout(&db->go, 30 * HZ);
}

struct defer_del {
	struct platform_device *pdev;
	bool mm_busy;
	struct completion done;
};

static int defer_del_fn(void *arg)
{
	struct defer_del *dd = arg;
	struct mm_holder h;
	struct user_page u;
	bool mm = false, held = false;

	if (dd->mm_busy && !safe_test_user_page_get(&u)) {
		mm = true;
		held = !mm_holder_start(&h, u.mm);
	}
	platform_device_del(dd->pdev);
	if (held)
		mm_holder_stop(&h);
	if (mm)
		safe_test_user_page_put(&u);
	complete(&dd->done);
	return 0;
}

/* Free @buf where its free is deferred, as @mode says. */
static void defer_free(struct kunit *test, struct safe_dma_buf *buf, int mode)
{
	static DEFINE_SPINLOCK(lock);
	struct user_page u;

	if (mode != DEFER_MMAP_LOCKED) {
		scoped_guard(spinlock, &lock)
			safe_dma_free(buf);
		return;
	}
	/* Under our own mmap lock, as from a mapping's ->close. */
	if (safe_test_user_page_get(&u)) {
		KUNIT_FAIL(test, "no user page");
		safe_dma_free(buf);
		return;
	}
	mmap_read_lock(u.mm);
	safe_dma_free(buf);
	mmap_read_unlock(u.mm);
	safe_test_user_page_put(&u);
}

/* What device_del() itself drops of a device's references (its bus's). */
static int device_del_drops(struct kunit *test)
{
	struct dma_test_ctx c;
	unsigned int refs;

	if (dma_test_ctx_init(test, &c, "safe-dma-defer-ctl"))
		return -1;
	refs = dma_test_refs(c.dev);
	platform_device_del(c.pdev);
	refs -= dma_test_refs(c.dev);
	platform_device_put(c.pdev);
	return refs;
}

/*
 * One mode: another device's quiesce callback holds the work up while
 * @other's buffer is freed where its free is deferred, then @other is
 * deleted.  False if a thread is left using @dd (the test stops).
 */
static bool defer_one(struct kunit *test, struct dma_test_ctx *ctx,
		      struct defer_block *db, struct defer_del *dd, int mode,
		      int drops)
{
	struct safe_dma_buf *blocker, *buf;
	static DEFINE_SPINLOCK(lock);
	struct dma_test_ctx other;
	struct task_struct *t;
	unsigned int refs;

	blocker = safe_dma_alloc(ctx->dev, 4, 16, GFP_KERNEL, 0);
	if (IS_ERR(blocker)) {
		KUNIT_FAIL(test, "safe_dma_alloc: %ld", PTR_ERR(blocker));
		return true;
	}
	safe_dma_set_quiesce(blocker, defer_block_quiesce, db);
	scoped_guard(spinlock, &lock)
		safe_dma_free(blocker);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&db->started,
							    10 * HZ));
	if (dma_test_ctx_init(test, &other, "safe-dma-defer")) {
		KUNIT_FAIL(test, "no second device");
		goto out;
	}
	refs = dma_test_refs(other.dev);
	buf = safe_dma_alloc(other.dev, 4, 16, GFP_KERNEL, 0);
	KUNIT_EXPECT_FALSE(test, IS_ERR(buf));
	if (!IS_ERR(buf))
		defer_free(test, buf, mode);

	dd->pdev = other.pdev;
	dd->mm_busy = mode == DEFER_ATOMIC_MM_BUSY;
	t = kthread_run(defer_del_fn, dd, "safe-dma-defer-del");
	if (IS_ERR(t)) {
		KUNIT_FAIL(test, "no thread");
		dma_test_ctx_exit(&other);
		goto out;
	}
	if (!wait_for_completion_timeout(&dd->done, 5 * HZ)) {
		KUNIT_FAIL(test, "mode %d: the unbind waited for another device's deferred free",
			   mode);
		complete(&db->go);
		if (!wait_for_completion_timeout(&dd->done, 30 * HZ)) {
			KUNIT_FAIL(test, "mode %d: the unbind hangs", mode);
			return false;
		}
	}
	KUNIT_EXPECT_EQ_MSG(test, dma_test_refs(other.dev), refs - drops,
			    "mode %d: a deferred free holds the device after its unbind",
			    mode);
	platform_device_put(other.pdev);
out:
	complete(&db->go);
	safe_dma_flush_deferred();
	return true;
}

static void unbind_finishes_own_deferred_frees(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	int mode, drops = device_del_drops(test);

	KUNIT_ASSERT_GE(test, drops, 0);
	for (mode = 0; mode < DEFER_MODES; mode++) {
		/* Freed only if no thread is left using them. */
		struct defer_block *db = kzalloc(sizeof(*db), GFP_KERNEL);
		struct defer_del *dd = kzalloc(sizeof(*dd), GFP_KERNEL);

		if (!db || !dd) {
			kfree(db);
			kfree(dd);
			KUNIT_FAIL(test, "-ENOMEM");
			return;
		}
		init_completion(&db->started);
		init_completion(&db->go);
		init_completion(&dd->done);
		if (!defer_one(test, ctx, db, dd, mode, drops))
			return;
		kfree(db);
		kfree(dd);
		dma_test_expect_clean(test, ctx);
	}
}

/* -------------------------------------------------------------------- */
/* Allocations from interrupt context                                    */
/* -------------------------------------------------------------------- */

/*
 * GFP_ATOMIC allocations are documented for "the context @gfp allows",
 * which includes timers and interrupt handlers (a NAPI poll refilling a
 * ring from a pool).  The binding's lock is taken there as well as in
 * process context with interrupts on: lockdep must see nothing, and a CPU
 * must not deadlock on it.  The owner of a devm buffer frees it there
 * too: the free must not touch devres (a spinlock_t) in a hard interrupt,
 * which 7.3's lockdep (PROVE_RAW_LOCK_NESTING) reports.
 */
struct irq_alloc {
	struct hrtimer timer;
	struct completion done;
	struct device *dev;
	struct safe_dma_pool *pool;
	struct safe_dma_buf *devm_buf;	/* freed by its owner in the timer */
	int err, pool_err;
	bool in_irq;
};

static enum hrtimer_restart irq_alloc_timer(struct hrtimer *t)
{
	struct irq_alloc *ia = container_of(t, struct irq_alloc, timer);
	struct safe_dma_buf *buf, *pbuf;

	ia->in_irq = in_interrupt();
	buf = safe_dma_alloc(ia->dev, 8, 1, GFP_ATOMIC, 0);
	ia->err = PTR_ERR_OR_ZERO(buf);
	pbuf = safe_dma_pool_alloc(ia->pool, GFP_ATOMIC);
	ia->pool_err = PTR_ERR_OR_ZERO(pbuf);
	safe_dma_free(buf);	/* deferred */
	safe_dma_free(pbuf);
	/* Deferred too, devres and all: its lock is a spinlock_t. */
	safe_dma_free(ia->devm_buf);
	complete(&ia->done);
	return HRTIMER_NORESTART;
}

static void alloc_from_irq_lockdep_clean(struct kunit *test)
{
	static const enum hrtimer_mode modes[] = {
		HRTIMER_MODE_REL_SOFT, HRTIMER_MODE_REL_HARD,
	};
	struct dma_test_ctx *ctx = test->priv;
	struct safe_dma_buf *first;
	int i, expect;

	/* The binding exists, taken in process context with IRQs on. */
	first = safe_dma_alloc(ctx->dev, 8, 1, GFP_KERNEL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(first));
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		struct irq_alloc ia = { .dev = ctx->dev };

		ia.pool = safe_dma_pool_create("safe-dma-irq", ctx->dev, 8, 4, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(ia.pool));
		ia.devm_buf = devm_safe_dma_alloc(ctx->dev, 8, 1, GFP_KERNEL, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(ia.devm_buf));
		init_completion(&ia.done);
		hrtimer_setup(&ia.timer, irq_alloc_timer, CLOCK_MONOTONIC,
			      modes[i]);
		hrtimer_start(&ia.timer, ms_to_ktime(1), modes[i]);
		wait_for_completion(&ia.done);
		hrtimer_cancel(&ia.timer);
		safe_dma_flush_deferred();
		safe_dma_pool_destroy(ia.pool);
		KUNIT_EXPECT_TRUE_MSG(test, ia.in_irq, "mode %d", i);
		/*
		 * Soft interrupts may allocate; hard ones are refused: devres
		 * and the DMA API take spinlock_t, which lockdep's wait-context
		 * check rejects there ("Invalid wait context" on 7.3).
		 */
		expect = modes[i] == HRTIMER_MODE_REL_HARD ? -EINVAL : 0;
		KUNIT_EXPECT_EQ_MSG(test, ia.err, expect, "mode %d", i);
		KUNIT_EXPECT_EQ_MSG(test, ia.pool_err, expect, "mode %d", i);
		/* Lockdep turns itself off at its first report. */
		if (IS_ENABLED(CONFIG_LOCKDEP))
			KUNIT_EXPECT_TRUE_MSG(test, debug_locks, "mode %d", i);
	}
	safe_dma_free(first);
	dma_test_expect_clean(test, ctx);
}

/* -------------------------------------------------------------------- */
/* Frees from inside quiesce callbacks                                   */
/* -------------------------------------------------------------------- */

/*
 * A quiesce callback that stops the engine and drops its other buffers
 * ("free the data rings"), and one that frees its own buffer, run by the
 * sweep at unbind (the binding's, or the devm domain's teardown).  The
 * sweep has claimed all of them: a free that waited for the sweep would
 * wait for itself.
 */
struct qfree {
	struct safe_dma_buf *a, *b, *c;
	struct device *dev;
	struct completion done;
	bool with_domain;
	bool devm_b;		/* b from devm_safe_dma_alloc() */
	bool b_by_work;		/* a's callback has work free b, waits 3 s */
	struct work_struct work;
	struct completion work_done;
	bool work_in_time;
	bool b_owner_gone;	/* the work freed b and went on to free b's argument */
	bool b_quiesced_late;	/* b's callback ran after that */
	int quiesced_a, quiesced_c;
	int probe_err;
};

static struct qfree *qfree_ctx;

static void qfree_work(struct work_struct *work)
{
	struct qfree *q = container_of(work, struct qfree, work);

	safe_dma_free(q->b);
	/* As a ->release would kfree() what b's callback is given. */
	WRITE_ONCE(q->b_owner_gone, true);
	complete(&q->work_done);
}

static void qfree_b_quiesce(void *arg)
{
	struct qfree *q = arg;

	if (READ_ONCE(q->b_owner_gone))
		q->b_quiesced_late = true;
}

static void qfree_other(void *arg)
{
	struct qfree *q = arg;

	q->quiesced_a++;
	if (!q->b_by_work) {
		safe_dma_free(q->b);
		return;
	}
	/* "Stop the refill work", which frees what it owns on its way out. */
	queue_work(system_unbound_wq, &q->work);
	q->work_in_time = wait_for_completion_timeout(&q->work_done, 3 * HZ);
}

static void qfree_self(void *arg)
{
	struct qfree *q = arg;

	q->quiesced_c++;
	safe_dma_free(q->c);
}

static int qfree_probe(struct platform_device *pdev)
{
	struct qfree *q = qfree_ctx;
	struct device *dev = &pdev->dev;
	int ret = 0;

	/*
	 * The sweep quiesces the newest first: freed from a's callback by
	 * work, b is older, so that its own callback is still to come.
	 */
	if (q->b_by_work)
		q->b = safe_dma_alloc(dev, 4, 64, GFP_KERNEL, 0);
	q->a = safe_dma_alloc(dev, 4, 64, GFP_KERNEL, 0);
	if (!q->b_by_work)
		q->b = q->devm_b ? devm_safe_dma_alloc(dev, 4, 64, GFP_KERNEL, 0) :
				   safe_dma_alloc(dev, 4, 64, GFP_KERNEL, 0);
	q->c = safe_dma_alloc(dev, 4, 64, GFP_KERNEL, 0);
	if (IS_ERR(q->a) || IS_ERR(q->b) || IS_ERR(q->c))
		ret = -ENOMEM;
	if (!ret && q->with_domain)
		ret = PTR_ERR_OR_ZERO(devm_safe_revocable_domain_create(dev));
	if (!ret) {
		safe_dma_set_quiesce(q->a, qfree_other, q);
		safe_dma_set_quiesce(q->b, qfree_b_quiesce, q);
		safe_dma_set_quiesce(q->c, qfree_self, q);
	}
	q->probe_err = ret;
	return ret;
}

static struct platform_driver qfree_driver = {
	.probe = qfree_probe,
	.driver = { .name = "safe-dma-qfree" },
};

static int qfree_unbind(void *arg)
{
	struct qfree *q = arg;

	device_release_driver(q->dev);
	complete(&q->done);
	return 0;
}

/*
 * Modes: with a devm domain (whose teardown sweeps), b from devres (whose
 * action runs after the domain's and, without a domain, before the
 * binding's sweep), and b freed by work that a's callback waits for (the
 * sweep has claimed b: a free that waited for it would never return).
 */
static const struct {
	bool with_domain, devm_b, b_by_work;
} qfree_modes[] = {
	{ false, false, false }, { true, false, false },
	{ false, true, false }, { true, true, false },
	{ false, false, true }, { true, false, true },
};

static void quiesce_frees_buffers_at_unbind(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	int mode;

	KUNIT_ASSERT_EQ(test, platform_driver_register(&qfree_driver), 0);
	for (mode = 0; mode < ARRAY_SIZE(qfree_modes); mode++) {
		/* Not freed if the unbind hangs: its thread still uses it. */
		struct qfree *q = kzalloc(sizeof(*q), GFP_KERNEL);
		struct dma_test_ctx bound;
		struct task_struct *t;

		KUNIT_ASSERT_NOT_NULL(test, q);
		q->with_domain = qfree_modes[mode].with_domain;
		q->devm_b = qfree_modes[mode].devm_b;
		q->b_by_work = qfree_modes[mode].b_by_work;
		INIT_WORK(&q->work, qfree_work);
		init_completion(&q->work_done);
		init_completion(&q->done);
		qfree_ctx = q;
		KUNIT_ASSERT_EQ(test, dma_test_ctx_init(test, &bound, "safe-dma-qfree"), 0);
		KUNIT_ASSERT_EQ(test, q->probe_err, 0);
		q->dev = bound.dev;
		t = kthread_run(qfree_unbind, q, "safe-dma-qfree");
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		if (!wait_for_completion_timeout(&q->done, 10 * HZ)) {
			KUNIT_FAIL(test, "unbind hung (mode %d)", mode);
			return;
		}
		KUNIT_EXPECT_EQ_MSG(test, q->quiesced_a, 1, "mode %d", mode);
		KUNIT_EXPECT_EQ_MSG(test, q->quiesced_c, 1, "mode %d", mode);
		if (q->b_by_work) {
			KUNIT_EXPECT_TRUE_MSG(test, q->work_in_time,
					      "mode %d: the free waited for the sweep", mode);
			flush_work(&q->work);
			KUNIT_EXPECT_FALSE_MSG(test, q->b_quiesced_late,
					       "mode %d: b's callback ran after its owner's free returned",
					       mode);
		}
		KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);
		safe_dma_free(q->a);	/* the descriptor; b and c are gone */
		dma_test_ctx_exit(&bound);
		qfree_ctx = NULL;
		kfree(q);
	}
	platform_driver_unregister(&qfree_driver);
	dma_test_expect_clean(test, ctx);
}

/*
 * The owner's free runs the quiesce callback, which frees the same buffer
 * again: a driver bug, reported, but not a task stuck forever.
 */
struct qself {
	struct safe_dma_buf *buf;
	struct completion done;
	int quiesced;
};

static void qself_quiesce(void *arg)
{
	struct qself *q = arg;

	q->quiesced++;
	safe_dma_free(q->buf);
}

static int qself_fn(void *arg)
{
	struct qself *q = arg;

	safe_dma_free(q->buf);
	complete(&q->done);
	return 0;
}

static void quiesce_frees_own_buffer_again(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct task_struct *t;
	struct qself *q;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	init_completion(&q->done);
	q->buf = safe_dma_alloc(ctx->dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(q->buf));
	safe_dma_set_quiesce(q->buf, qself_quiesce, q);
	dma_test_expect_report_begin();
	t = kthread_run(qself_fn, q, "safe-dma-qself");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	if (!wait_for_completion_timeout(&q->done, 10 * HZ)) {
		dma_test_expect_report_end();
		KUNIT_FAIL(test, "safe_dma_free() hung in its own quiesce callback");
		return;
	}
	dma_test_expect_report_end();
	KUNIT_EXPECT_EQ(test, q->quiesced, 1);
	kfree(q);
	dma_test_expect_clean(test, ctx);
}

/*
 * Sizes the DMA API would WARN about, or wrap: an error, no report.  A
 * size past the page allocator's largest order fails like any other
 * allocation that cannot be met (-ENOMEM); one that wraps when rounded to
 * pages is refused; a pool whose block size dma_pool_create() cannot
 * hold is refused.
 */
static void hostile_sizes_refused(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct safe_dma_pool *pool;
	struct safe_dma_buf *buf;

	buf = safe_dma_alloc(ctx->dev, 1, SIZE_MAX, GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(buf), -EOVERFLOW);
	buf = safe_dma_alloc(ctx->dev, PAGE_SIZE, 1UL << 28, GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(buf), -ENOMEM);
	pool = safe_dma_pool_create("safe-hostile", ctx->dev, 8, 1, 1UL << 32);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(pool), -EINVAL);
	if (!IS_ERR(pool))
		safe_dma_pool_destroy(pool);
	pool = safe_dma_pool_create("safe-hostile", ctx->dev, 1UL << 32, 1, 8);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(pool), -EINVAL);
	if (!IS_ERR(pool))
		safe_dma_pool_destroy(pool);
	/* Positive control: the largest pool block dma_pool_create() takes. */
	pool = safe_dma_pool_create("safe-hostile", ctx->dev, PAGE_SIZE, 1,
				    PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, IS_ERR(pool));
	if (!IS_ERR(pool))
		safe_dma_pool_destroy(pool);
	dma_test_expect_clean(test, ctx);
}

/* -------------------------------------------------------------------- */
/* The untyped calls on no buffer                                        */
/* -------------------------------------------------------------------- */

/*
 * A NULL or ERR_PTR() buffer (a handle freed with safe_dma_free_handle(),
 * never bound, or an unchecked allocation) reaches the untyped calls as
 * well as the typed accessors: -ENODEV, or nothing done, never a
 * dereference.  Oopses on the code before the fix, so it runs last.
 */
static void untyped_calls_on_no_buffer(struct kunit *test)
{
	struct safe_dma_buf *null_buf = NULL, *err_buf = ERR_PTR(-ENOMEM);
	struct safe_dma_pool *null_pool = NULL;
	struct safe_dma_buf *pooled;
	lt_u32_h h = {};
	u32 v = 0;
	int n = 0;

	/* A never-bound handle copies nothing, even zero elements. */
	dma_test_expect_report_begin();
	KUNIT_EXPECT_EQ(test, safe_dma_copy_in(h, 0, &v, 0), -ENODEV);
	KUNIT_EXPECT_EQ(test, safe_dma_copy_out(h, 0, &v, 0), -ENODEV);
	dma_test_expect_report_end();

	KUNIT_EXPECT_EQ(test, safe_dma_copy_to_user(null_buf, 0, NULL, 4),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, safe_dma_copy_from_user(err_buf, 0, NULL, 4),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, safe_dma_memset(null_buf, 0, 0, 1), -ENODEV);
	KUNIT_EXPECT_EQ(test, safe_dma_memset(err_buf, 0, 0, 1), -ENODEV);
	safe_dma_set_quiesce(null_buf, lt_count, &n);
	safe_dma_set_quiesce(err_buf, lt_count, &n);
	KUNIT_EXPECT_EQ(test, safe_dma_count(null_buf), 0);
	KUNIT_EXPECT_EQ(test, safe_dma_size(err_buf), 0);
	KUNIT_EXPECT_NULL(test, safe_dma_cpu_ptr(null_buf));
	KUNIT_EXPECT_NULL(test, safe_dma_cpu_ptr(err_buf));
	KUNIT_EXPECT_EQ(test, safe_dma_handle(null_buf), (dma_addr_t)0);
	pooled = safe_dma_pool_alloc(null_pool, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(pooled), -EINVAL);
	KUNIT_EXPECT_EQ(test, n, 0);
}

static struct kunit_case safe_dma_lifetime_cases[] = {
	KUNIT_CASE(hostile_sizes_refused),
	KUNIT_CASE(pool_alloc_during_device_del),
	KUNIT_CASE(no_alloc_during_failed_probe),
	KUNIT_CASE(no_alloc_after_device_del),
	KUNIT_CASE(swept_buffer_has_no_handle),
	KUNIT_CASE(group_release_keeps_binding),
	KUNIT_CASE(devm_domain_group_release_no_sweep),
	KUNIT_CASE(teardown_after_manual_revoke),
	KUNIT_CASE(owner_free_during_teardown_reaches_regs),
	KUNIT_CASE(owner_quiesce_borrows_during_manual_revoke),
	KUNIT_CASE(devm_domain_create_faults_keep_device),
	KUNIT_CASE(attach_foreign_or_dead_refused),
	KUNIT_CASE(quiesce_frees_buffers_at_unbind),
	KUNIT_CASE(quiesce_frees_own_buffer_again),
	KUNIT_CASE(lib_exit_waits_for_deferred_frees),
	KUNIT_CASE(unbind_finishes_own_deferred_frees),
	/* Last: on failure lockdep is off for the rest of the run. */
	KUNIT_CASE(alloc_from_irq_lockdep_clean),
	/* After the lockdep case: an oops turns lockdep off. */
	KUNIT_CASE(untyped_calls_on_no_buffer),
	{}
};

static struct kunit_suite safe_dma_lifetime_suite = {
	.name = "safe_dma_lifetime",
	.init = lt_init,
	.exit = lt_exit,
	.test_cases = safe_dma_lifetime_cases,
};

kunit_test_suite(safe_dma_lifetime_suite);
