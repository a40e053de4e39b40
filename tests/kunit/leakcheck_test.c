// SPDX-License-Identifier: GPL-2.0
/*
 * The last suite: ask kmemleak for a scan and fail on any unreferenced
 * object, then prove the scan can see a leak at all by planting one.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include "testutil.h"

/* kmemleak reports only objects older than 5 s (MSECS_MIN_AGE). */
#define LEAK_MIN_AGE_MS	5500
#define REPORT_LEN	(64 * 1024)

/*
 * kmemleak spares an object whose contents changed since the previous scan
 * (it may be in the middle of being linked in), so a leak made after the
 * last scan shows up only in the second one.
 */
static int scan(struct kunit *test, char *report)
{
	int ret = safe_test_debugfs_write("kmemleak", "scan");

	if (!ret)
		ret = safe_test_debugfs_write("kmemleak", "scan");
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

/*
 * The planted object's address is kept only as its XOR with a mask and as
 * text, neither of which kmemleak takes for a pointer.  kmemleak scans
 * whole thread stacks, dead frames included, so the plain pointer must
 * never be on this test's stack before the scan: another thread makes it.
 */
static unsigned long planted_key;
static char planted_addr[32];
#define PLANT_MASK	0xa5a5a5a5a5a5a5a5UL

/*
 * From 7.x, SLUB hands out small objects from per-CPU "sheaves", arrays
 * of object pointers that keep a stale copy of the pointer after the
 * object is handed out; kmemleak scans them and takes the object for
 * referenced.  An allocation above the largest kmalloc cache comes from
 * the page allocator instead, on every kernel.
 */
#define PLANT_SIZE	(3 * PAGE_SIZE)

static int plant(void *arg)
{
	struct completion *done = arg;
	void *p = kmalloc(PLANT_SIZE, GFP_KERNEL);

	/* kmemleak prints "unreferenced object 0x%08lx". */
	snprintf(planted_addr, sizeof(planted_addr), "0x%08lx", (unsigned long)p);
	WRITE_ONCE(planted_key, (unsigned long)p ^ PLANT_MASK);
	complete(done);
	return 0;
}

static void kmemleak_sees_a_planted_leak(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(done);
	struct task_struct *t;
	char *report;
	int ret, tries;

	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		kunit_skip(test, "kernel built without kmemleak");
	report = kunit_kzalloc(test, REPORT_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, report);

	t = kthread_run(plant, &done, "safe-leak");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&done);
	KUNIT_ASSERT_NE(test, READ_ONCE(planted_key), PLANT_MASK);

	msleep(LEAK_MIN_AGE_MS);
	/*
	 * The planting thread has exited, but its task_struct, whose saved
	 * registers may still hold the pointer, is freed after a grace
	 * period, which a loaded host can stretch: wait for those frees, and
	 * scan again a few times before concluding kmemleak is blind.
	 */
	/* Tells scripts/kunit-result.sh this report is wanted. */
	pr_info("safe-test: expect report begin\n");
	for (tries = 0; tries < 3; tries++) {
		rcu_barrier();
		ret = scan(test, report);
		if (ret || strstr(report, planted_addr))
			break;
		msleep(2000);
	}
	pr_info("safe-test: expect report end\n");
	kfree((void *)(READ_ONCE(planted_key) ^ PLANT_MASK));
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(report, planted_addr),
				  "planted leak %s not reported; report:\n%.1500s",
				  planted_addr, report);
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
