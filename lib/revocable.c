// SPDX-License-Identifier: GPL-2.0
/*
 * Revocable device resources: revocation domains and their resources.
 *
 * The read side is inline in <linux/safe/revocable.h>; this file holds
 * what may sleep: creation, revocation and the final free.
 */
#include <linux/device.h>
#include <linux/lockdep.h>
#include <linux/slab.h>
#include <linux/safe/revocable.h>
#include <linux/export.h>

/*
 * Is the current task inside an access to @d?  Lockdep knows: every access
 * holds the domain's SRCU read side.  Without lockdep there is no per-task
 * record to ask, and a revocation from inside an access waits for itself,
 * as synchronize_srcu() would.
 */
static bool safe_revocable_in_access(struct safe_revocable_domain *d)
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

/**
 * safe_revocable_domain_create() - create a revocation domain
 * @dev: the device whose resources it will hold, or NULL; a reference is
 *	kept until the domain is freed
 *
 * The domain starts with one reference, for the caller.  Revoke it with
 * safe_revocable_domain_revoke() and drop the reference with
 * safe_revocable_domain_put(); devm_safe_revocable_domain_create() does
 * both at unbind.
 *
 * Context: process context; may sleep.
 * Return: the domain, or ERR_PTR(-ENOMEM).
 */
struct safe_revocable_domain *safe_revocable_domain_create(struct device *dev)
{
	struct safe_revocable_domain *d;
	int ret;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	ret = init_srcu_struct(&d->srcu);
	if (ret) {
		kfree(d);
		return ERR_PTR(ret);
	}
	kref_init(&d->ref);
	mutex_init(&d->lock);
	mutex_init(&d->revoke_lock);
	INIT_LIST_HEAD(&d->resources);
	init_waitqueue_head(&d->wq);
	d->dev = get_device(dev);
	return d;
}
EXPORT_SYMBOL_GPL(safe_revocable_domain_create);

static void safe_revocable_domain_free(struct kref *ref)
{
	struct safe_revocable_domain *d =
		container_of(ref, struct safe_revocable_domain, ref);
	struct safe_revocable *r, *tmp;

	/* Revoke what is still live, so every release callback runs once. */
	if (!d->dead)
		safe_revocable_domain_revoke(d);
	list_for_each_entry_safe(r, tmp, &d->resources, node)
		kfree(r);
	cleanup_srcu_struct(&d->srcu);
	put_device(d->dev);
	kfree(d);
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
 * Return: nothing.
 */
void safe_revocable_domain_get(struct safe_revocable_domain *d)
{
	kref_get(&d->ref);
}
EXPORT_SYMBOL_GPL(safe_revocable_domain_get);

/**
 * safe_revocable_domain_put() - drop a reference to a domain
 * @d: the domain, or NULL
 *
 * The last put revokes what is still live and frees the domain and all its
 * resources.
 *
 * Context: process context; may sleep.
 * Return: nothing.
 */
void safe_revocable_domain_put(struct safe_revocable_domain *d)
{
	if (d)
		kref_put(&d->ref, safe_revocable_domain_free);
}
EXPORT_SYMBOL_GPL(safe_revocable_domain_put);

/**
 * safe_revocable_create() - register a resource with a domain
 * @d: the domain
 * @ptr: the resource; must not be NULL
 * @release: called once with @ptr after it is revoked and no access to it
 *	remains, or NULL
 *
 * The returned handle belongs to the domain and stays valid for as long as
 * a reference to the domain is held.
 *
 * Context: process context; may sleep.  Not from inside an access.
 * Return: the handle; ERR_PTR(-EINVAL) for a NULL @ptr, ERR_PTR(-ENODEV)
 * once the domain is revoked, ERR_PTR(-ENOMEM).
 */
struct safe_revocable *safe_revocable_create(struct safe_revocable_domain *d,
					     void *ptr, void (*release)(void *ptr))
{
	struct safe_revocable *r;

	if (!ptr)
		return ERR_PTR(-EINVAL);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	r->domain = d;
	r->release = release;
	RCU_INIT_POINTER(r->ptr, ptr);

	mutex_lock(&d->lock);
	if (d->dead) {
		mutex_unlock(&d->lock);
		kfree(r);
		return ERR_PTR(-ENODEV);
	}
	list_add_tail(&r->node, &d->resources);
	mutex_unlock(&d->lock);
	return r;
}
EXPORT_SYMBOL_GPL(safe_revocable_create);

/*
 * Unpublish @r; the caller holds d->lock.  Only the first revocation of a
 * resource gets to release it.
 */
static void safe_revocable_unpublish(struct safe_revocable *r)
{
	lockdep_assert_held(&r->domain->lock);
	if (r->revoked)
		return;
	r->revoked = true;
	r->old = rcu_replace_pointer(r->ptr, NULL,
				     lockdep_is_held(&r->domain->lock));
}

static void safe_revocable_release(struct safe_revocable *r)
{
	void *old = r->old;

	r->old = NULL;
	if (old && r->release)
		r->release(old);
}

/*
 * Revocation is rare (unbind, unplug) and someone waits for it, so skip
 * SRCU's batching delays.  Expedited SRCU sends no IPIs and only affects
 * this domain's srcu_struct.
 */
static void safe_revocable_wait_readers(struct safe_revocable_domain *d)
{
	synchronize_srcu_expedited(&d->srcu);
	d->grace_periods++;
}

/**
 * safe_revocable_revoke() - revoke one resource
 * @r: the resource
 *
 * After it returns, no access to @r is in flight (nor to any other resource
 * of the domain that was in flight when it started), every new access
 * fails, and the release callback has run.  Revoking again does nothing.
 * Costs one SRCU grace period; to revoke many resources at once, revoke
 * their domain.
 *
 * Context: process context; may sleep.  Not from inside an access to the
 * same domain: that is detected (with lockdep) and refused.
 * Return: 0, or -EDEADLK when called from inside an access.
 */
int safe_revocable_revoke(struct safe_revocable *r)
{
	struct safe_revocable_domain *d = r->domain;

	if (!safe_revocable_may_revoke(d))
		return -EDEADLK;

	mutex_lock(&d->revoke_lock);
	mutex_lock(&d->lock);
	if (r->revoked) {
		mutex_unlock(&d->lock);
		mutex_unlock(&d->revoke_lock);
		return 0;
	}
	safe_revocable_unpublish(r);
	mutex_unlock(&d->lock);

	safe_revocable_wait_readers(d);
	safe_revocable_release(r);
	mutex_unlock(&d->revoke_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(safe_revocable_revoke);

/**
 * safe_revocable_domain_revoke() - revoke every resource of a domain
 * @d: the domain
 *
 * Marks the domain dead (new accesses and new resources fail), wakes
 * sleepers on its wait queue, waits one SRCU grace period for the
 * accesses in flight, then runs the release callbacks of all resources in
 * reverse order of creation.  Revoking again does nothing; a concurrent
 * caller returns once the first one has finished.
 *
 * Context: process context; may sleep.  Not from inside an access to @d:
 * that is detected (with lockdep) and refused.
 * Return: 0, or -EDEADLK when called from inside an access.
 */
int safe_revocable_domain_revoke(struct safe_revocable_domain *d)
{
	struct safe_revocable *r;

	if (!safe_revocable_may_revoke(d))
		return -EDEADLK;

	mutex_lock(&d->revoke_lock);
	mutex_lock(&d->lock);
	if (d->dead) {
		mutex_unlock(&d->lock);
		mutex_unlock(&d->revoke_lock);
		return 0;
	}
	WRITE_ONCE(d->dead, true);
	list_for_each_entry(r, &d->resources, node)
		safe_revocable_unpublish(r);
	mutex_unlock(&d->lock);

	/* Sleepers inside accesses must leave them, or we wait forever. */
	wake_up_all(&d->wq);
	safe_revocable_wait_readers(d);

	/* The list is stable: the domain is dead, so nothing is added. */
	list_for_each_entry_reverse(r, &d->resources, node)
		safe_revocable_release(r);
	mutex_unlock(&d->revoke_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(safe_revocable_domain_revoke);

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

static void safe_revocable_devm_release(void *data)
{
	struct safe_revocable_domain *d = data;

	safe_revocable_domain_revoke(d);
	safe_revocable_domain_put(d);
}

/**
 * devm_safe_revocable_domain_create() - a domain revoked at unbind
 * @dev: the device
 *
 * Like safe_revocable_domain_create(), plus a devres action that revokes
 * the domain and drops the caller's reference when @dev is unbound.
 * Devres runs actions in reverse order, so create the domain after the
 * devm resources it protects (their release then comes after the
 * revocation) and before anything that uses it.
 *
 * Context: process context, typically probe(); may sleep.
 * Return: the domain, or an ERR_PTR().
 */
struct safe_revocable_domain *devm_safe_revocable_domain_create(struct device *dev)
{
	struct safe_revocable_domain *d = safe_revocable_domain_create(dev);
	int ret;

	if (IS_ERR(d))
		return d;
	ret = devm_add_action_or_reset(dev, safe_revocable_devm_release, d);
	if (ret)
		return ERR_PTR(ret);
	return d;
}
EXPORT_SYMBOL_GPL(devm_safe_revocable_domain_create);

#ifdef CONFIG_SAFE_DEBUG
/**
 * safe_revocable_check_bound() - verify a safe_revocable_bound() claim
 * @r: the resource
 * @dev: the device the caller says is bound
 *
 * The device counts as bound while it has a driver: from probe() through
 * remove() and the devres actions that follow it.
 *
 * Context: any.
 * Return: true if the claim holds; false, after a one-time warning, when
 * @dev is not the domain's device, has no driver, or @r is revoked.
 */
bool safe_revocable_check_bound(struct safe_revocable *r, struct device *dev)
{
	struct safe_revocable_domain *d = r->domain;

	if (WARN_ONCE(dev != d->dev,
		      "safe: bound access through %s, but the domain belongs to %s\n",
		      dev ? dev_name(dev) : "(null)",
		      d->dev ? dev_name(d->dev) : "(null)"))
		return false;
	if (WARN_ONCE(dev && !READ_ONCE(dev->driver),
		      "safe: bound access to %s, which has no driver\n",
		      dev_name(dev)))
		return false;
	if (WARN_ONCE(READ_ONCE(r->revoked),
		      "safe: bound access to a revoked resource\n"))
		return false;
	return true;
}
EXPORT_SYMBOL_GPL(safe_revocable_check_bound);
#endif
