// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection on every allocation the owned-DMA-buffer constructors
 * make, and a kmemleak sweep afterwards.
 *
 * current->fail_nth = n makes the n-th fault-injection point this task
 * passes fail (slab allocations, and page allocations of order
 * FAULT_PAGE_ORDER and up, with the knobs set below), so n = 1, 2, ...
 * walks every allocation of a constructor in turn until one run passes
 * them all.
 *
 * The walk sees every allocation only if the sequence of fault points is
 * the same in every run.  Page allocations of lower orders break that:
 * whether a slab allocation needs a new slab page, or KASAN's stack depot
 * a new pool, depends on what ran before, so a point would move under the
 * walk and could be skipped.  Those orders are not fault points, and the
 * DMA memory of every constructor here is FAULT_PAGE_ORDER pages (SLUB
 * slabs are at most order 3).  After each run the device reference count,
 * the live coherent allocations and the DMA-API error count must be what
 * they were: nothing leaks on any error path.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/safe/dma.h>
#include <linux/safe/revocable.h>
#include "dma_test.h"

/* 64 KiB of DMA memory per buffer: an order-4 page allocation. */
#define FAULT_PAGE_ORDER	"4"
#define FAULT_ELEM		16
#define FAULT_COUNT		4096

static int fault_knobs(void);

static int fault_init(struct kunit *test)
{
	struct dma_test_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	int ret;

	if (!ctx)
		return -ENOMEM;
	/* Not in suite_init: the debugfs helper needs a kthread. */
	ret = fault_knobs();
	if (ret)
		return ret;
	ret = dma_test_ctx_init(test, ctx, "safe-dma-fault");
	if (ret)
		return ret;
	test->priv = ctx;
	return 0;
}

static void fault_exit(struct kunit *test)
{
	dma_test_ctx_exit(test->priv);
}

/*
 * Make GFP_KERNEL slab allocations and page allocations of
 * FAULT_PAGE_ORDER and up fault points, and keep the injected failures
 * quiet.  The probability stays 0, so only a task with fail_nth set sees
 * failures.
 */
static int fault_knobs(void)
{
	static const char * const knobs[][2] = {
		{ "failslab/ignore-gfp-wait", "N" },
		{ "failslab/verbose", "0" },
		{ "fail_page_alloc/ignore-gfp-wait", "N" },
		{ "fail_page_alloc/ignore-gfp-highmem", "N" },
		{ "fail_page_alloc/min-order", FAULT_PAGE_ORDER },
		{ "fail_page_alloc/verbose", "0" },
	};
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		ret = safe_test_debugfs_write(knobs[i][0], knobs[i][1]);
		if (ret) {
			pr_err("safe-dma-test: %s: %d\n", knobs[i][0], ret);
			return ret;
		}
	}
	return 0;
}

/* One constructor under test; on success it also frees what it made. */
typedef int (*fault_op)(struct dma_test_ctx *ctx);

static int op_alloc(struct dma_test_ctx *ctx)
{
	struct safe_dma_buf *buf = safe_dma_alloc(ctx->dev, FAULT_ELEM,
						  FAULT_COUNT, GFP_KERNEL, 0);

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	safe_dma_free(buf);
	return 0;
}

static int op_devm_alloc(struct dma_test_ctx *ctx)
{
	struct safe_dma_buf *buf = devm_safe_dma_alloc(ctx->dev, FAULT_ELEM,
						       FAULT_COUNT,
						       GFP_KERNEL, 0);

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	safe_dma_free(buf);
	return 0;
}

static int op_pool(struct dma_test_ctx *ctx)
{
	struct safe_dma_pool *pool __free(safe_dma_pool) =
		safe_dma_pool_create("safe-dma-fault", ctx->dev, FAULT_ELEM,
				     FAULT_COUNT, 0);
	struct safe_dma_buf *a __free(safe_dma) = NULL;
	struct safe_dma_buf *b __free(safe_dma) = NULL;

	if (IS_ERR(pool))
		return PTR_ERR(pool);
	a = safe_dma_pool_alloc(pool, GFP_KERNEL);
	if (IS_ERR(a))
		return PTR_ERR(a);
	b = safe_dma_pool_alloc(pool, GFP_KERNEL);
	if (IS_ERR(b))
		return PTR_ERR(b);
	return 0;
}

static int op_attach(struct dma_test_ctx *ctx)
{
	struct safe_revocable_domain *d;
	struct safe_revocable *r;
	int ret = 0;

	d = safe_revocable_domain_create(ctx->dev);
	if (IS_ERR(d))
		return PTR_ERR(d);
	{
		struct safe_dma_buf *buf __free(safe_dma) =
			safe_dma_alloc(ctx->dev, FAULT_ELEM, FAULT_COUNT,
				       GFP_KERNEL, 0);

		if (IS_ERR(buf)) {
			ret = PTR_ERR(buf);
		} else {
			r = safe_dma_attach(buf, d);
			if (IS_ERR(r))
				ret = PTR_ERR(r);
			else
				retain_and_null_ptr(buf);
		}
	}
	safe_revocable_domain_put(d);	/* revokes: frees an attached buffer */
	return ret;
}

#ifdef CONFIG_FAULT_INJECTION
static void set_fail_nth(unsigned int n)
{
	WRITE_ONCE(current->fail_nth, n);
}

static unsigned int get_fail_nth(void)
{
	return READ_ONCE(current->fail_nth);
}
#else
static void set_fail_nth(unsigned int n) { }
static unsigned int get_fail_nth(void) { return 1; }
#endif

#define MAX_FAULT_POINTS 200

/*
 * Fail each fault point of @op in turn.  Some points tolerate a failure
 * (kmemleak's and KASAN's own metadata); the constructor then succeeds,
 * which is fine.  At least @min_failures runs must fail with -ENOMEM.
 */
static void walk_faults(struct kunit *test, fault_op op, int min_failures)
{
	struct dma_test_ctx *ctx = test->priv;
	int n, failures = 0, successes = 0;
	unsigned int left;
	int err;

	if (!IS_ENABLED(CONFIG_FAULT_INJECTION))
		kunit_skip(test, "kernel built without fault injection");

	for (n = 1; n <= MAX_FAULT_POINTS; n++) {
		set_fail_nth(n);
		err = op(ctx);
		left = get_fail_nth();
		set_fail_nth(0);
		/* Frees run at process context here, but flush anyway. */
		safe_dma_flush_deferred();

		if (err) {
			KUNIT_EXPECT_EQ_MSG(test, err, -ENOMEM, "fault point %d", n);
			KUNIT_EXPECT_EQ_MSG(test, left, 0U,
					    "fault point %d: error without a fault", n);
			failures++;
		} else {
			successes++;
		}
		dma_test_expect_clean(test, ctx);
		if (left)	/* n was past the last fault point: done */
			break;
	}
	KUNIT_EXPECT_LE(test, n, MAX_FAULT_POINTS);
	KUNIT_EXPECT_GE(test, failures, min_failures);
	KUNIT_EXPECT_GE(test, successes, 1);
	kunit_info(test, "%d fault points, %d failed the constructor\n",
		   n - 1, failures);
}

/* kzalloc of the buffer, the pages of the memory. */
static void fault_alloc(struct kunit *test)
{
	walk_faults(test, op_alloc, 2);
}

/* ... plus the devres entry. */
static void fault_devm_alloc(struct kunit *test)
{
	walk_faults(test, op_devm_alloc, 3);
}

/* The pool, dma_pool_create(), two buffers and the pool's first page. */
static void fault_pool(struct kunit *test)
{
	walk_faults(test, op_pool, 5);
}

/* The domain, the buffer, its memory and the revocable resource. */
static void fault_attach(struct kunit *test)
{
	walk_faults(test, op_attach, 4);
}

static struct kunit_case safe_dma_fault_cases[] = {
	KUNIT_CASE(fault_alloc),
	KUNIT_CASE(fault_devm_alloc),
	KUNIT_CASE(fault_pool),
	KUNIT_CASE(fault_attach),
	{}
};

static struct kunit_suite safe_dma_fault_suite = {
	.name = "safe_dma_fault",
	.init = fault_init,
	.exit = fault_exit,
	.test_cases = safe_dma_fault_cases,
};

/* -------------------------------------------------------------------- */
/* kmemleak: nothing allocated by the library is left unreferenced       */
/* -------------------------------------------------------------------- */

/* kmemleak reports only objects older than 5 s (MSECS_MIN_AGE). */
#define LEAK_MIN_AGE_MS	5500
#define REPORT_LEN	(64 * 1024)

/* Two scans: an object changed since the previous one is spared once. */
static int leak_scan(char *report)
{
	int ret = safe_test_debugfs_write("kmemleak", "scan");

	if (!ret)
		ret = safe_test_debugfs_write("kmemleak", "scan");
	if (ret)
		return ret;
	ret = safe_test_debugfs_read("kmemleak", report, REPORT_LEN);
	return ret < 0 ? ret : 0;
}

/* The allocation sites of lib/dma.c, as kmemleak's backtraces name them. */
static const char *library_frame(const char *report)
{
	static const char * const frames[] = {
		"__safe_dma_alloc", "__devm_safe_dma_alloc", "__safe_dma_attach",
		"__safe_dma_pool_create", "__safe_dma_pool_alloc",
		"safe_revocable_create",
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(frames); i++)
		if (strstr(report, frames[i]))
			return frames[i];
	return NULL;
}

static void no_library_leaks(struct kunit *test)
{
	const char *frame;
	char *report;

	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		kunit_skip(test, "kernel built without kmemleak");
	report = kunit_kzalloc(test, REPORT_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, report);

	msleep(LEAK_MIN_AGE_MS);
	KUNIT_ASSERT_EQ(test, leak_scan(report), 0);
	frame = library_frame(report);
	KUNIT_EXPECT_NULL_MSG(test, frame, "kmemleak: leak from %s:\n%.2000s",
			      frame, report);
}

/*
 * The planted object comes from a function named like a library frame,
 * and its address is kept only XORed with a mask, so kmemleak sees it
 * unreferenced.  Another thread allocates it so no stale copy of the
 * pointer sits on this test's stack.
 */
static unsigned long planted_key;
#define PLANT_MASK	0xa5a5a5a5a5a5a5a5UL

/*
 * Above the largest kmalloc cache: from 7.x, SLUB hands small objects out
 * of per-CPU sheaves, which keep a stale copy of the pointer that kmemleak
 * takes for a reference.
 */
#define PLANT_SIZE	(3 * PAGE_SIZE)

static noinline void *safe_revocable_create_plant(void)
{
	void *p = kmalloc(PLANT_SIZE, GFP_KERNEL);

	/* Not a tail call: this frame must be in kmemleak's backtrace. */
	OPTIMIZER_HIDE_VAR(p);
	return p;
}

static int plant(void *arg)
{
	struct completion *done = arg;

	WRITE_ONCE(planted_key,
		   (unsigned long)safe_revocable_create_plant() ^ PLANT_MASK);
	complete(done);
	return 0;
}

static void kmemleak_sees_a_planted_leak(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(done);
	struct task_struct *t;
	char *report;
	int ret;

	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		kunit_skip(test, "kernel built without kmemleak");
	report = kunit_kzalloc(test, REPORT_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, report);

	t = kthread_run(plant, &done, "safe-dma-leak");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&done);
	KUNIT_ASSERT_NE(test, READ_ONCE(planted_key), PLANT_MASK);

	msleep(LEAK_MIN_AGE_MS);
	dma_test_expect_report_begin();
	ret = leak_scan(report);
	dma_test_expect_report_end();
	kfree((void *)(READ_ONCE(planted_key) ^ PLANT_MASK));
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_NOT_NULL_MSG(test, library_frame(report),
				  "planted leak not reported:\n%.2000s", report);
}

static struct kunit_case safe_dma_leak_cases[] = {
	KUNIT_CASE_SLOW(no_library_leaks),
	KUNIT_CASE_SLOW(kmemleak_sees_a_planted_leak),
	{}
};

static struct kunit_suite safe_dma_leak_suite = {
	.name = "safe_dma_zz_leakcheck",
	.test_cases = safe_dma_leak_cases,
};

kunit_test_suites(&safe_dma_fault_suite, &safe_dma_leak_suite);
