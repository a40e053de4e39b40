// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmarks as a module, for Debian's kernel under QEMU
 * (scripts/bench-tcg.sh): they run when it is loaded, and loading fails
 * with the first benchmark's errno.  The safe library is built in
 * (SAFE_EMBED), so nothing else needs loading but drm.ko.
 */
#include <linux/module.h>
#include <linux/safe/embed.h>
#include "bench.h"

static int __init safe_bench_init(void)
{
	const struct safe_bench_case *c;
	int ret = 0;

	for (c = safe_bench_cases; c->name && !ret; c++)
		if (safe_bench_selected(c->name))
			ret = safe_bench_run_case(c);
	pr_info("safe-bench: done (%d)\n", ret);
	if (ret)
		safe_embed_exit();
	return ret;
}
module_init(safe_bench_init);

static void __exit safe_bench_exit(void)
{
	safe_embed_exit();
}
module_exit(safe_bench_exit);

MODULE_DESCRIPTION("safe: benchmarks against the raw alternatives");
MODULE_LICENSE("GPL");
