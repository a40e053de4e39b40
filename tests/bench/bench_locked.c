// SPDX-License-Identifier: GPL-2.0
/*
 * Lock-bound data (<linux/safe/locked.h>) against the bare lock.
 *
 * 1. Code: bench_raw_locked_<lock> and bench_safe_locked_<lock> update the
 *    same counters under the same lock, by hand and through the
 *    accessors (bench_safe_locked_get: safe_locked_get() under a spinlock
 *    taken by hand); scripts/bench-code.sh diffs their disassembly.
 *
 * 2. Speed (group "locked"), each operation one locked update found
 *    through an opaque private-data pointer: the bare lock with the data
 *    beside it, safe_locked_scope(), and safe_locked_get() under a lock
 *    taken by hand.
 */
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/safe/locked.h>
#include "bench.h"

struct lk_stats {
	unsigned long packets;
	unsigned long bytes;
};

/* The same layout as the lock-bound pair, so the code can be compared. */
struct lk_raw {
	struct mutex mutex;	/* protects mstats */
	struct lk_stats mstats;
	spinlock_t spin;	/* protects sstats */
	struct lk_stats sstats;
};

struct lk_safe {
	SAFE_DECLARE_LOCKED(struct mutex, struct lk_stats, mstats);
	SAFE_DECLARE_LOCKED(spinlock_t, struct lk_stats, sstats);
};

struct lk_bench {
	struct lk_raw raw;
	struct lk_safe safe;
};

/* ------------------------------------------------------------------ */
/* Code pairs                                                          */
/* ------------------------------------------------------------------ */

static noinline __used void bench_raw_locked_mutex(struct lk_raw *r, unsigned long len)
{
	mutex_lock(&r->mutex);
	r->mstats.packets++;
	r->mstats.bytes += len;
	mutex_unlock(&r->mutex);
}

static noinline __used void bench_safe_locked_mutex(struct lk_safe *s, unsigned long len)
{
	safe_locked_scope(mutex, st, &s->mstats) {
		st->packets++;
		st->bytes += len;
	}
}

static noinline __used void bench_raw_locked_spinlock(struct lk_raw *r, unsigned long len)
{
	spin_lock(&r->spin);
	r->sstats.packets++;
	r->sstats.bytes += len;
	spin_unlock(&r->spin);
}

static noinline __used void bench_safe_locked_spinlock(struct lk_safe *s, unsigned long len)
{
	safe_locked_scope(spinlock, st, &s->sstats) {
		st->packets++;
		st->bytes += len;
	}
}

static noinline __used void bench_safe_locked_get(struct lk_safe *s, unsigned long len)
{
	struct lk_stats *st;

	spin_lock(&s->sstats.lock);
	st = safe_locked_get(&s->sstats);
	st->packets++;
	st->bytes += len;
	spin_unlock(&s->sstats.lock);
}

/* ------------------------------------------------------------------ */
/* Speed                                                               */
/* ------------------------------------------------------------------ */

SAFE_BENCH_LOOP(lk_raw_mutex, struct lk_bench *, b, {
	mutex_lock(&b->raw.mutex);
	b->raw.mstats.packets++;
	b->raw.mstats.bytes += 64;
	mutex_unlock(&b->raw.mutex);
})

SAFE_BENCH_LOOP(lk_safe_mutex, struct lk_bench *, b, {
	safe_locked_scope(mutex, st, &b->safe.mstats) {
		st->packets++;
		st->bytes += 64;
	}
})

SAFE_BENCH_LOOP(lk_raw_spinlock, struct lk_bench *, b, {
	spin_lock(&b->raw.spin);
	b->raw.sstats.packets++;
	b->raw.sstats.bytes += 64;
	spin_unlock(&b->raw.spin);
})

SAFE_BENCH_LOOP(lk_safe_spinlock, struct lk_bench *, b, {
	safe_locked_scope(spinlock, st, &b->safe.sstats) {
		st->packets++;
		st->bytes += 64;
	}
})

SAFE_BENCH_LOOP(lk_safe_get, struct lk_bench *, b, {
	struct lk_stats *st;

	spin_lock(&b->safe.sstats.lock);
	st = safe_locked_get(&b->safe.sstats);
	st->packets++;
	st->bytes += 64;
	spin_unlock(&b->safe.sstats.lock);
})

static const struct safe_bench_variant locked_variants[] = {
	{ "raw_mutex", lk_raw_mutex },
	{ "safe_mutex", lk_safe_mutex },
	{ "raw_spinlock", lk_raw_spinlock },
	{ "safe_spinlock", lk_safe_spinlock },
	{ "safe_get", lk_safe_get },
};

int safe_bench_locked(struct device *dev)
{
	struct lk_bench *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return -ENOMEM;
	mutex_init(&b->raw.mutex);
	spin_lock_init(&b->raw.spin);
	mutex_init(&b->safe.mstats.lock);
	spin_lock_init(&b->safe.sstats.lock);

	safe_bench_group("locked", locked_variants,
			 ARRAY_SIZE(locked_variants), b, 2000);

	/* Both sides did the same work. */
	scoped_guard(spinlock, &b->safe.sstats.lock)
		safe_bench_sink += safe_locked_get(&b->safe.sstats)->packets +
				   b->raw.sstats.packets;
	kfree(b);
	return 0;
}
