// SPDX-License-Identifier: GPL-2.0
/*
 * bench_revocable: the cost of revocable access and revocation, against
 * the real alternatives, measured in the same run.
 *
 *   bound      safe_revocable_bound()        vs a plain pointer load
 *   access     safe_revocable_try_access()   vs srcu_read_lock() pair,
 *                                               rcu_read_lock() pair,
 *                                               percpu_ref_tryget_live(),
 *                                               drm_dev_enter() (if drm.ko)
 *   revoke     one domain of 1/10/100/1000   vs 1000 resources each with
 *              resources                       its own SRCU grace period
 *
 * Each access figure is the best of several runs, in ns per operation;
 * each revocation figure the median of several.  Every loop reloads its
 * pointers through OPTIMIZER_HIDE_VAR(), as code that gets them from a
 * device's private data would.  The module prints "safe-bench:" lines.
 */
#define pr_fmt(fmt) "safe-bench: " fmt

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/percpu-refcount.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/srcu.h>
#include <linux/safe/revocable.h>

#if IS_ENABLED(CONFIG_DRM)
#include <drm/drm_drv.h>
#endif

static int iters = 2000000;
module_param(iters, int, 0444);
MODULE_PARM_DESC(iters, "iterations per access measurement");

static int reps = 5;
module_param(reps, int, 0444);
MODULE_PARM_DESC(reps, "runs per measurement; the best one counts");

/* What a driver's private data would hold for each alternative. */
struct holder {
	void *ptr;
	void __rcu *rcu_ptr;
	struct srcu_struct *srcu;
	struct percpu_ref *ref;
};

static unsigned long sink;

/*
 * One timed loop.  @var is made opaque to the compiler every iteration, so
 * nothing loaded through it is hoisted out of the loop.
 */
#define TIME_LOOP(best, var, body)					\
	do {								\
		int __r, __i;						\
		u64 __t;						\
									\
		(best) = U64_MAX;					\
		for (__r = 0; __r < reps; __r++) {			\
			__t = ktime_get_ns();				\
			for (__i = 0; __i < iters; __i++) {		\
				OPTIMIZER_HIDE_VAR(var);		\
				body;					\
			}						\
			__t = ktime_get_ns() - __t;			\
			(best) = min((best), __t);			\
			cond_resched();					\
		}							\
	} while (0)

static u64 per_op_ps(u64 ns)
{
	return div_u64(ns * 1000, iters);
}

static void report(const char *what, u64 ns, u64 base_ns, const char *base)
{
	u64 ps = per_op_ps(ns);

	if (base_ns)
		pr_info("%-34s %5llu.%03llu ns/op  %4llu.%02llux %s\n", what,
			ps / 1000, ps % 1000, div64_u64(ns * 100, base_ns) / 100,
			div64_u64(ns * 100, base_ns) % 100, base);
	else
		pr_info("%-34s %5llu.%03llu ns/op\n", what, ps / 1000, ps % 1000);
}

static void percpu_release(struct percpu_ref *ref)
{
}

static int bench_access(struct device *dev)
{
	struct safe_revocable_domain *d;
	struct safe_revocable *r;
	struct holder *h;
	struct percpu_ref ref;
	struct srcu_struct srcu_s;
	u64 raw, bound, srcu, rcu, pref, acc;
	int ret;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->ptr = h;
	RCU_INIT_POINTER(h->rcu_ptr, h);
	h->srcu = &srcu_s;
	h->ref = &ref;
	ret = init_srcu_struct(&srcu_s);
	if (ret) {
		kfree(h);
		return ret;
	}
	d = safe_revocable_domain_create(dev);
	if (IS_ERR(d)) {
		cleanup_srcu_struct(&srcu_s);
		kfree(h);
		return PTR_ERR(d);
	}
	r = safe_revocable_create(d, h, NULL);
	ret = PTR_ERR_OR_ZERO(r);
	if (!ret)
		ret = percpu_ref_init(&ref, percpu_release, 0, GFP_KERNEL);
	if (ret)
		goto out;

	TIME_LOOP(raw, h, sink += (unsigned long)h->ptr);
	TIME_LOOP(bound, r, sink += (unsigned long)safe_revocable_bound(r, dev));

	TIME_LOOP(srcu, h, {
		int idx = srcu_read_lock(h->srcu);

		sink += (unsigned long)srcu_dereference(h->rcu_ptr, h->srcu);
		srcu_read_unlock(h->srcu, idx);
	});
	TIME_LOOP(rcu, h, {
		rcu_read_lock();
		sink += (unsigned long)rcu_dereference(h->rcu_ptr);
		rcu_read_unlock();
	});
	TIME_LOOP(pref, h, {
		if (percpu_ref_tryget_live(h->ref)) {
			sink += (unsigned long)h->ptr;
			percpu_ref_put(h->ref);
		}
	});
	TIME_LOOP(acc, r, {
		struct safe_revocable_access a;
		void *p = safe_revocable_try_access(r, &a);

		if (p)
			sink += (unsigned long)p;
		safe_revocable_end(&a);
	});

	pr_info("access, %d iterations, best of %d:\n", iters, reps);
	report("plain pointer load", raw, 0, "");
	report("safe_revocable_bound()", bound, raw, "plain load");
	report("srcu_read_lock/unlock + deref", srcu, 0, "");
	report("rcu_read_lock/unlock + deref", rcu, srcu, "SRCU pair");
	report("percpu_ref_tryget_live/put", pref, srcu, "SRCU pair");
	report("safe_revocable_try_access/end", acc, srcu, "SRCU pair");

#if IS_ENABLED(CONFIG_DRM)
	{
		static const struct drm_driver drv = { .name = "safe-bench",
						       .desc = "safe bench" };
		struct drm_device *drm = drm_dev_alloc(&drv, dev);
		u64 drmt;

		if (IS_ERR(drm)) {
			pr_info("drm_dev_enter: no drm device (%ld)\n", PTR_ERR(drm));
		} else {
			TIME_LOOP(drmt, drm, {
				int idx;

				if (drm_dev_enter(drm, &idx)) {
					sink += (unsigned long)h->ptr;
					drm_dev_exit(idx);
				}
			});
			report("drm_dev_enter/exit", drmt, srcu, "SRCU pair");
			report("safe_revocable_try_access/end", acc, drmt,
			       "drm_dev_enter");
			drm_dev_put(drm);
		}
	}
#endif
	percpu_ref_exit(&ref);
out:
	safe_revocable_domain_put(d);	/* revokes and frees r; h is ours */
	cleanup_srcu_struct(&srcu_s);
	kfree(h);
	return ret;
}

static u64 time_domain_revoke(int n, int *err)
{
	struct safe_revocable_domain *d = safe_revocable_domain_create(NULL);
	static char dummy;
	u64 t;
	int i;

	if (IS_ERR(d)) {
		*err = PTR_ERR(d);
		return 0;
	}
	for (i = 0; i < n; i++) {
		struct safe_revocable *r = safe_revocable_create(d, &dummy, NULL);

		if (IS_ERR(r)) {
			*err = PTR_ERR(r);
			safe_revocable_domain_put(d);
			return 0;
		}
	}
	t = ktime_get_ns();
	safe_revocable_domain_revoke(d);
	t = ktime_get_ns() - t;
	safe_revocable_domain_put(d);
	return t;
}

/* The per-resource model: every resource has its own SRCU to wait for. */
static u64 time_separate_revoke(int n, int *err)
{
	struct safe_revocable_domain **ds;
	static char dummy;
	u64 t = 0;
	int i, made;

	ds = kcalloc(n, sizeof(*ds), GFP_KERNEL);
	if (!ds) {
		*err = -ENOMEM;
		return 0;
	}
	for (made = 0; made < n; made++) {
		ds[made] = safe_revocable_domain_create(NULL);
		if (IS_ERR(ds[made]) ||
		    IS_ERR(safe_revocable_create(ds[made], &dummy, NULL))) {
			*err = -ENOMEM;
			if (!IS_ERR(ds[made]))
				made++;
			goto out;
		}
	}
	t = ktime_get_ns();
	for (i = 0; i < n; i++)
		safe_revocable_domain_revoke(ds[i]);
	t = ktime_get_ns() - t;
out:
	for (i = 0; i < made; i++)
		safe_revocable_domain_put(ds[i]);
	kfree(ds);
	return t;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

#define REVOKE_RUNS	9

static int bench_revoke(void)
{
	static const int sizes[] = { 1, 10, 100, 1000 };
	u64 best[ARRAY_SIZE(sizes)], sep, runs[REVOKE_RUNS];
	int i, r, err = 0;

	time_domain_revoke(1, &err);	/* warm up SRCU and the allocator */
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (r = 0; r < REVOKE_RUNS; r++)
			runs[r] = time_domain_revoke(sizes[i], &err);
		sort(runs, REVOKE_RUNS, sizeof(u64), cmp_u64, NULL);
		best[i] = runs[REVOKE_RUNS / 2];
	}
	for (r = 0; r < 3; r++)
		runs[r] = time_separate_revoke(1000, &err);
	sort(runs, 3, sizeof(u64), cmp_u64, NULL);
	sep = runs[1];
	if (err)
		return err;

	pr_info("revoke, median of %d:\n", REVOKE_RUNS);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		pr_info("one domain, %4d resources      %9llu us  %4llu.%02llux revoke(1)\n",
			sizes[i], div_u64(best[i], 1000),
			div64_u64(best[i] * 100, best[0]) / 100,
			div64_u64(best[i] * 100, best[0]) % 100);
	pr_info("1000 resources, 1000 domains    %9llu us  %4llu.%02llux one domain of 1000\n",
		div_u64(sep, 1000), div64_u64(sep * 100, best[3]) / 100,
		div64_u64(sep * 100, best[3]) % 100);
	return 0;
}

static int __init bench_init(void)
{
	struct platform_device *pdev;
	int ret;

	pdev = platform_device_register_simple("safe-bench", -1, NULL, 0);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	ret = bench_access(&pdev->dev);
	if (!ret)
		ret = bench_revoke();
	platform_device_unregister(pdev);
	pr_info("done (%d)\n", ret);
	return ret;
}
module_init(bench_init);

static void __exit bench_exit(void)
{
}
module_exit(bench_exit);

MODULE_DESCRIPTION("Benchmark of safe revocable access and revocation");
MODULE_LICENSE("GPL");
