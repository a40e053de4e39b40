// SPDX-License-Identifier: GPL-2.0
/*
 * Revocable access and revocation, against the alternatives, in one run.
 *
 * access (group "access"), one operation = one access that reads the
 * resource pointer, each found through an opaque private-data pointer:
 *   plain       a plain pointer load: no protection at all
 *   bound       safe_revocable_bound(): code the driver model keeps bound
 *   try_access  safe_revocable_try_access()/safe_revocable_end()
 *   scope       safe_revocable_scope(), the scoped form of the same
 *   srcu        srcu_read_lock() + srcu_dereference() + srcu_read_unlock()
 *               on a struct of the driver's own: what safe wraps
 *   rust_rcu    what Rust's Revocable::try_access() does: rcu_read_lock(),
 *               a relaxed load of an "available" flag, rcu_read_unlock()
 *               (its readers may not sleep; safe's may)
 *   drm         drm_dev_enter()/drm_dev_exit() on a real drm_device
 *   percpu_ref  percpu_ref_tryget_live()/percpu_ref_put() (kernfs-style
 *               active references)
 *
 * revocation (group "revoke"), one operation = one revocation:
 *   gp_srcu     synchronize_srcu_expedited() on an idle srcu_struct: the
 *               grace period every revocation waits for once
 *   gp_rcu      synchronize_rcu(): what Rust's Revocable::revoke() waits
 *               for, and what CONFIG_SAFE_DEBUG adds to every revocation
 *   domain_<N>  safe_revocable_domain_revoke() of one domain holding N
 *               resources (creation and the asynchronous free untimed)
 *   separate_<N> N resources with one domain, hence one srcu_struct, each,
 *               revoked one after the other: the per-resource SRCU model
 *   create_<N>  creating the N resources of a domain
 *
 * memory: the sizes the allocations of a domain and a resource really
 * take in this kernel (ksize()), and the per-CPU SRCU data of a domain.
 */
#include <linux/module.h>
#include <linux/percpu-refcount.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/safe/revocable.h>
#include "bench.h"

#if IS_ENABLED(CONFIG_DRM)
#include <drm/drm_drv.h>
#endif

struct rev_res {
	unsigned long val;
};

/* What a driver's private data holds, for each alternative. */
struct rev_holder {
	struct device *dev;
	void *ptr;
	struct safe_revocable *rev;
	SAFE_DECLARE_REVOCABLE(struct rev_res, typed);
	struct srcu_struct *srcu;
	struct rev_res __rcu *rcu_ptr;
	struct percpu_ref *ref;
	bool available;		/* Rust's Revocable::is_available */
	struct rev_res data;	/* Rust's Revocable keeps the data inline */
#if IS_ENABLED(CONFIG_DRM)
	struct drm_device *drm;
#endif
};

#define SINK(p)	(safe_bench_sink += (unsigned long)(p))

SAFE_BENCH_LOOP(acc_plain, struct rev_holder *, h, SINK(h->ptr))

SAFE_BENCH_LOOP(acc_bound, struct rev_holder *, h,
		SINK(safe_revocable_bound(h->rev, h->dev)))

SAFE_BENCH_LOOP(acc_try, struct rev_holder *, h, {
	struct safe_revocable_access a;
	void *p = safe_revocable_try_access(h->rev, &a);

	if (p)
		SINK(p);
	safe_revocable_end(&a);
})

SAFE_BENCH_LOOP(acc_scope, struct rev_holder *, h, {
	safe_revocable_scope(p, h->typed)
		SINK(p);
})

SAFE_BENCH_LOOP(acc_srcu, struct rev_holder *, h, {
	int idx = srcu_read_lock(h->srcu);
	struct rev_res *p = srcu_dereference(h->rcu_ptr, h->srcu);

	if (p)
		SINK(p);
	srcu_read_unlock(h->srcu, idx);
})

SAFE_BENCH_LOOP(acc_rust_rcu, struct rev_holder *, h, {
	rcu_read_lock();
	if (READ_ONCE(h->available))
		SINK(&h->data);
	rcu_read_unlock();
})

SAFE_BENCH_LOOP(acc_percpu_ref, struct rev_holder *, h, {
	if (percpu_ref_tryget_live(h->ref)) {
		SINK(h->ptr);
		percpu_ref_put(h->ref);
	}
})

#if IS_ENABLED(CONFIG_DRM)
SAFE_BENCH_LOOP(acc_drm, struct rev_holder *, h, {
	int idx;

	if (drm_dev_enter(h->drm, &idx)) {
		SINK(h->ptr);
		drm_dev_exit(idx);
	}
})

static const struct drm_driver rev_drm_driver = {
	.name = "safe-bench",
	.desc = "safe bench",
};
#endif

static const struct safe_bench_variant access_variants[] = {
	{ "plain", acc_plain },
	{ "bound", acc_bound },
	{ "try_access", acc_try },
	{ "scope", acc_scope },
	{ "srcu", acc_srcu },
	{ "rust_rcu", acc_rust_rcu },
	{ "percpu_ref", acc_percpu_ref },
#if IS_ENABLED(CONFIG_DRM)
	{ "drm", acc_drm },
#endif
};

static void rev_percpu_release(struct percpu_ref *ref)
{
}

int safe_bench_revocable_access(struct device *dev)
{
	struct safe_revocable_domain *d;
	struct percpu_ref ref;
	struct srcu_struct srcu;
	struct rev_holder *h;
	int ret;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	ret = init_srcu_struct(&srcu);
	if (ret)
		goto out_free;
	ret = percpu_ref_init(&ref, rev_percpu_release, 0, GFP_KERNEL);
	if (ret)
		goto out_srcu;
	d = safe_revocable_domain_create(dev);
	if (IS_ERR(d)) {
		ret = PTR_ERR(d);
		goto out_ref;
	}
	h->dev = dev;
	h->ptr = &h->data;
	h->srcu = &srcu;
	h->ref = &ref;
	h->available = true;
	RCU_INIT_POINTER(h->rcu_ptr, &h->data);
	ret = safe_revocable_init(h->typed, d, &h->data, NULL);
	if (ret)
		goto out_domain;
	h->rev = h->typed.rev;
#if IS_ENABLED(CONFIG_DRM)
	h->drm = drm_dev_alloc(&rev_drm_driver, dev);
	if (IS_ERR(h->drm)) {
		ret = PTR_ERR(h->drm);
		goto out_domain;
	}
#endif

	safe_bench_group("access", access_variants,
			 ARRAY_SIZE(access_variants), h, 2000);

#if IS_ENABLED(CONFIG_DRM)
	drm_dev_put(h->drm);
#endif
out_domain:
	safe_revocable_domain_revoke(d);
	safe_revocable_domain_put(d);
	safe_revocable_flush();
out_ref:
	percpu_ref_exit(&ref);
out_srcu:
	cleanup_srcu_struct(&srcu);
out_free:
	kfree(h);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Revocation                                                          */
/* ------------------------------------------------------------------ */

static char rev_dummy;

/* A domain with @n resources; creating them is timed into *@create_ns. */
static struct safe_revocable_domain *rev_domain(int n, u64 *create_ns)
{
	struct safe_revocable_domain *d = safe_revocable_domain_create(NULL);
	u64 t;
	int i;

	if (IS_ERR(d))
		return d;
	t = ktime_get_ns();
	for (i = 0; i < n; i++) {
		struct safe_revocable *r;

		r = safe_revocable_create(d, &rev_dummy, NULL);
		if (IS_ERR(r)) {
			safe_revocable_domain_put(d);
			return ERR_CAST(r);
		}
	}
	*create_ns = ktime_get_ns() - t;
	return d;
}

static int rev_time_domain(int n, int round)
{
	struct safe_revocable_domain *d;
	char name[48];
	u64 create, t;

	d = rev_domain(n, &create);
	if (IS_ERR(d))
		return PTR_ERR(d);
	t = ktime_get_ns();
	safe_revocable_domain_revoke(d);
	t = ktime_get_ns() - t;
	safe_revocable_domain_put(d);
	safe_revocable_flush();

	snprintf(name, sizeof(name), "revoke/domain_%d", n);
	safe_bench_time(name, round, t * 1000);
	snprintf(name, sizeof(name), "revoke/create_%d", n);
	safe_bench_time(name, round, create * 1000);
	return 0;
}

static int rev_time_separate(int n, int round)
{
	struct safe_revocable_domain **ds;
	int i, made, ret = 0;
	char name[48];
	u64 create, t = 0;

	ds = kcalloc(n, sizeof(*ds), GFP_KERNEL);
	if (!ds)
		return -ENOMEM;
	for (made = 0; made < n; made++) {
		ds[made] = rev_domain(1, &create);
		if (IS_ERR(ds[made])) {
			ret = PTR_ERR(ds[made]);
			goto out;
		}
	}
	t = ktime_get_ns();
	for (i = 0; i < n; i++)
		safe_revocable_domain_revoke(ds[i]);
	t = ktime_get_ns() - t;
	snprintf(name, sizeof(name), "revoke/separate_%d", n);
	safe_bench_time(name, round, t * 1000);
out:
	for (i = 0; i < made; i++)
		safe_revocable_domain_put(ds[i]);
	safe_revocable_flush();
	kfree(ds);
	return ret;
}

static void rev_time_gp(int round)
{
	struct srcu_struct *srcu = kzalloc(sizeof(*srcu), GFP_KERNEL);
	u64 t;

	if (srcu && !init_srcu_struct(srcu)) {
		/* A fresh one, as each revocation has its domain's. */
		t = ktime_get_ns();
		synchronize_srcu_expedited(srcu);
		t = ktime_get_ns() - t;
		safe_bench_time("revoke/gp_srcu", round, t * 1000);
		cleanup_srcu_struct(srcu);
	}
	kfree(srcu);

	t = ktime_get_ns();
	synchronize_rcu();
	t = ktime_get_ns() - t;
	safe_bench_time("revoke/gp_rcu", round, t * 1000);
}

static const int rev_domain_sizes[] = { 1, 10, 100, 1000, 10000 };
static const int rev_separate_sizes[] = { 1, 10, 100, 1000 };

int safe_bench_revocable_revoke(struct device *dev)
{
	int nd = ARRAY_SIZE(rev_domain_sizes), ns = ARRAY_SIZE(rev_separate_sizes);
	int nr = 1 + nd + ns;
	int round, k, ret;

	/* Warm up SRCU, the allocator and the workqueue. */
	ret = rev_time_domain(1, -1);
	for (round = 0; !ret && round < (int)safe_bench_rounds; round++) {
		for (k = 0; !ret && k < nr; k++) {
			int j = (round + k) % nr;

			if (j == 0)
				rev_time_gp(round);
			else if (j <= nd)
				ret = rev_time_domain(rev_domain_sizes[j - 1], round);
			else
				ret = rev_time_separate(rev_separate_sizes[j - 1 - nd],
							round);
			cond_resched();
		}
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* Memory                                                              */
/* ------------------------------------------------------------------ */

int safe_bench_revocable_memory(struct device *dev)
{
	struct safe_revocable_domain *d;
	struct safe_revocable *r;

	d = safe_revocable_domain_create(NULL);
	if (IS_ERR(d))
		return PTR_ERR(d);
	r = safe_revocable_create(d, &rev_dummy, NULL);
	if (IS_ERR(r)) {
		safe_revocable_domain_put(d);
		return PTR_ERR(r);
	}
	/* What kmalloc() really gave, not what was asked for. */
	safe_bench_mem("domain", ksize(d));
	safe_bench_mem("resource", ksize(r));
	safe_bench_mem("srcu_struct", sizeof(struct srcu_struct));
#ifdef CONFIG_TREE_SRCU
	/* init_srcu_struct() allocates these; srcu_data once per CPU. */
	safe_bench_mem("srcu_usage", ksize(d->srcu.srcu_sup));
	safe_bench_mem("srcu_data_per_cpu", sizeof(struct srcu_data));
#else
	safe_bench_mem("srcu_usage", 0);
	safe_bench_mem("srcu_data_per_cpu", 0);
#endif
	safe_revocable_domain_put(d);
	safe_revocable_flush();
	return 0;
}
