// SPDX-License-Identifier: GPL-2.0
/*
 * Per-device bindings: what safe must undo before a device's DMA state
 * goes away.
 *
 * At unbind, the driver core releases the device's devres entries, then
 * frees dev->dma_range_map and tears down the IOMMU state; device_del()
 * releases them for a device that never had a driver.  A DMA buffer freed
 * after that frees through the wrong path, so each device that safe
 * allocates for gets one devres entry, created at its first domain, buffer
 * or pool, whose release revokes the domains and frees the DMA memory that
 * is still allocated.  Whatever is freed later releases only descriptors.
 *
 * The devres release is this copy of the library's code (safe.ko's, or
 * that of the module that embeds it), and a device outlives any module
 * that merely allocated on it: the library's exit releases the bindings
 * left (safe_bindings_exit()).
 */
#include <linux/device.h>
#include <linux/kernfs.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/safe/guard.h>
#include <linux/safe/revocable.h>
#include "internal.h"

/*
 * The bindings whose release has not finished, and the library's exit
 * waiting for them.  Interrupts off: safe_binding_get() may be called
 * with interrupts off.
 */
static LIST_HEAD(safe_bindings);
static DEFINE_SPINLOCK(safe_bindings_lock);
static DECLARE_WAIT_QUEUE_HEAD(safe_bindings_wq);

static void safe_binding_free(struct kref *ref)
{
	struct safe_binding *b = container_of(ref, struct safe_binding, ref);

	kfree(b);
}

/**
 * safe_binding_put() - drop a reference to a binding
 * @b: the binding, or NULL
 *
 * Context: any.
 * Return: nothing.
 */
void safe_binding_put(struct safe_binding *b)
{
	if (b)
		kref_put(&b->ref, safe_binding_free);
}

static void safe_binding_release(struct device *dev, void *res);

/*
 * Are the domains gone, but for those whose teardown is this very task's,
 * further up its stack?  A release callback of such a domain unregisters
 * its device (the last put hands the teardown to safe's workqueue, where
 * the binding cannot take a reference any more); the domain leaves the
 * list once the callback has returned, so waiting for it would wait for
 * ourselves.  So would waiting for a domain this task is inside an access
 * to (its last reference dropped inside the access, whose end its free
 * waits for): unbinding from there is the driver's bug, as for a domain
 * still referenced (R4), and its teardown follows once the access ends.
 */
static bool safe_binding_no_domains(struct safe_binding *b)
{
	struct safe_revocable_domain *d;

	guard(spinlock_irqsave)(&b->lock);
	list_for_each_entry(d, &b->domains, binding_node)
		if (READ_ONCE(d->teardown) != current &&
		    !safe_revocable_in_access(d))
			return false;
	return true;
}

/*
 * The domains left at refcount 0 that this task is inside an access to
 * (see above): their teardown waits for the access, so the unbind takes
 * its first step here, as it does for a domain still referenced (R4).
 * The access keeps each from being freed meanwhile.
 */
static void safe_binding_kill_entered(struct safe_binding *b)
{
	struct safe_revocable_domain *d, *found;
	bool entered = false;

	do {
		found = NULL;
		scoped_guard(spinlock_irqsave, &b->lock) {
			list_for_each_entry(d, &b->domains, binding_node) {
				if (!safe_revocable_in_access(d))
					continue;
				entered = true;
				if (!READ_ONCE(d->dead)) {
					found = d;
					break;
				}
			}
		}
		if (found)
			safe_revocable_domain_kill(found);
	} while (found);
	WARN_ONCE(entered, "safe: %s unbound from inside an access to its domain\n",
		  dev_name(b->dev));
}

static int safe_binding_match_dev(struct device *dev, const void *data)
{
	return dev == data;
}

/*
 * Is @dev still on its bus's list?  device_del() takes it off before it
 * releases the device's devres entries.  -1: cannot tell, without a bus
 * or outside task context (the bus's locks are never taken in interrupt
 * context).
 */
static int safe_binding_on_bus(struct device *dev)
{
	struct device *found;

	if (!dev->bus || !in_task())
		return -1;
	found = bus_find_device(dev->bus, NULL, dev, safe_binding_match_dev);
	put_device(found);
	return !!found;
}

/*
 * Does @dev still have its "driver" link in sysfs?  really_probe() adds it
 * before the probe, and takes it off before it unbinds the driver again
 * for CONFIG_DEBUG_TEST_DRIVER_REMOVE, which leaves links.status at
 * %DL_DEV_PROBING.  Takes kernfs's lock: process context.  Without sysfs
 * there is nothing to ask; count the driver as there.
 */
static bool safe_binding_driver_linked(struct device *dev)
{
	struct kernfs_node *kn;
	bool linked;

	if (!IS_ENABLED(CONFIG_SYSFS) || !dev->kobj.sd)
		return true;
	kn = kernfs_find_and_get(dev->kobj.sd, "driver");
	linked = kn;
	kernfs_put(kn);
	return linked;
}

/**
 * safe_device_leaving() - is a device's DMA state about to go away?
 * @dev: the device
 * @releasing: the caller is a devres release of @dev; when it cannot be
 *	told, assume device_del() rather than a devres group release
 *
 * The driver core tears down a device's DMA state (dma_range_map, IOMMU)
 * right after it releases the device's devres entries in these places,
 * each visible here (checked against 6.1, 6.12 and 7.3):
 *
 * - unbind: links.status is %DL_DEV_UNBINDING from before the devres
 *   release until after it;
 * - a failed probe: device_links_no_driver() sets %DL_DEV_NO_DRIVER
 *   before device_unbind_cleanup() releases devres and clears
 *   dev->driver, so both are seen together only there (a probe sets
 *   %DL_DEV_PROBING before it sets dev->driver);
 * - device_del(): the device leaves its bus before its devres release,
 *   and sysfs (device_is_registered()) after it;
 * - device_release(): the last reference is gone;
 * - CONFIG_DEBUG_TEST_DRIVER_REMOVE's unbind inside really_probe(): the
 *   status stays %DL_DEV_PROBING, but the "driver" sysfs link is gone
 *   (asked only with @releasing, which is process context).
 *
 * Anything else that releases devres entries, devres_release_group() or
 * devm_add_action_or_reset() failing, leaves the device where it was.
 * For a device without a bus, and outside task context, the middle of
 * device_del() cannot be told from that; @releasing decides.
 *
 * Context: any.
 * Return: true while @dev is being unbound, failing its probe or being
 * deleted, and once it is deleted.
 */
bool safe_device_leaving(struct device *dev, bool releasing)
{
	enum dl_dev_state status = READ_ONCE(dev->links.status);
	int on_bus;

	if (status == DL_DEV_UNBINDING)
		return true;
	if (status == DL_DEV_NO_DRIVER && READ_ONCE(dev->driver))
		return true;
	if (!device_is_registered(dev) || !kref_read(&dev->kobj.kref))
		return true;
	/* Bound or probing: a group release, or a test unbind. */
	if (READ_ONCE(dev->driver))
		return releasing && !safe_binding_driver_linked(dev);
	on_bus = safe_binding_on_bus(dev);
	return on_bus < 0 ? releasing : !on_bus;
}

/*
 * Released while the device stays (its devres group went, say): put the
 * binding back on the device's list, holding the same reference.
 */
static bool safe_binding_readd(struct device *dev, struct safe_binding *b)
{
	struct safe_binding **slot;

	slot = devres_alloc(safe_binding_release, sizeof(*slot), GFP_KERNEL);
	if (WARN_ONCE(!slot,
		      "safe: %s: binding released with a devres group and not kept; the device's DMA buffers go now\n",
		      dev_name(dev)))
		return false;
	*slot = b;
	devres_add(dev, slot);
	return true;
}

/*
 * The devres release: at unbind, at a failed probe's cleanup, or at
 * device_del() for a device without a driver.  Domains first (their
 * accesses end, their resources are released, which frees the buffers
 * they own), then the buffers nobody freed, then the pools, all while the
 * device's DMA state is intact.  A release while the device stays (a
 * devres group) only moves the entry to the end of the list.
 */
static void safe_binding_release(struct device *dev, void *res)
{
	struct safe_binding *b = *(struct safe_binding **)res;
	struct safe_revocable_domain *d;

	if (!READ_ONCE(b->unloading) && !safe_device_leaving(dev, true) &&
	    safe_binding_readd(dev, b))
		return;
	scoped_guard(spinlock_irqsave, &b->lock)
		b->dead = true;
	/*
	 * Newest first, as devres would have done.  The list holds no
	 * references: a domain whose last reference is gone is being torn
	 * down by safe's workqueue, and takes itself off the list when it is
	 * done; wait for those.
	 */
	for (;;) {
		d = NULL;
		scoped_guard(spinlock_irqsave, &b->lock) {
			struct safe_revocable_domain *it;

			list_for_each_entry_reverse(it, &b->domains, binding_node) {
				if (kref_get_unless_zero(&it->ref)) {
					list_del_init(&it->binding_node);
					d = it;
					break;
				}
			}
		}
		if (!d)
			break;
		safe_revocable_domain_revoke(d);
		safe_revocable_domain_put(d);
	}
	safe_binding_kill_entered(b);
	wait_event(b->wq, safe_binding_no_domains(b));
	safe_dma_sweep(b, true);
	safe_dma_destroy_pools(b);
	/*
	 * Frees deferred since the sweep release descriptors only; their
	 * device references go before the unbind returns, too.
	 */
	safe_dma_finish_deferred(b, false);
	/* Quiesce callbacks are over: devm buffers' descriptors can go. */
	safe_dma_put_devm(b);
	/*
	 * Last, and all under the lock that safe_bindings_exit() tests the
	 * entry under: once that sees it gone, only this function's return
	 * is left of the library's code here, which safe_bindings_exit()
	 * waits for too.
	 */
	scoped_guard(spinlock_irqsave, &safe_bindings_lock) {
		list_del_init(&b->all_node);
		safe_binding_put(b);
		wake_up_all(&safe_bindings_wq);
	}
}

static int safe_binding_match(struct device *dev, void *res, void *data)
{
	return *(struct safe_binding **)res == data;
}

static bool safe_binding_listed(struct safe_binding *b)
{
	guard(spinlock_irqsave)(&safe_bindings_lock);
	return !list_empty(&b->all_node);
}

/**
 * safe_bindings_exit() - release the bindings this copy of safe still has
 *
 * A binding goes when its device is unbound or deleted, and its devres
 * release is the library's code.  A module that allocated on a device it
 * does not drive (a DMA controller's, a parent's) leaves one behind when
 * it is unloaded, and only that device's unbind would release it, after
 * the code is gone.  Release each here, under its device's lock as an
 * unbind does: its domains are revoked and its DMA memory is freed while
 * the device, still bound, has its DMA state.  A binding whose release
 * runs elsewhere meanwhile (its device is leaving) is waited for, and so
 * is the return from each release: a task preempted on its way out of
 * safe_binding_release() must not resume in unloaded code.  Tasks RCU
 * waits for such a task (kernels with tracing or kprobes build it, as
 * Debian's do); elsewhere it is plain RCU, which covers a kernel without
 * preemption but leaves a preempted task's last instructions uncovered.
 *
 * Only the bindings: a devm_safe_*() entry added on a device the module
 * does not drive outlives it as any devm action would (a driver's bug,
 * Documentation/lifetime.rst, D3).
 *
 * Context: process context; the library's exit, before its workqueue
 * goes.  No user of this copy of the library is left.
 * Return: nothing.
 */
void safe_bindings_exit(void)
{
	struct safe_binding *b;
	struct device *dev;
	bool any = false;

	for (;;) {
		dev = NULL;
		scoped_guard(spinlock_irqsave, &safe_bindings_lock) {
			b = list_first_entry_or_null(&safe_bindings,
						     struct safe_binding,
						     all_node);
			if (b)
				kref_get(&b->ref);
			/*
			 * Listed, so the device is there; at refcount 0 it is
			 * being released, and so is the binding, elsewhere.
			 */
			if (b && kobject_get_unless_zero(&b->dev->kobj))
				dev = b->dev;
		}
		if (!b)
			break;
		if (dev) {
			scoped_guard(device, dev) {
				WRITE_ONCE(b->unloading, true);
				devres_release(dev, safe_binding_release,
					       safe_binding_match, b);
			}
			put_device(dev);
		}
		/*
		 * Released now, or being released elsewhere.  Bounded: a
		 * binding added while the library is going (a user it should
		 * not have) is not in devres yet; the next round retries.
		 */
		wait_event_timeout(safe_bindings_wq, !safe_binding_listed(b),
				   HZ);
		safe_binding_put(b);
		any = true;
	}
	/* Tasks preempted on their way out; see above. */
	if (any)
		synchronize_rcu_tasks();
}

/*
 * devres calls this under its lock, while the entry is on the device's
 * list and so holds its reference: the binding cannot go away before the
 * caller's reference is taken.
 */
static int safe_binding_match_get(struct device *dev, void *res, void *data)
{
	struct safe_binding *b = *(struct safe_binding **)res;

	kref_get(&b->ref);
	*(struct safe_binding **)data = b;
	return 1;
}

/* A new binding for @dev, or the one another task added meanwhile. */
static struct safe_binding *safe_binding_add(struct device *dev, gfp_t gfp)
{
	struct safe_binding **slot, *found = NULL, *nb;

	nb = kzalloc(sizeof(*nb), gfp);
	if (!nb)
		return ERR_PTR(-ENOMEM);
	slot = devres_alloc(safe_binding_release, sizeof(*slot), gfp);
	if (!slot) {
		kfree(nb);
		return ERR_PTR(-ENOMEM);
	}
	/* One reference for the devres entry, one for the caller. */
	kref_init(&nb->ref);
	kref_get(&nb->ref);
	spin_lock_init(&nb->lock);
	INIT_LIST_HEAD(&nb->domains);
	INIT_LIST_HEAD(&nb->bufs);
	INIT_LIST_HEAD(&nb->pools);
	INIT_LIST_HEAD(&nb->devm_done);
	INIT_LIST_HEAD(&nb->quiescers);
	INIT_LIST_HEAD(&nb->deferred_frees);
	INIT_LIST_HEAD(&nb->deferred_claimed);
	INIT_LIST_HEAD(&nb->deferred_node);
	init_waitqueue_head(&nb->wq);
	nb->dev = dev;
	*slot = nb;

	/* Listed before a release can see it; see safe_bindings_exit(). */
	scoped_guard(spinlock_irqsave, &safe_bindings_lock)
		list_add_tail(&nb->all_node, &safe_bindings);
	/* Finds the device's binding, or adds ours, atomically. */
	devres_get(dev, slot, safe_binding_match_get, &found);
	if (found) {
		/* safe_bindings_exit() may hold a reference meanwhile. */
		scoped_guard(spinlock_irqsave, &safe_bindings_lock)
			list_del_init(&nb->all_node);
		safe_binding_put(nb);
		safe_binding_put(nb);
		return found;
	}
	return nb;
}

/**
 * safe_binding_get() - the binding of a device, created on first use
 * @dev: the device, being probed or bound (or without a driver)
 * @gfp: allocation flags
 *
 * Context: the context @gfp allows.
 * Return: the binding with a reference for the caller, ERR_PTR(-ENOMEM),
 * or ERR_PTR(-ENODEV) while the device is leaving (safe_device_leaving())
 * and once its binding was released.
 */
struct safe_binding *safe_binding_get(struct device *dev, gfp_t gfp)
{
	struct safe_binding *b = NULL;

	/* The common case: the device has one already. */
	devres_find(dev, safe_binding_release, safe_binding_match_get, &b);
	/*
	 * None found while the device is leaving: the devres release has
	 * taken the device's entries off its list, ours included, and a
	 * binding added now would keep its memory past the device's DMA
	 * state.
	 */
	if (!b && safe_device_leaving(dev, false))
		return ERR_PTR(-ENODEV);
	if (!b)
		b = safe_binding_add(dev, gfp);
	if (IS_ERR(b))
		return b;
	scoped_guard(spinlock_irqsave, &b->lock) {
		if (!b->swept && !b->dead)
			return b;
	}
	safe_binding_put(b);
	return ERR_PTR(-ENODEV);
}

/**
 * safe_binding_add_domain() - have a binding revoke a domain at unbind
 * @b: the binding
 * @d: the domain, not yet revoked; the binding takes no reference, the
 *	domain takes itself off when it is revoked
 *
 * Context: any.
 * Return: 0, or -ENODEV once @b is released.
 */
int safe_binding_add_domain(struct safe_binding *b,
			    struct safe_revocable_domain *d)
{
	guard(spinlock_irqsave)(&b->lock);
	if (b->dead)
		return -ENODEV;
	list_add_tail(&d->binding_node, &b->domains);
	return 0;
}

/**
 * safe_binding_forget_domain() - a domain was revoked: nothing left to do
 * @d: the domain
 *
 * Takes @d off its binding's list, unless the binding's release took it
 * off already, and wakes a release waiting for it.
 *
 * Context: any.
 * Return: nothing.
 */
void safe_binding_forget_domain(struct safe_revocable_domain *d)
{
	struct safe_binding *b = d->binding;

	if (!b)
		return;
	scoped_guard(spinlock_irqsave, &b->lock)
		list_del_init(&d->binding_node);
	wake_up_all(&b->wq);
}

/* The current task's innermost quiesce callback of @b, or NULL. */
static struct safe_quiescer *safe_binding_quiescer(struct safe_binding *b)
{
	struct safe_quiescer *q;

	lockdep_assert_held(&b->lock);
	list_for_each_entry(q, &b->quiescers, node)
		if (q->task == current)
			return q;
	return NULL;
}

static bool safe_quiescer_lent(struct safe_quiescer *q,
			       struct safe_revocable_domain *d)
{
	int i;

	for (i = 0; i < SAFE_QUIESCER_LOANS; i++)
		if (q->lent[i] == d)
			return true;
	return false;
}

/**
 * safe_binding_lend() - lend a domain's resources to a quiesce callback
 * @b: the binding of @d's device
 * @d: the domain, dead
 *
 * Records that the current task's innermost quiesce callback of one of
 * @b's buffers holds resources of @d, before the caller checks that
 * @d's teardown has not begun to release them: the teardown marks that
 * first and then waits for borrowers (safe_binding_wait_borrowers()), so
 * one of the two sees the other.
 *
 * Context: any.
 * Return: 0 if lent now; 1 if one of the task's quiesce callbacks holds
 * a loan of @d already (the teardown waits for it); -ENOENT when the task
 * runs no quiesce callback of @b; -EBUSY when the callback borrowed from
 * SAFE_QUIESCER_LOANS other domains.
 */
int safe_binding_lend(struct safe_binding *b, struct safe_revocable_domain *d)
{
	struct safe_quiescer *q, *inner = NULL;
	int i;

	guard(spinlock_irqsave)(&b->lock);
	list_for_each_entry(q, &b->quiescers, node) {
		if (q->task != current)
			continue;
		if (safe_quiescer_lent(q, d))
			return 1;
		inner = inner ?: q;
	}
	if (!inner)
		return -ENOENT;
	for (i = 0; i < SAFE_QUIESCER_LOANS; i++) {
		if (!inner->lent[i]) {
			inner->lent[i] = d;
			return 0;
		}
	}
	return -EBUSY;
}

/**
 * safe_binding_unlend() - take back a loan that safe_binding_lend() made
 * @b: the binding
 * @d: the domain
 *
 * For a loan made just now that turned out to be too late.
 *
 * Context: any.
 * Return: nothing.
 */
void safe_binding_unlend(struct safe_binding *b,
			 struct safe_revocable_domain *d)
{
	struct safe_quiescer *q;
	int i;

	scoped_guard(spinlock_irqsave, &b->lock) {
		q = safe_binding_quiescer(b);
		for (i = 0; q && i < SAFE_QUIESCER_LOANS; i++)
			if (q->lent[i] == d)
				q->lent[i] = NULL;
	}
	wake_up_all(&b->wq);
}

static bool safe_binding_lent(struct safe_binding *b,
			      struct safe_revocable_domain *d)
{
	struct safe_quiescer *q;

	guard(spinlock_irqsave)(&b->lock);
	list_for_each_entry(q, &b->quiescers, node)
		if (q->task != current && safe_quiescer_lent(q, d))
			return true;
	return false;
}

/**
 * safe_binding_wait_borrowers() - wait for quiesce callbacks lent @d
 * @b: the binding of @d's device
 * @d: the domain, whose teardown is about to release its resources
 *
 * Only callbacks that borrowed from @d are waited for: a callback that
 * did must not wait for @d's revocation itself.
 *
 * Context: process context; may sleep.
 * Return: nothing.
 */
void safe_binding_wait_borrowers(struct safe_binding *b,
				 struct safe_revocable_domain *d)
{
	wait_event(b->wq, !safe_binding_lent(b, d));
}
