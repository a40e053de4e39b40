// SPDX-License-Identifier: GPL-2.0
/*
 * Revocable device resources: revocation domains and their resources.
 *
 * The read side is inline in <linux/safe/revocable.h>; this file holds
 * what may sleep: creation, revocation and the final free.
 *
 * Locking: d->lock is a spinlock held only to change the domain's lists
 * and flags, never across a callback or a grace period.  Revocations wait
 * for each other on d->revoke_wq, and nothing is held while they wait for
 * readers, so a revocation never blocks the wake-up of a sleeping reader,
 * and a release callback may revoke other domains (a parent's release
 * unregistering a child device) without any lock of ours held.
 */
#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/safe/guard.h>
#include <linux/safe/dma.h>
#include <linux/safe/revocable.h>
#include <linux/export.h>
#include "internal.h"

/**
 * safe_revocable_in_access() - is the current task inside an access to @d?
 * @d: the domain
 *
 * Lockdep knows: every access holds the domain's SRCU read side.  Without
 * lockdep there is no per-task record to ask, and a revocation from inside
 * an access waits for itself, as synchronize_srcu() would.
 *
 * Context: any; @d must not be freed meanwhile.
 * Return: true inside an access to @d, as far as lockdep can tell; false
 * outside one, and always without lockdep.
 */
bool safe_revocable_in_access(struct safe_revocable_domain *d)
{
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	return lock_is_held(&d->srcu.dep_map) > 0;
#else
	return false;
#endif
}

static bool safe_revocable_may_revoke(struct safe_revocable_domain *d)
{
	might_sleep();
	return !WARN_ONCE(safe_revocable_in_access(d),
			  "safe: revocation from inside an access to the same domain would wait for itself\n");
}

/* Is the current task running @d's teardown callbacks? */
static bool safe_revocable_in_teardown(struct safe_revocable_domain *d)
{
	return READ_ONCE(d->teardown) == current;
}

static void safe_revocable_domain_free_work(struct work_struct *work);
static void safe_revocable_teardown_work(struct work_struct *work);

/*
 * Frees and teardowns queued on safe_wq that have not finished.  A flush
 * of the workqueue only waits for work queued before it began, and a free
 * queues another one when a release callback drops the last reference of
 * a second domain: safe_revocable_flush() waits for this to drop to 0.
 */
static atomic_t safe_revocable_pending = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(safe_revocable_pending_wq);

/*
 * Work on safe_wq pins the module that runs it, so that unloading it
 * (see safe_lib_exit()) waits for the work to return.
 */
static void safe_revocable_queue_work(struct work_struct *work)
{
	atomic_inc(&safe_revocable_pending);
	__module_get(THIS_MODULE);
	queue_work(safe_wq, work);
}

/* The last thing a work item of ours does; what it queued is counted. */
static void safe_revocable_work_done(void)
{
	if (atomic_dec_and_test(&safe_revocable_pending))
		wake_up_all(&safe_revocable_pending_wq);
	module_put(THIS_MODULE);
}

#ifdef CONFIG_DEBUG_LOCK_ALLOC
static void safe_revocable_names_free(struct safe_revocable_domain *d)
{
	kfree(d->borrow_name);
	kfree(d->teardown_name);
	kfree(d->turn_name);
	kfree_const(d->name);
}

/* Lockdep forgets the domain's classes, then their names go.  May sleep. */
static void safe_revocable_classes_forget(struct safe_revocable_domain *d)
{
	lockdep_unregister_key(&d->borrow_key);
	lockdep_unregister_key(&d->teardown_key);
	lockdep_unregister_key(&d->turn_key);
	lockdep_unregister_key(&d->key);
	safe_revocable_names_free(d);
}
#endif

/*
 * A lockdep class per domain, not per call site: two instances of one
 * driver may revoke each other's domain from inside an access, which
 * with one class looks like a domain revoked inside its own access.  The
 * domain's callbacks are two more (see safe_revocable_lockdep_wait()).
 */
static int safe_revocable_srcu_init(struct safe_revocable_domain *d,
				    const char *name)
{
	int ret;

#ifdef CONFIG_DEBUG_LOCK_ALLOC
	/*
	 * The classes' names too are the domain's own: lockdep forgets every
	 * class named from a module's memory when the module goes.
	 */
	d->name = kstrdup_const(name, GFP_KERNEL);
	d->turn_name = kasprintf(GFP_KERNEL, "%s:turn", name);
	d->teardown_name = kasprintf(GFP_KERNEL, "%s:teardown", name);
	d->borrow_name = kasprintf(GFP_KERNEL, "%s:borrow", name);
	if (!d->name || !d->turn_name || !d->teardown_name || !d->borrow_name) {
		safe_revocable_names_free(d);
		return -ENOMEM;
	}
	lockdep_register_key(&d->key);
	/*
	 * A key each, not subclasses of one: unregistering a key forgets
	 * only the classes of its subclass 0.
	 */
	lockdep_register_key(&d->turn_key);
	lockdep_register_key(&d->teardown_key);
	lockdep_register_key(&d->borrow_key);
	lockdep_init_map(&d->turn_map, d->turn_name, &d->turn_key, 0);
	lockdep_init_map(&d->teardown_map, d->teardown_name,
			 &d->teardown_key, 0);
	lockdep_init_map(&d->borrow_map, d->borrow_name, &d->borrow_key, 0);
	ret = __init_srcu_struct(&d->srcu, d->name, &d->key);
	if (ret)
		safe_revocable_classes_forget(d);
#else
	ret = init_srcu_struct(&d->srcu);
#endif
	return ret;
}

/* After the last access: lockdep forgets the classes.  May sleep. */
static void safe_revocable_srcu_cleanup(struct safe_revocable_domain *d)
{
	cleanup_srcu_struct(&d->srcu);
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	safe_revocable_classes_forget(d);
#endif
}

/* Create a domain; see safe_revocable_domain_create(). */
struct safe_revocable_domain *
__safe_revocable_domain_create(struct device *dev, const char *name)
{
	struct safe_revocable_domain *d __free(kfree) = NULL;
	struct safe_binding *b = NULL;
	int ret;

	/* An unchecked devm or lookup result: -EINVAL whatever memory says. */
	if (IS_ERR(dev))
		return ERR_PTR(-EINVAL);
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	ret = safe_lib_init();
	if (ret)
		return ERR_PTR(ret);
	if (dev) {
		b = safe_binding_get(dev, GFP_KERNEL);
		if (IS_ERR(b))
			return ERR_CAST(b);
	}
	ret = safe_revocable_srcu_init(d, name);
	if (ret) {
		safe_binding_put(b);
		return ERR_PTR(ret);
	}
	kref_init(&d->ref);
	spin_lock_init(&d->lock);
	INIT_LIST_HEAD(&d->resources);
	init_waitqueue_head(&d->wq);
	init_waitqueue_head(&d->revoke_wq);
	INIT_LIST_HEAD(&d->binding_node);
	INIT_WORK(&d->free_work, safe_revocable_domain_free_work);
	INIT_WORK(&d->teardown_work, safe_revocable_teardown_work);
	d->dev = get_device(dev);
	d->binding = b;
	if (b) {
		ret = safe_binding_add_domain(b, d);
		if (ret) {
			/* Unbound meanwhile: nothing was published yet. */
			safe_revocable_srcu_cleanup(d);
			safe_binding_put(b);
			put_device(dev);
			return ERR_PTR(ret);
		}
	}
	return_ptr(d);
}
EXPORT_SYMBOL_GPL(__safe_revocable_domain_create);

/*
 * The last reference is gone, possibly from atomic context or from inside
 * an access: revoke (if nobody did) and free from process context, after a
 * grace period, so no reader ever sees the domain freed under it.
 */
static void safe_revocable_domain_free_work(struct work_struct *work)
{
	struct safe_revocable_domain *d =
		container_of(work, struct safe_revocable_domain, free_work);
	struct safe_revocable *r, *tmp;

	/*
	 * The teardown's own reference: a callback may take one for work it
	 * hands cleanup to.  Then that work's put is the last, and queues
	 * this again on a domain already revoked.
	 */
	kref_init(&d->ref);
	safe_revocable_domain_revoke(d);
	if (!refcount_dec_and_test(&d->ref.refcount)) {
		safe_revocable_work_done();
		return;
	}
	/* Accesses that began after the revocation and saw it fail. */
	synchronize_srcu(&d->srcu);
	list_for_each_entry_safe(r, tmp, &d->resources, node)
		kfree(r);
	safe_revocable_srcu_cleanup(d);
	safe_binding_put(d->binding);
	put_device(d->dev);
	kfree(d);
	safe_revocable_work_done();
}

static void safe_revocable_domain_last_put(struct kref *ref)
{
	struct safe_revocable_domain *d =
		container_of(ref, struct safe_revocable_domain, ref);

	safe_revocable_queue_work(&d->free_work);
}

/**
 * safe_revocable_domain_get() - take a reference to a domain
 * @d: the domain
 *
 * Anything that can run after unbind and still holds a resource handle (an
 * open file, a timer, work on another driver's queue) must hold one: it
 * keeps the handles valid, and their accesses then simply fail.
 *
 * Context: any.
 * Return: nothing.  NULL or an error pointer is ignored.
 */
void safe_revocable_domain_get(struct safe_revocable_domain *d)
{
	if (!IS_ERR_OR_NULL(d))
		kref_get(&d->ref);
}
EXPORT_SYMBOL_GPL(safe_revocable_domain_get);

/**
 * safe_revocable_domain_put() - drop a reference to a domain
 * @d: the domain; NULL or an error pointer is ignored
 *
 * The last put hands the domain to a workqueue, which revokes what is
 * still live, waits for the accesses in flight and frees the domain and
 * all its resources; safe_revocable_flush() waits for that.  So a put
 * never sleeps, and may come from a timer, an interrupt handler or from
 * inside an access to @d itself.
 *
 * Context: any.
 * Return: nothing.
 */
void safe_revocable_domain_put(struct safe_revocable_domain *d)
{
	if (!IS_ERR_OR_NULL(d))
		kref_put(&d->ref, safe_revocable_domain_last_put);
}
EXPORT_SYMBOL_GPL(safe_revocable_domain_put);

/**
 * safe_revocable_flush() - wait for domains whose last reference is gone
 *
 * Their release callbacks have run and their memory is freed when it
 * returns, and so for domains whose last reference those callbacks
 * dropped, and for teardowns deferred to safe's workqueue; a domain a
 * callback took a new reference to stays until that is dropped.  DMA frees
 * deferred from atomic context before the call have run too.
 *
 * Context: process context; may sleep.  Not from a release callback
 * or a DMA quiesce callback.
 * Return: nothing.
 */
void safe_revocable_flush(void)
{
	/* The library's other deferred work: DMA frees from atomic context. */
	__safe_dma_flush_deferred();
	if (safe_wq)
		flush_workqueue(safe_wq);
	wait_event(safe_revocable_pending_wq,
		   !atomic_read(&safe_revocable_pending));
}
EXPORT_SYMBOL_GPL(safe_revocable_flush);

/* Create a resource; see safe_revocable_create(). */
static struct safe_revocable *
__safe_revocable_create(struct safe_revocable_domain *d, void *ptr,
			void (*quiesce)(void *ptr), void (*release)(void *ptr))
{
	struct safe_revocable *r;

	if (IS_ERR_OR_NULL(d) || !ptr)
		return ERR_PTR(-EINVAL);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	r->domain = d;
	r->quiesce = quiesce;
	r->release = release;
	RCU_INIT_POINTER(r->ptr, ptr);

	scoped_guard(spinlock, &d->lock) {
		if (!d->dead) {
			list_add_tail(&r->node, &d->resources);
			return r;
		}
	}
	kfree(r);
	return ERR_PTR(-ENODEV);
}

/**
 * safe_revocable_create() - register a resource with a domain
 * @d: the domain
 * @ptr: the resource; must not be NULL
 * @release: called once with @ptr after it is revoked and no access to it
 *	remains, or NULL
 *
 * The returned handle belongs to the domain and stays valid for as long as
 * a reference to the domain is held, unless safe_revocable_destroy() frees
 * it before.
 *
 * Context: process context; may sleep.  Not from inside an access.
 * Return: the handle; ERR_PTR(-EINVAL) for a NULL @ptr or a NULL or error
 * pointer @d, ERR_PTR(-ENODEV) once the domain is revoked,
 * ERR_PTR(-ENOMEM).
 */
struct safe_revocable *safe_revocable_create(struct safe_revocable_domain *d,
					     void *ptr, void (*release)(void *ptr))
{
	return __safe_revocable_create(d, ptr, NULL, release);
}
EXPORT_SYMBOL_GPL(safe_revocable_create);

/**
 * safe_revocable_create_quiesced() - register a resource with a quiesce step
 * @d: the domain
 * @ptr: the resource; must not be NULL
 * @quiesce: called with @ptr when the domain is revoked, after the accesses
 *	in flight ended and before any release callback of the domain runs
 * @release: called once with @ptr after it is revoked, or NULL
 *
 * For a resource that the device itself uses, such as DMA memory: the
 * quiesce step stops the device while every other resource of the domain
 * is still there to do it with (see safe_revocable_teardown()).  Revoking
 * the resource alone runs @quiesce right before @release.
 *
 * Context: process context; may sleep.  Not from inside an access.
 * Return: the handle, or an ERR_PTR() as safe_revocable_create().
 */
struct safe_revocable *
safe_revocable_create_quiesced(struct safe_revocable_domain *d, void *ptr,
			       void (*quiesce)(void *ptr),
			       void (*release)(void *ptr))
{
	return __safe_revocable_create(d, ptr, quiesce, release);
}
EXPORT_SYMBOL_GPL(safe_revocable_create_quiesced);

/*
 * Unpublish @r; the caller holds d->lock.  Only the first revocation of a
 * resource gets to release it.
 */
static bool safe_revocable_unpublish(struct safe_revocable *r)
{
	lockdep_assert_held(&r->domain->lock);
	if (r->revoked)
		return false;
	r->revoked = true;
	r->old = rcu_replace_pointer(r->ptr, NULL,
				     lockdep_is_held(&r->domain->lock));
	return true;
}

/**
 * safe_revocable_detach() - take a resource no access reaches off its domain
 * @r: the resource
 *
 * For safe's own bookkeeping resources (the ->fasync drain), whose pointer
 * no access ever loads and which only the caller holds: no grace period,
 * no callback runs, and @r is freed, so a domain whose registrations come
 * and go does not keep one per registration until it is freed itself.
 *
 * Context: process context (the domain's lock is not irq-safe).
 * Return: true if it was detached and freed, and its callbacks will never
 * run; false if a revocation has it already, which runs them.
 */
bool safe_revocable_detach(struct safe_revocable *r)
{
	scoped_guard(spinlock, &r->domain->lock) {
		if (r->revoked)
			return false;
		/* Not revoked: no teardown is walking the list. */
		list_del(&r->node);
	}
	kfree(r);
	return true;
}

static void safe_revocable_quiesce(struct safe_revocable *r)
{
	if (r->old && r->quiesce)
		r->quiesce(r->old);
}

static void safe_revocable_release(struct safe_revocable *r)
{
	void *old;

	/* From now on safe_revocable_teardown() no longer hands it out. */
	scoped_guard(spinlock, &r->domain->lock) {
		old = r->old;
		r->old = NULL;
	}
	if (old && r->release)
		r->release(old);
	scoped_guard(spinlock, &r->domain->lock)
		r->released = true;
	wake_up_all(&r->domain->revoke_wq);
}

/*
 * Revocation is rare (unbind, unplug) and someone waits for it, so skip
 * SRCU's batching delays.  Expedited SRCU sends no IPIs and only affects
 * this domain's srcu_struct.  Debug builds also wait for an RCU grace
 * period: safe_revocable_bound() callers in atomic context that raced the
 * revocation and passed its check have finished before any release.
 */
static void safe_revocable_wait_readers(struct safe_revocable_domain *d)
{
	synchronize_srcu_expedited(&d->srcu);
	if (IS_ENABLED(CONFIG_SAFE_DEBUG))
		synchronize_rcu();
	scoped_guard(spinlock, &d->lock)
		d->grace_periods++;
}

/*
 * Is the current task running a single revocation in @d?  Its callbacks
 * must not wait for another revocation of @d: the domain's waits for
 * them, and two single ones could wait for each other.
 */
static bool safe_revocable_revoking(struct safe_revocable_domain *d)
{
	struct safe_revocable *r;

	lockdep_assert_held(&d->lock);
	list_for_each_entry(r, &d->resources, node)
		if (r->revoker == current)
			return true;
	return false;
}

/*
 * For lockdep, a domain's callbacks are two locks, so that a callback
 * waiting for a task that waits for them (cancel_work_sync() of work that
 * revokes in the same domain) is a reported cycle, not a silent hang:
 *
 * - turn_map is the turn of single revocations: held while one runs its
 *   callbacks, and taken for a moment by the teardown before it waits for
 *   them, and by a revocation waiting for a resource that another single
 *   revocation releases.  Like a mutex, it predicts the cycle from two
 *   runs that never overlapped.
 * - teardown_map is held while the domain's teardown runs its callbacks,
 *   and taken for a moment only by a revocation that will wait for the
 *   whole teardown, as flush_work() does for a busy work item.
 *
 * They are apart because a single revocation and a teardown never wait
 * for each other's callbacks the other way round: the teardown waits for
 * single revocations before its own callbacks.  A revocation waiting for
 * a resource the teardown releases waits for part of it only; lockdep is
 * not told, since that wait ends before any later-created resource's
 * callbacks (see Documentation/revocable.rst).
 *
 * A wait for one of them takes it for a moment, as flush_work() does.
 */
static void safe_revocable_lockdep_wait(struct lockdep_map *map)
{
	lock_map_acquire(map);
	lock_map_release(map);
}

/*
 * Single revocations of @d run their callbacks one at a time, so that a
 * callback can reach the sibling resources (safe_revocable_teardown()):
 * no other single revocation releases one meanwhile, and the domain's
 * teardown waits for @busy.  A callback revoking a sibling runs that
 * revocation's callbacks itself, in the turn it has.  True: the caller
 * took the turn, and ends it with safe_revocable_callbacks_end().
 */
static bool safe_revocable_callbacks_take(struct safe_revocable_domain *d)
{
	return !cmpxchg(&d->callbacks, NULL, current);
}

static bool safe_revocable_callbacks_begin(struct safe_revocable_domain *d)
{
	if (READ_ONCE(d->callbacks) == current)
		return false;
	lock_map_acquire(&d->turn_map);
	wait_event(d->revoke_wq, safe_revocable_callbacks_take(d));
	return true;
}

static void safe_revocable_callbacks_end(struct safe_revocable_domain *d)
{
	lock_map_release(&d->turn_map);
	WRITE_ONCE(d->callbacks, NULL);
}

/* safe_revocable_revoke(), holding a reference to @d. */
static int __safe_revocable_revoke(struct safe_revocable *r,
				   struct safe_revocable_domain *d)
{
	bool mine, owned, took, turn;

	if (!safe_revocable_may_revoke(d))
		return -EDEADLK;
	/* A teardown callback revoking a sibling: the teardown releases it. */
	if (safe_revocable_in_teardown(d))
		return 0;

	scoped_guard(spinlock, &d->lock) {
		mine = safe_revocable_unpublish(r);
		if (mine) {
			r->revoker = current;
			d->busy++;
		}
		/* Our callback's revocation, or one waiting for it, owns @r. */
		owned = !mine && safe_revocable_revoking(d);
		turn = !mine && !r->by_domain && !r->released;
	}
	if (owned)
		return 0;
	if (!mine) {
		/* Released by another single revocation, in its turn. */
		if (turn)
			safe_revocable_lockdep_wait(&d->turn_map);
		wait_event(d->revoke_wq, READ_ONCE(r->released));
		return 0;
	}

	safe_revocable_wait_readers(d);
	took = safe_revocable_callbacks_begin(d);
	safe_revocable_quiesce(r);
	safe_revocable_release(r);
	scoped_guard(spinlock, &d->lock) {
		r->revoker = NULL;
		d->busy--;
		if (took)
			safe_revocable_callbacks_end(d);
	}
	wake_up_all(&d->revoke_wq);
	return 0;
}

/*
 * safe_revocable_revoke(), and with @unlink safe_revocable_destroy(),
 * holding a reference of our own: a callback may drop the caller's last
 * one, and the domain must not be freed before our final wake-up.
 */
static int safe_revocable_revoke_ref(struct safe_revocable *r, bool unlink)
{
	struct safe_revocable_domain *d;
	bool mine = false;
	int ret;

	if (IS_ERR_OR_NULL(r))
		return -EINVAL;
	d = r->domain;
	safe_revocable_domain_get(d);
	ret = __safe_revocable_revoke(r, d);
	/*
	 * Released by a single revocation that is over (no revoker left
	 * to touch @r), and no teardown walks the list (it marks the domain
	 * dead first): take it off.  When a callback's revocation owns @r,
	 * the call above returned before the release, and @r stays.
	 */
	if (unlink && !ret) {
		scoped_guard(spinlock, &d->lock) {
			mine = !d->dead && r->released && !r->revoker &&
			       !r->by_domain;
			if (mine)
				list_del(&r->node);
		}
	}
	if (mine)
		kfree(r);
	safe_revocable_domain_put(d);
	return ret;
}

/**
 * safe_revocable_revoke() - revoke one resource
 * @r: the resource
 *
 * After it returns, no access to @r is in flight (nor to any other resource
 * of the domain that was in flight when it started), every new access
 * fails, and the quiesce and release callbacks have run.  Revoking again
 * does nothing.  Costs one SRCU grace period, which waits for every access
 * to the domain, sleepers in safe_revocable_wait() included: revoke single
 * resources only where no access sleeps for long, or revoke the domain,
 * which wakes them first.
 *
 * From a quiesce or release callback of the same domain it never waits
 * for another revocation: a resource that one is revoking (the callback's
 * own, or a sibling that the domain's revocation owns and that waits for
 * the callback) is released by it, after the callback returns.
 *
 * The callbacks of single revocations in one domain run one at a time, so
 * they reach the sibling resources with safe_revocable_teardown(); they
 * must not wait for another revocation of the domain.
 *
 * Context: process context; may sleep.  Not from inside an access to the
 * same domain: that is detected (with lockdep) and refused.
 * Return: 0; -EDEADLK when called from inside an access; -EINVAL for a
 * NULL or error pointer @r.
 */
int safe_revocable_revoke(struct safe_revocable *r)
{
	return safe_revocable_revoke_ref(r, false);
}
EXPORT_SYMBOL_GPL(safe_revocable_revoke);

/**
 * safe_revocable_destroy() - revoke a resource and free its handle
 * @r: the resource
 *
 * safe_revocable_revoke(), after which the handle goes too.  A revoked
 * handle otherwise stays with its domain, valid for a second revocation,
 * until the domain is freed: a resource that comes and goes while its
 * domain lives (created at open, revoked at release) would leave one
 * behind per open.  The handle stays on until the domain is freed where
 * the domain's own revocation has taken @r, and where the call comes from
 * a callback of the domain's revocation that releases @r.
 *
 * As for kfree(), the caller holds the only copy of @r: every path that
 * could still load it (an interrupt handler, a timer, work, another
 * file's operations, a quiesce or release callback of the domain or a DMA
 * quiesce callback of its device that reaches it through
 * safe_revocable_teardown()) is stopped, or has dropped its copy, before
 * the call.  Accesses that have already entered are waited for, as by
 * safe_revocable_revoke(); one that loaded @r and has not entered yet
 * is not, and would read freed memory.
 *
 * Context: process context; may sleep.  Not from inside an access to the
 * same domain: refused with lockdep, as by safe_revocable_revoke(), and
 * a deadlock without it.
 * Return: 0, the handle freed or left to the domain; -EDEADLK when called
 * from inside an access, with nothing revoked or freed; -EINVAL for a
 * NULL or error pointer @r.
 */
int safe_revocable_destroy(struct safe_revocable *r)
{
	return safe_revocable_revoke_ref(r, true);
}
EXPORT_SYMBOL_GPL(safe_revocable_destroy);

/*
 * The teardown proper, once the domain is dead and its sleepers woken.
 * Single revocations that started before it run their callbacks first:
 * R3 holds across them, and a quiesce callback here that reaches their
 * resource finds it released, never half way.  Their grace periods end,
 * since the sleepers are woken and no access can start.
 */
static void safe_revocable_finish(struct safe_revocable_domain *d,
				  bool sweep)
{
	struct safe_revocable *r;

	safe_revocable_wait_readers(d);
	/*
	 * Again: a ->poll that entered before the domain died may have
	 * queued itself after the first wake-up.  It has left its access
	 * now, and every later one fails.
	 */
	wake_up_all(&d->wq);
	safe_revocable_lockdep_wait(&d->turn_map);
	wait_event(d->revoke_wq, !READ_ONCE(d->busy));

	/*
	 * No access or revocation is left and none can start.  The list is
	 * stable: the domain is dead, so nothing is added.  Quiesce
	 * everything before releasing anything, so quiesce callbacks still
	 * find every resource through safe_revocable_teardown().
	 */
	lock_map_acquire(&d->teardown_map);
	WRITE_ONCE(d->teardown, current);
	list_for_each_entry_reverse(r, &d->resources, node)
		if (r->by_domain)
			safe_revocable_quiesce(r);
	if (sweep && d->binding)
		safe_dma_sweep(d->binding, false);
	/*
	 * DMA quiesce callbacks of the device that other tasks run meanwhile
	 * (an owner's free racing this) may have borrowed resources from
	 * safe_revocable_teardown(): release nothing under them.  Once
	 * @releasing is set, later ones get NULL.
	 */
	if (d->binding) {
		scoped_guard(spinlock, &d->lock)
			d->releasing = true;
		safe_revocable_lockdep_wait(&d->borrow_map);
		safe_binding_wait_borrowers(d->binding, d);
	}
	list_for_each_entry_reverse(r, &d->resources, node)
		if (r->by_domain)
			safe_revocable_release(r);
	WRITE_ONCE(d->teardown, NULL);
	lock_map_release(&d->teardown_map);

	safe_binding_forget_domain(d);
	WRITE_ONCE(d->revoked, true);
	wake_up_all(&d->revoke_wq);
}

/* A teardown that could not run where it was asked for; see below. */
static void safe_revocable_teardown_work(struct work_struct *work)
{
	struct safe_revocable_domain *d =
		container_of(work, struct safe_revocable_domain, teardown_work);

	safe_revocable_finish(d, d->sweep);
	safe_revocable_domain_put(d);
	safe_revocable_work_done();
}

/*
 * The teardown's first step, under @d's lock: no access starts from now
 * on, and every resource is unpublished for the teardown to release.
 * True for the caller that did it.
 */
static bool safe_revocable_mark_dead(struct safe_revocable_domain *d)
{
	struct safe_revocable *r;

	lockdep_assert_held(&d->lock);
	if (d->dead)
		return false;
	WRITE_ONCE(d->dead, true);
	list_for_each_entry(r, &d->resources, node)
		r->by_domain = safe_revocable_unpublish(r);
	return true;
}

/**
 * safe_revocable_domain_kill() - mark a domain dead, its teardown elsewhere
 * @d: the domain; the caller's access to it keeps it from being freed
 *
 * For an unbind from inside an access to a domain whose last reference is
 * gone: its teardown, queued already, waits for that access.  The unbind
 * takes the teardown's first step, so that no access starts after it and
 * sleepers leave theirs, and DMA quiesce callbacks of its sweep borrow the
 * resources (safe_revocable_teardown()); the rest runs where it was
 * queued.
 *
 * Context: process context, inside an access to @d.
 * Return: nothing.
 */
void safe_revocable_domain_kill(struct safe_revocable_domain *d)
{
	bool first;

	scoped_guard(spinlock, &d->lock)
		first = safe_revocable_mark_dead(d);
	if (first)
		wake_up_all(&d->wq);
}

/*
 * Revoke the whole domain.  Marking it dead and waking its sleepers come
 * first and take nothing but the spinlock, so a revocation of a single
 * resource in progress (which waits for those sleepers) cannot hold this
 * one up.  With @sweep (unbind), the device's DMA buffers that their
 * owners have not freed are quiesced and freed in the teardown too.
 */
static int safe_revocable_domain_teardown(struct safe_revocable_domain *d,
					  bool sweep)
{
	bool refused = !safe_revocable_may_revoke(d);
	bool first, own, revoking;

	/*
	 * From inside an access we cannot wait for it.  At unbind (the devm
	 * release, or the binding's) the domain still dies, so that no
	 * other task starts an access after unbind; elsewhere nothing is
	 * done.
	 */
	if (refused && !sweep &&
	    !(d->binding && READ_ONCE(d->binding->dead)))
		return -EDEADLK;
	if (safe_revocable_in_teardown(d))
		return 0;

	scoped_guard(spinlock, &d->lock) {
		first = safe_revocable_mark_dead(d);
		own = !d->finishing;
		d->finishing = true;
		revoking = safe_revocable_revoking(d);
	}
	/* Sleepers inside accesses must leave them, or we wait forever. */
	if (first)
		wake_up_all(&d->wq);

	/*
	 * A callback of a single revocation in @d, or an unbind inside an
	 * access: the teardown waits for that revocation or access, so it
	 * cannot run, or be waited for, here.  No access can start any more;
	 * the rest runs on safe_wq, or in the teardown already under way,
	 * once they are over.  The binding's release sweeps the buffers of
	 * an unbind.
	 */
	if (revoking || refused) {
		if (own) {
			d->sweep = sweep && !refused;
			kref_get(&d->ref);
			safe_revocable_queue_work(&d->teardown_work);
		}
		return refused ? -EDEADLK : -EINPROGRESS;
	}
	if (!own) {
		/* Another task's teardown, which waits for single ones too. */
		if (!READ_ONCE(d->revoked)) {
			safe_revocable_lockdep_wait(&d->turn_map);
			safe_revocable_lockdep_wait(&d->teardown_map);
		}
		wait_event(d->revoke_wq, READ_ONCE(d->revoked));
		return 0;
	}
	safe_revocable_finish(d, sweep);
	return 0;
}

/**
 * safe_revocable_domain_revoke() - revoke every resource of a domain
 * @d: the domain
 *
 * Marks the domain dead (new accesses and new resources fail), wakes
 * sleepers on its wait queue, waits one SRCU grace period for the
 * accesses in flight and for single-resource revocations in progress to
 * finish, then runs the quiesce callbacks and then the release callbacks
 * of all resources, each in reverse order of creation.  Before the
 * release callbacks it waits for the DMA quiesce callbacks of other tasks
 * that borrowed the domain's resources (see safe_revocable_teardown()).
 * Revoking again does nothing; a concurrent caller returns once the first
 * one has finished.
 *
 * From a callback that the domain's revocation runs it does nothing.
 * From a callback that safe_revocable_revoke() runs on one of @d's
 * resources it cannot wait (the domain's revocation waits for that
 * callback): it marks @d dead, so no access can start, and returns; the
 * rest follows once the callback has returned, on safe's workqueue
 * (safe_revocable_flush() waits for it) or in the revocation already
 * under way.
 *
 * Context: process context; may sleep.  Not from inside an access to @d:
 * that is detected (with lockdep) and refused.  When @d's device is being
 * unbound, a refusal still marks @d dead, and the rest follows on safe's
 * workqueue once the access has ended.
 * Return: 0; -EDEADLK when called from inside an access (nothing done but
 * that);
 * -EINPROGRESS from a callback of a single-resource revocation of @d;
 * -EINVAL for a NULL or error pointer @d.
 */
int safe_revocable_domain_revoke(struct safe_revocable_domain *d)
{
	int ret;

	if (IS_ERR_OR_NULL(d))
		return -EINVAL;
	/* As safe_revocable_revoke(): held until our last wake-up. */
	safe_revocable_domain_get(d);
	ret = safe_revocable_domain_teardown(d, false);
	safe_revocable_domain_put(d);
	return ret;
}
EXPORT_SYMBOL_GPL(safe_revocable_domain_revoke);

/*
 * A DMA quiesce callback of the domain's device, run by another task
 * while the domain's teardown is under way (an owner freeing its buffer
 * as the device leaves): lent first, so that the teardown waits for the
 * callback before it releases anything (see safe_revocable_finish()),
 * then checked.  Not a quiesce callback: NULL, and a warning for a
 * resource not released.
 */
static void *safe_revocable_teardown_lend(struct safe_revocable *r)
{
	struct safe_revocable_domain *d = r->domain;
	int lent = safe_binding_lend(d->binding, d);
	void *res;

	if (lent == -ENOENT) {
		WARN_ONCE(1, "safe: %s() outside the callbacks of a revocation\n",
			  "safe_revocable_teardown");
		return NULL;
	}
	if (WARN_ONCE(lent == -EBUSY,
		      "safe: a quiesce callback borrowed from more than %d domains\n",
		      SAFE_QUIESCER_LOANS))
		return NULL;
	/* A loan already held: the teardown waits for it, @releasing or not. */
	scoped_guard(spinlock, &d->lock)
		res = r->by_domain && (lent || !d->releasing) ? r->old : NULL;
	/*
	 * A trylock for lockdep: the borrower never waits for the map, only
	 * the teardown does, and what the borrower takes while holding it is
	 * what the teardown must not hold.
	 */
	if (!lent && res)
		lock_map_acquire_try(&d->borrow_map);
	else if (!lent)
		safe_binding_unlend(d->binding, d);
	return res;
}

/**
 * safe_revocable_loan_end() - a quiesce callback that borrowed from @d is over
 * @d: the domain
 *
 * Only tells lockdep; the teardown waits for the quiescer's list entry.
 *
 * Context: the task that borrowed, before its entry leaves the list.
 * Return: nothing.
 */
void safe_revocable_loan_end(struct safe_revocable_domain *d)
{
	lock_map_release(&d->borrow_map);
}

/**
 * safe_revocable_teardown() - a resource, from its domain's teardown
 * @r: the resource
 *
 * Quiesce and release callbacks run outside any access, and in a domain's
 * teardown none can start.  This gives them the resources of the domain
 * that have not been released yet.  In the domain's teardown: all of them
 * in a quiesce callback, and the ones created before (released after) the
 * current one in a release callback.  In the callbacks of
 * safe_revocable_revoke(): every resource not released yet, which stays
 * until the callback returns (other single revocations wait for it, and
 * so does the domain's teardown).  A quiesce callback that stops a DMA
 * engine reaches the registers this way, whether its buffer is revoked
 * alone or with the domain.  So does the quiesce callback of a DMA buffer
 * of the domain's device that another task runs while the domain's
 * teardown is under way (an owner freeing its buffer as the device
 * leaves): it borrows the resources the teardown revoked, and the
 * teardown releases none of them before that callback has returned.  A
 * callback that had not borrowed from the domain yet gets NULL, without a
 * warning, once the teardown is about to release; one that borrowed must
 * not wait for that domain's revocation, nor for a lock or event held by
 * a task revoking it (lockdep sees such a cycle through the domain's
 * "<call site>:borrow" class).  One callback borrows from at most
 * SAFE_QUIESCER_LOANS (4) domains.
 *
 * Context: a quiesce or release callback run by the revocation of @r's
 * domain or of one of its resources, or a DMA quiesce callback of the
 * domain's device during the domain's teardown; not under a lock that
 * interrupt handlers take (it takes the domain's lock, which is not
 * irq-safe).  Anywhere else it returns NULL, and warns once if @r is not
 * released yet (a resource still live is reached through an access).
 * Return: the resource, or NULL once released (or for a NULL or error
 * pointer @r).
 */
void *safe_revocable_teardown(struct safe_revocable *r)
{
	struct safe_revocable_domain *d;

	if (IS_ERR_OR_NULL(r))
		return NULL;
	d = r->domain;
	/* Single revocations are over: only this task writes ->old now. */
	if (safe_revocable_in_teardown(d))
		return r->old;
	/*
	 * Released: gone for good, whoever asks.  A quiesce callback that
	 * the device's sweep runs after the domain was revoked by hand gets
	 * this answer, and must stop its engine without the resource.
	 */
	if (READ_ONCE(r->released))
		return NULL;
	if (READ_ONCE(d->dead) && READ_ONCE(d->callbacks) != current &&
	    d->binding)
		return safe_revocable_teardown_lend(r);
	if (WARN_ONCE(READ_ONCE(d->callbacks) != current,
		      "safe: %s() outside the callbacks of a revocation\n",
		      __func__))
		return NULL;
	/* Published, or unpublished and not released: nobody frees it now. */
	guard(spinlock)(&d->lock);
	return rcu_dereference_protected(r->ptr, lockdep_is_held(&d->lock)) ?:
	       r->old;
}
EXPORT_SYMBOL_GPL(safe_revocable_teardown);

/**
 * safe_revocable_domain_grace_periods() - grace periods revocation waited for
 * @d: the domain
 *
 * A test and benchmark hook: revoking a whole domain adds one, however
 * many resources it has.
 *
 * Context: any.
 * Return: the count.
 */
unsigned long safe_revocable_domain_grace_periods(struct safe_revocable_domain *d)
{
	return READ_ONCE(d->grace_periods);
}
EXPORT_SYMBOL_GPL(safe_revocable_domain_grace_periods);

/*
 * The devm action: at unbind, but also when its devres group is released
 * or devm_add_action_or_reset() fails while the device stays.  Only a
 * device that is leaving has its other buffers swept.
 */
static void safe_revocable_devm_release(void *data)
{
	struct safe_revocable_domain *d = data;

	safe_revocable_domain_teardown(d, safe_device_leaving(d->dev, true));
	safe_revocable_domain_put(d);
}

/* A domain revoked at unbind; see devm_safe_revocable_domain_create(). */
struct safe_revocable_domain *
__devm_safe_revocable_domain_create(struct device *dev, const char *name)
{
	struct safe_revocable_domain *d;
	int ret;

	if (IS_ERR_OR_NULL(dev))
		return ERR_PTR(-EINVAL);
	d = __safe_revocable_domain_create(dev, name);
	if (IS_ERR(d))
		return d;
	ret = devm_add_action_or_reset(dev, safe_revocable_devm_release, d);
	if (ret)
		return ERR_PTR(ret);
	return d;
}
EXPORT_SYMBOL_GPL(__devm_safe_revocable_domain_create);

#ifdef CONFIG_SAFE_DEBUG
/**
 * safe_revocable_check_bound() - verify a safe_revocable_bound() claim
 * @r: the resource
 * @dev: the device the caller says is bound
 * @ptr: what the caller loaded from @r
 *
 * Checked after the load, so a revocation that started before it is seen.
 * The device counts as bound while it has a driver: from probe() through
 * remove() and the devres actions that follow it.
 *
 * Context: any.
 * Return: @ptr if the claim holds; NULL, after a one-time warning, when
 * @dev is not the domain's device, has no driver, or @r is revoked.
 */
void *safe_revocable_check_bound(struct safe_revocable *r, struct device *dev,
				 void *ptr)
{
	struct safe_revocable_domain *d = r->domain;

	if (WARN_ONCE(dev != d->dev,
		      "safe: bound access through %s, but the domain belongs to %s\n",
		      dev ? dev_name(dev) : "(null)",
		      d->dev ? dev_name(d->dev) : "(null)"))
		return NULL;
	if (WARN_ONCE(dev && !READ_ONCE(dev->driver),
		      "safe: bound access to %s, which has no driver\n",
		      dev_name(dev)))
		return NULL;
	if (WARN_ONCE(!ptr || READ_ONCE(r->revoked),
		      "safe: bound access to a revoked resource\n"))
		return NULL;
	return ptr;
}
EXPORT_SYMBOL_GPL(safe_revocable_check_bound);
#endif
