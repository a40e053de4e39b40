// SPDX-License-Identifier: GPL-2.0
/*
 * safe_guards: a tour of safe's guards that checks itself at load time.
 *
 * Each check prints "ok" or "FAIL"; the module refuses to load (-EINVAL)
 * when one fails, so "insmod" alone tells whether safe works on this
 * kernel.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/safe/free.h>
#include <linux/safe/guard.h>
#include <linux/safe/locked.h>

struct counters {
	unsigned long opens;
	unsigned long errors;
};

struct sample {
	/* The counters can only be reached with the mutex held. */
	SAFE_DECLARE_LOCKED(struct mutex, struct counters, stats);
	spinlock_t irq_lock;		/* taken with interrupts off */
	seqlock_t clock_lock;		/* protects sec and nsec */
	u64 sec, nsec;
};

static int checks, failures;

static void check(bool ok, const char *what)
{
	checks++;
	if (!ok)
		failures++;
	pr_info("%-44s %s\n", what, ok ? "ok" : "FAIL");
}

/* guard(): the lock is dropped on the early return too. */
static int count_open(struct sample *s, bool fail)
{
	guard(mutex)(&s->stats.lock);
	if (fail) {
		safe_locked_get(&s->stats)->errors++;
		return -EIO;
	}
	safe_locked_get(&s->stats)->opens++;
	return 0;
}

/* A conditional guard that fails reports its errno and skips the body. */
static int try_count(struct sample *s)
{
	ACQUIRE(mutex_try, g)(&s->stats.lock);
	int err = ACQUIRE_ERR(mutex_try, &g);

	if (err)
		return err;
	safe_locked_get(&s->stats)->opens++;
	return 0;
}

/* Ownership leaves through no_free_ptr(); every other path frees. */
static struct sample *sample_new(void)
{
	struct sample *s __free(kfree) = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	mutex_init(&s->stats.lock);
	spin_lock_init(&s->irq_lock);
	seqlock_init(&s->clock_lock);
	return_ptr(s);
}

static struct sample *the_sample;

static int __init safe_guards_init(void)
{
	struct sample *s = sample_new();
	unsigned long opens = 0, errors = 0;
	u64 sec, nsec;

	if (!s)
		return -ENOMEM;

	check(count_open(s, false) == 0, "guard(mutex) around an update");
	check(count_open(s, true) == -EIO, "guard(mutex) with an early return");
	check(!mutex_is_locked(&s->stats.lock), "mutex released on every exit");

	scoped_guard(mutex, &s->stats.lock)
		check(try_count(s) == -EBUSY, "ACQUIRE(mutex_try) reports -EBUSY");
	check(try_count(s) == 0, "ACQUIRE(mutex_try) succeeds when free");

	safe_locked_scope(mutex, c, &s->stats) {
		opens = c->opens;
		errors = c->errors;
	}
	check(opens == 2 && errors == 1, "locked data read in scope");

	scoped_guard(spinlock_irqsave, &s->irq_lock)
		check(irqs_disabled(), "spinlock_irqsave disables interrupts");
	check(!irqs_disabled(), "interrupts restored after the scope");

	scoped_guard(safe_write_seqlock, &s->clock_lock) {
		s->sec = 12;
		s->nsec = 34;
	}
	safe_seqlock_read(&s->clock_lock) {
		sec = s->sec;
		nsec = s->nsec;
	}
	check(sec == 12 && nsec == 34, "seqlock writer guard and reader loop");

	pr_info("%d/%d checks passed\n", checks - failures, checks);
	if (failures) {
		kfree(s);
		return -EINVAL;
	}
	the_sample = s;
	return 0;
}

static void __exit safe_guards_exit(void)
{
	kfree(the_sample);
}

module_init(safe_guards_init);
module_exit(safe_guards_exit);

MODULE_DESCRIPTION("Sample module that tours safe's guards");
MODULE_LICENSE("GPL");
