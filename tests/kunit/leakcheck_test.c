// SPDX-License-Identifier: GPL-2.0
/*
 * The last suite: ask kmemleak for a scan and fail on any unreferenced
 * object, then prove the scan can see a leak at all by planting one.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include "testutil.h"

/* kmemleak reports only objects older than 5 s (MSECS_MIN_AGE). */
#define LEAK_MIN_AGE_MS	5500
#define REPORT_LEN	(64 * 1024)

static int scan(struct kunit *test, char *report)
{
	int ret = safe_test_debugfs_write("kmemleak", "scan");

	if (ret)
		return ret;
	ret = safe_test_debugfs_read("kmemleak", report, REPORT_LEN);
	return ret < 0 ? ret : 0;
}

static void no_leaks_after_suites(struct kunit *test)
{
	char *report;
	int ret;

	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		kunit_skip(test, "kernel built without kmemleak");
	report = kunit_kzalloc(test, REPORT_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, report);

	msleep(LEAK_MIN_AGE_MS);
	ret = scan(test, report);
	KUNIT_ASSERT_EQ(test, ret, 0);
	if (strstr(report, "unreferenced object"))
		KUNIT_FAIL(test, "kmemleak reports leaks:\n%.2000s", report);
}

/* Hidden from kmemleak's scan of .bss: only the XOR of the address. */
static unsigned long planted_key;
#define PLANT_MASK	0xa5a5a5a5a5a5a5a5UL

static int plant(void *arg)
{
	struct completion *done = arg;
	void *p = kmalloc(200, GFP_KERNEL);

	WRITE_ONCE(planted_key, (unsigned long)p ^ PLANT_MASK);
	complete(done);
	return 0;
}

static void kmemleak_sees_a_planted_leak(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(done);
	struct task_struct *t;
	char *report, addr[32];
	void *p;
	int ret;

	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		kunit_skip(test, "kernel built without kmemleak");
	report = kunit_kzalloc(test, REPORT_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, report);

	/* Allocate on another stack, so no stale copy stays on ours. */
	t = kthread_run(plant, &done, "safe-leak");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&done);
	p = (void *)(READ_ONCE(planted_key) ^ PLANT_MASK);
	KUNIT_ASSERT_NOT_NULL(test, p);
	/* kmemleak prints "unreferenced object 0x%08lx". */
	snprintf(addr, sizeof(addr), "0x%08lx", (unsigned long)p);
	p = NULL;

	msleep(LEAK_MIN_AGE_MS);
	ret = scan(test, report);
	kfree((void *)(READ_ONCE(planted_key) ^ PLANT_MASK));
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(report, addr),
				  "planted leak %s not reported", addr);
}

/* Both cases wait out kmemleak's 5 s minimum age. */
#ifndef KUNIT_CASE_SLOW
#define KUNIT_CASE_SLOW KUNIT_CASE
#endif

static struct kunit_case safe_leakcheck_cases[] = {
	KUNIT_CASE_SLOW(no_leaks_after_suites),
	KUNIT_CASE_SLOW(kmemleak_sees_a_planted_leak),
	{}
};

static struct kunit_suite safe_leakcheck_suite = {
	.name = "safe_zz_leakcheck",
	.test_cases = safe_leakcheck_cases,
};
kunit_test_suite(safe_leakcheck_suite);

MODULE_DESCRIPTION("kmemleak sweep after safe's KUnit suites");
MODULE_LICENSE("GPL");
