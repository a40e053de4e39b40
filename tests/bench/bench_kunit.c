// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmarks as a KUnit suite, for a UML kernel built with
 * tests/bench/bench.kunitconfig (scripts/bench-uml.sh): UML runs kernel
 * code natively on the host CPU.  One parameterised case per benchmark;
 * a case fails only when its benchmark could not run (an errno), never
 * because of what it measured.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include "bench.h"

static const void *safe_bench_gen(const void *prev, char *desc)
{
	const struct safe_bench_case *c = prev;

	c = c ? c + 1 : safe_bench_cases;
	if (!c->name)
		return NULL;
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
	return c;
}

static void safe_bench_run(struct kunit *test)
{
	const struct safe_bench_case *c = test->param_value;

	if (!safe_bench_selected(c->name))
		kunit_skip(test, "not selected by safe_bench.only");
	KUNIT_EXPECT_EQ(test, safe_bench_run_case(c), 0);
}

static struct kunit_case safe_bench_test_cases[] = {
	KUNIT_CASE_PARAM_ATTR(safe_bench_run, safe_bench_gen,
			      { .speed = KUNIT_SPEED_SLOW }),
	{ }
};

static struct kunit_suite safe_bench_suite = {
	.name = "safe_bench",
	.test_cases = safe_bench_test_cases,
};
kunit_test_suite(safe_bench_suite);

MODULE_DESCRIPTION("safe: benchmarks against the raw alternatives (KUnit, UML)");
MODULE_LICENSE("GPL");
