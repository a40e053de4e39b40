// SPDX-License-Identifier: GPL-2.0
/*
 * The timing loop and the environment report shared by the benchmarks
 * (see bench.h).
 */
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <linux/safe/revocable.h>
#include "bench.h"

unsigned int safe_bench_rounds = 11;
module_param_named(rounds, safe_bench_rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "rounds per benchmark group");

static char *only;
module_param(only, charp, 0444);
MODULE_PARM_DESC(only, "comma-separated benchmarks to run (default: all)");

unsigned long safe_bench_sink;

const struct safe_bench_case safe_bench_cases[] = {
	{ "env", safe_bench_env },
	{ "locked", safe_bench_locked },
	{ "revocable_access", safe_bench_revocable_access },
	{ "revocable_memory", safe_bench_revocable_memory },
	{ "dma_access", safe_bench_dma_access },
	{ "dma_alloc", safe_bench_dma_alloc },
	{ "revocable_revoke", safe_bench_revocable_revoke },
	{ }
};

bool safe_bench_selected(const char *name)
{
	size_t len = strlen(name);
	const char *p = only;

	if (!p || !*p)
		return true;
	while ((p = strstr(p, name))) {
		if ((p == only || p[-1] == ',') && (!p[len] || p[len] == ','))
			return true;
		p += len;
	}
	return false;
}

int safe_bench_run_case(const struct safe_bench_case *c)
{
	struct platform_device *pdev;
	int ret;

	/* A platform device has 32-bit DMA masks: dma-direct allocates. */
	pdev = platform_device_register_simple("safe-bench", PLATFORM_DEVID_AUTO,
					       NULL, 0);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	pr_info("safe-bench: case %s\n", c->name);
	ret = c->fn(&pdev->dev);
	/* Domains whose last reference went, before their device goes. */
	safe_revocable_flush();
	platform_device_unregister(pdev);
	pr_info("safe-bench: case %s done %d\n", c->name, ret);
	return ret;
}

/* Nanoseconds for @iters operations, as picoseconds per operation. */
static u64 safe_bench_ps(u64 ns, unsigned int iters)
{
	return div_u64(ns * 1000, iters);
}

void safe_bench_group(const char *group, const struct safe_bench_variant *v,
		      unsigned int nr, void *arg, unsigned int target_us)
{
	u64 target = (u64)target_us * NSEC_PER_USEC;
	unsigned int iters = 1, r, k;
	char name[64];

	/* Warm up each variant, then calibrate on the first. */
	for (k = 0; k < nr; k++)
		v[k].fn(arg, 16);
	while (iters < (1U << 30) && v[0].fn(arg, iters) < target / 2)
		iters *= 2;

	for (r = 0; r < safe_bench_rounds; r++) {
		for (k = 0; k < nr; k++) {
			const struct safe_bench_variant *x = &v[(r + k) % nr];
			u64 ns = x->fn(arg, iters);

			snprintf(name, sizeof(name), "%s/%s", group, x->name);
			safe_bench_time(name, r, safe_bench_ps(ns, iters));
		}
		cond_resched();
	}
}

/* What the host needs to label the figures. */
int safe_bench_env(struct device *dev)
{
	char buf[32];

	safe_bench_info("release", init_utsname()->release);
	snprintf(buf, sizeof(buf), "%u", num_online_cpus());
	safe_bench_info("online_cpus", buf);
	snprintf(buf, sizeof(buf), "%u", nr_cpu_ids);
	safe_bench_info("nr_cpu_ids", buf);
	safe_bench_info("srcu", IS_ENABLED(CONFIG_TREE_SRCU) ? "tree" : "tiny");
	safe_bench_info("rcu", IS_ENABLED(CONFIG_PREEMPT_RCU) ? "preempt" :
			IS_ENABLED(CONFIG_TREE_RCU) ? "tree" : "tiny");
	safe_bench_info("smp", IS_ENABLED(CONFIG_SMP) ? "y" : "n");
	safe_bench_info("safe_debug", IS_ENABLED(CONFIG_SAFE_DEBUG) ? "y" : "n");
	snprintf(buf, sizeof(buf), "%u", safe_bench_rounds);
	safe_bench_info("rounds", buf);
	return 0;
}
