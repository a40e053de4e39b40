/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the speed benchmarks of "make bench" (scripts/bench.sh).
 *
 * The same sources run in two places: built into a UML kernel, where
 * kernel code runs natively on the host CPU (bench_kunit.c, a KUnit suite),
 * and as a module in Debian's kernel under QEMU TCG (bench_module.c).
 * They print raw figures only, one line each, and the host computes
 * ratios, medians and ranges (scripts/bench-report.py):
 *
 *	safe-bench: t <group>/<variant> <round> <picoseconds per operation>
 *	safe-bench: m <name> <bytes>
 *	safe-bench: i <name> <value>
 *
 * Within a group every variant is timed once per round, in an order that
 * rotates from round to round, so a disturbance of the host (the machine
 * is shared) hits raw and safe variants alike; the host pairs the
 * variants of each round.  Nothing here asserts anything about time.
 */
#ifndef _SAFE_BENCH_H
#define _SAFE_BENCH_H

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/printk.h>
#include <linux/sched.h>

/* Rounds per group; a parameter of the module or of the UML kernel. */
extern unsigned int safe_bench_rounds;

/* One timed variant: run @iters operations on @arg, return nanoseconds. */
struct safe_bench_variant {
	const char *name;
	u64 (*fn)(void *arg, unsigned int iters);
};

/*
 * A loop of @iters operations, timed.  @var is made opaque to the compiler
 * on every iteration, so nothing loaded through it is hoisted out of the
 * loop, as for code that finds its state through a device's private data.
 */
#define SAFE_BENCH_LOOP(fname, type, var, body...)			\
	static noinline u64 fname(void *__arg, unsigned int __iters)	\
	{								\
		type var = __arg;					\
		unsigned int __i;					\
		u64 __t = ktime_get_ns();				\
									\
		for (__i = 0; __i < __iters; __i++) {			\
			OPTIMIZER_HIDE_VAR(var);			\
			body;						\
		}							\
		return ktime_get_ns() - __t;				\
	}

/*
 * Time the variants of one group: the iteration count is calibrated on
 * the first variant so one loop takes about @target_us, then every round
 * times each variant once.  Prints "t" lines.
 */
void safe_bench_group(const char *group, const struct safe_bench_variant *v,
		      unsigned int nr, void *arg, unsigned int target_us);

/* Print "t <name> <round> <ps>"; a negative @round is a warm-up. */
static inline void safe_bench_time(const char *name, int round, u64 ps)
{
	if (round >= 0)
		pr_info("safe-bench: t %s %d %llu\n", name, round, ps);
}

static inline void safe_bench_mem(const char *name, size_t bytes)
{
	pr_info("safe-bench: m %s %zu\n", name, bytes);
}

static inline void safe_bench_info(const char *name, const char *value)
{
	pr_info("safe-bench: i %s %s\n", name, value);
}

/* Where something's value must not be optimised away. */
extern unsigned long safe_bench_sink;

/* The benchmarks; each returns 0 or an errno. */
int safe_bench_env(struct device *dev);
int safe_bench_locked(struct device *dev);
int safe_bench_revocable_access(struct device *dev);
int safe_bench_revocable_revoke(struct device *dev);
int safe_bench_revocable_memory(struct device *dev);
int safe_bench_dma_access(struct device *dev);
int safe_bench_dma_alloc(struct device *dev);

/*
 * The list both front ends run, ending with an empty entry.  Each gets a
 * platform device of its own, unregistered after it.
 */
struct safe_bench_case {
	const char *name;
	int (*fn)(struct device *dev);
};

extern const struct safe_bench_case safe_bench_cases[];

/* Is @name in the "only" parameter (a comma-separated list), or is it empty? */
bool safe_bench_selected(const char *name);

/* Run one case on a fresh platform device. */
int safe_bench_run_case(const struct safe_bench_case *c);

#endif /* _SAFE_BENCH_H */
