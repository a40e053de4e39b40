/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Revocable device resources.
 *
 * A revocation domain, usually one per device, owns one SRCU read side.
 * Resources (an MMIO mapping, private state, a registration with another
 * subsystem) are registered with it and reached only through an access:
 *
 *	safe_revocable_scope(regs, priv->regs)
 *		writel(1, regs->ctrl);		// skipped once revoked
 *
 * The access is sleepable and nestable, and its SRCU index lives in the
 * caller's own scope.  Revoking the domain (at unbind, hot-unplug, or by
 * hand) revokes every resource after one grace period: afterwards no access
 * is in flight, every new one fails, and each resource's release callback
 * has run once.  Code that the driver model already keeps inside the bound
 * lifetime of the device uses safe_revocable_bound(): one pointer load.
 *
 * See Documentation/revocable.rst.
 */
#ifndef _LINUX_SAFE_REVOCABLE_H
#define _LINUX_SAFE_REVOCABLE_H

#include <linux/safe/cleanup.h>
#include <linux/safe/compat/context.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/device.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/srcu.h>
#include <linux/stringify.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

struct safe_binding;

/*
 * For Clang's context analysis (7.x, CONFIG_WARN_CONTEXT_ANALYSIS) every
 * access holds this token, shared, from its start to its end, so an access
 * left open on some path, or ended where none was started, is a build-time
 * warning.  The token is reentrant (accesses nest) and only a name: there
 * is no object behind it, and without the analysis it compiles to nothing.
 */
token_context_lock(safe_revocable_ctx, __reentrant_ctx_lock);

/**
 * struct safe_revocable_domain - one SRCU read side for many resources
 * @srcu: the read side every access enters
 * @ref: kref; the domain and its resources live until the last put
 * @lock: protects @resources, @dead, @finishing, @busy and each resource's
 *	flags and revoker
 * @resources: the &struct safe_revocable objects, in creation order
 * @wq: wait queue for sleeps inside accesses; woken before revocation waits
 * @revoke_wq: where concurrent revokers wait for each other
 * @dev: the device whose binding the domain follows, or NULL
 * @binding: @dev's binding, which revokes the domain at unbind at the latest
 * @binding_node: entry in the binding's list of domains
 * @teardown: the task running the domain's teardown callbacks, or NULL
 * @callbacks: the task running a single-resource revocation's callbacks,
 *	or NULL; one at a time, so that they can reach sibling resources
 * @free_work: the last put frees the domain from here
 * @teardown_work: a teardown that could not run where it was started
 * @busy: single-resource revocations in progress
 * @dead: set once domain revocation starts, or once an unbind from inside
 *	an access kills the domain; new accesses fail
 * @finishing: a task or work item owns the teardown proper
 * @sweep: @teardown_work sweeps the device's DMA buffers (unbind)
 * @releasing: the teardown's release callbacks are about to run
 * @revoked: set once domain revocation has finished
 * @grace_periods: SRCU grace periods revocation has waited for (test hook)
 * @key: the lockdep class of @srcu, one per domain
 * @name: the class's name, a copy of the creator's (lockdep builds)
 * @turn_key: the lockdep class of @turn_map
 * @teardown_key: the lockdep class of @teardown_map
 * @borrow_key: the lockdep class of @borrow_map
 * @turn_name: @turn_map's class name, the creator's with ":turn"
 * @teardown_name: @teardown_map's, with ":teardown"
 * @borrow_name: @borrow_map's, with ":borrow" (all three lockdep builds)
 * @turn_map: held while a single revocation runs callbacks (its turn)
 * @teardown_map: held while the teardown runs callbacks
 * @borrow_map: held by a DMA quiesce callback of another task while it
 *	borrows resources from the teardown (safe_revocable_teardown())
 *
 * Fields are private; use the functions below.
 *
 * Invariants: a resource's pointer is published only while the resource
 * is not revoked; its release callback runs once, after a grace period
 * that began after it was unpublished; the domain's memory outlives every
 * access and every reference.
 */
struct safe_revocable_domain {
	struct srcu_struct srcu;
	struct kref ref;
	spinlock_t lock;		/* see above */
	struct list_head resources;
	wait_queue_head_t wq;
	wait_queue_head_t revoke_wq;
	struct device *dev;
	struct safe_binding *binding;
	struct list_head binding_node;
	struct task_struct *teardown;
	struct task_struct *callbacks;
	struct work_struct free_work;
	struct work_struct teardown_work;
	unsigned int busy;
	bool dead;
	bool finishing;
	bool sweep;
	bool releasing;
	bool revoked;
	unsigned long grace_periods;
	struct lock_class_key key;
	const char *name;
	struct lock_class_key turn_key;
	struct lock_class_key teardown_key;
	struct lock_class_key borrow_key;
	const char *turn_name;
	const char *teardown_name;
	const char *borrow_name;
	struct lockdep_map turn_map;
	struct lockdep_map teardown_map;
	struct lockdep_map borrow_map;
};

/**
 * struct safe_revocable - a resource reachable only through an access
 * @ptr: the resource, NULL once revoked
 * @domain: the domain it belongs to
 * @quiesce: called with the resource in the domain's teardown, before any
 *	release callback of the domain, or NULL
 * @release: called once with the resource after readers drained, or NULL
 * @old: the resource between unpublishing and release
 * @revoker: the task running its revocation alone, while it runs
 * @node: entry in the domain's list
 * @revoked: set under the domain lock when revocation starts
 * @released: set once the release callback has run
 * @by_domain: revoked by the domain's revocation, which releases it
 *
 * Allocated by safe_revocable_create() and owned by the domain: a pointer
 * to it stays valid for as long as a reference to the domain is held, or
 * until safe_revocable_destroy() frees it.
 */
struct safe_revocable {
	void __rcu *ptr;
	struct safe_revocable_domain *domain;
	void (*quiesce)(void *ptr);
	void (*release)(void *ptr);
	void *old;
	struct task_struct *revoker;
	struct list_head node;
	bool revoked;
	bool released;
	bool by_domain;
};

/**
 * struct safe_revocable_access - an access in progress
 * @domain: the domain entered
 * @ptr: the resource, or NULL when it is revoked
 * @idx: the SRCU read-side index of this access
 *
 * Lives on the caller's stack, one per access: concurrent and nested
 * accesses never share an index.
 */
struct safe_revocable_access {
	struct safe_revocable_domain *domain;
	void *ptr;
	int idx;
};

struct safe_revocable_domain *
__safe_revocable_domain_create(struct device *dev, const char *name);
struct safe_revocable_domain *
__devm_safe_revocable_domain_create(struct device *dev, const char *name);
void safe_revocable_domain_get(struct safe_revocable_domain *d);
void safe_revocable_domain_put(struct safe_revocable_domain *d);
int safe_revocable_domain_revoke(struct safe_revocable_domain *d);
unsigned long safe_revocable_domain_grace_periods(struct safe_revocable_domain *d);
void safe_revocable_flush(void);

struct safe_revocable *safe_revocable_create(struct safe_revocable_domain *d,
					     void *ptr, void (*release)(void *ptr));
struct safe_revocable *
safe_revocable_create_quiesced(struct safe_revocable_domain *d, void *ptr,
			       void (*quiesce)(void *ptr),
			       void (*release)(void *ptr));
int safe_revocable_revoke(struct safe_revocable *r);
int safe_revocable_destroy(struct safe_revocable *r);
void *safe_revocable_teardown(struct safe_revocable *r);

#ifdef CONFIG_SAFE_DEBUG
void *safe_revocable_check_bound(struct safe_revocable *r, struct device *dev,
				 void *ptr);
#else
static inline void *safe_revocable_check_bound(struct safe_revocable *r,
					       struct device *dev, void *ptr)
{
	return ptr;
}
#endif

/**
 * safe_revocable_domain_create() - create a revocation domain
 * @dev: the device whose resources it will hold, or NULL
 *
 * The domain starts with one reference, for the caller.  Revoke it with
 * safe_revocable_domain_revoke() and drop the reference with
 * safe_revocable_domain_put(); devm_safe_revocable_domain_create() does
 * both at unbind.  A domain with a device is revoked when @dev is unbound
 * (or deleted) at the latest, so no release callback of it runs after
 * that, whoever holds the last reference.  The one exception is a release
 * callback that unregisters @dev itself: the unbind cannot wait for the
 * teardown that called it, so the callbacks still to come (of resources
 * created earlier) run after @dev has left; create that resource first.
 *
 * Each domain is a lockdep class of its own, named after the call site:
 * domains of one driver (two instances, a parent's and a child's) and of
 * different drivers nest without false reports, and a domain may outlive
 * the module that created it.  Its callbacks are two more, "<call
 * site>:turn" and "<call site>:teardown": a callback that waits for a task
 * which waits for the domain's callbacks (cancel_work_sync() of work that
 * revokes in the domain) is a lockdep report, not only a hang.
 *
 * Context: process context; may sleep.  @dev, if given, is being probed
 * or is bound.
 * Return: the domain; ERR_PTR(-EINVAL) for an error pointer @dev,
 * ERR_PTR(-ENODEV) while @dev is leaving (being unbound or deleted),
 * ERR_PTR(-ENOMEM).
 */
#define safe_revocable_domain_create(dev)				\
	__safe_revocable_domain_create((dev), __FILE__ ":" __stringify(__LINE__))

/**
 * devm_safe_revocable_domain_create() - a domain revoked at unbind
 * @dev: the device
 *
 * Like safe_revocable_domain_create(), plus a devres action that revokes
 * the domain and drops the caller's reference when @dev is unbound.
 * Devres runs actions in reverse order, so create the domain after the
 * devm resources it protects (their release then comes after the
 * revocation) and before anything that uses it.  Buffers of @dev that
 * their owner has not freed yet are quiesced and freed in the domain's
 * teardown, see Documentation/lifetime.rst.
 *
 * Context: process context, typically probe(); may sleep.
 * Return: the domain, or an ERR_PTR(): -EINVAL for a NULL or error
 * pointer @dev, -ENODEV while @dev is leaving, -ENOMEM.
 */
#define devm_safe_revocable_domain_create(dev)				\
	__devm_safe_revocable_domain_create((dev), __FILE__ ":" __stringify(__LINE__))

/**
 * safe_revocable_domain_dead() - has the domain been revoked?
 * @d: the domain
 *
 * For wait conditions; an access already knows from its own result.
 *
 * Context: any.
 * Return: true once safe_revocable_domain_revoke() has started, or an
 * unbind from inside an access to @d has marked it dead (R4).
 */
static inline bool safe_revocable_domain_dead(struct safe_revocable_domain *d)
{
	return READ_ONCE(d->dead);
}

/**
 * safe_revocable_domain_wq() - the domain's wait queue
 * @d: the domain
 *
 * Sleep inside an access only on this queue (see safe_revocable_wait()):
 * revocation wakes it before it waits for accesses to end, and it lives as
 * long as the domain, so pollers that still hold an entry on it after
 * unbind never touch freed memory.
 *
 * Context: any.
 * Return: the wait queue head.
 */
static inline wait_queue_head_t *safe_revocable_domain_wq(struct safe_revocable_domain *d)
{
	return &d->wq;
}

/**
 * safe_revocable_domain_enter() - enter the domain without a resource
 * @d: the domain
 * @a: access state, on the caller's stack
 *
 * For code that needs the device to stay bound but no particular resource,
 * such as protected file operations.  Always end with safe_revocable_end(),
 * whatever the result.
 *
 * Context: any context that may use SRCU readers; may sleep inside.
 * Return: true if the domain is alive, false once it is revoked.
 */
static inline bool safe_revocable_domain_enter(struct safe_revocable_domain *d,
					       struct safe_revocable_access *a)
	__acquires_shared(safe_revocable_ctx) __no_context_analysis
{
	a->domain = d;
	a->idx = srcu_read_lock(&d->srcu);
	a->ptr = READ_ONCE(d->dead) ? NULL : d;
	return a->ptr;
}

/**
 * safe_revocable_try_access() - start an access to a resource
 * @r: the resource
 * @a: access state, on the caller's stack
 *
 * Until safe_revocable_end(), the returned resource cannot be released:
 * revocation waits.  The section may sleep and may nest other accesses.
 * Always end the access, whatever the result; the scoped forms below do.
 * A handle never initialised (@r NULL: probe failed before creating it,
 * and an interrupt or a file operation runs anyway) acts as revoked.
 *
 * Context: any context that may use SRCU readers.
 * Return: the resource, or NULL once it is revoked.
 */
static inline void *safe_revocable_try_access(struct safe_revocable *r,
					      struct safe_revocable_access *a)
	__acquires_shared(safe_revocable_ctx) __no_context_analysis
{
	struct safe_revocable_domain *d;

	if (unlikely(!r)) {
		*a = (struct safe_revocable_access){};
		return NULL;
	}
	d = r->domain;
	a->domain = d;
	a->idx = srcu_read_lock(&d->srcu);
	a->ptr = srcu_dereference(r->ptr, &d->srcu);
	return a->ptr;
}

/**
 * safe_revocable_end() - end an access
 * @a: the access, successful or not
 *
 * Context: the context that started the access.
 * Return: nothing.
 */
static inline void safe_revocable_end(struct safe_revocable_access *a)
	__releases_shared(safe_revocable_ctx) __no_context_analysis
{
	/* No domain: an access through a handle never initialised. */
	if (likely(a->domain))
		srcu_read_unlock(&a->domain->srcu, a->idx);
}

/* By-value start, for the scoped forms. */
static inline struct safe_revocable_access __safe_revocable_begin(struct safe_revocable *r)
	__acquires_shared(safe_revocable_ctx)
{
	struct safe_revocable_access a;

	safe_revocable_try_access(r, &a);
	return a;
}

/**
 * safe_revocable_bound() - the resource, for code that runs while bound
 * @r: the resource
 * @dev: the device whose binding guarantees @r is alive
 *
 * For probe() and remove(), devres actions registered after the domain
 * was created (they run before its revocation; those registered before it
 * run after), and callbacks that are torn down before the domain is
 * revoked (IRQ handlers freed before unbind, timers and work cancelled in
 * remove()).  The driver model is the proof that the resource is alive, so
 * this is one pointer load: no SRCU, no atomics, no barriers.
 *
 * With CONFIG_SAFE_DEBUG the claim is checked after the load: @dev must
 * be the domain's device, have a driver, and @r must not be revoked;
 * otherwise it warns once and returns NULL.  Revocation then also waits
 * for an RCU grace period before any release, so a caller in atomic
 * context (an interrupt handler, a timer) that raced the revocation and
 * passed the check still finishes before the resource is released.
 *
 * Context: the caller must run within the bound lifetime of @dev.
 * Return: the resource (NULL only after a revocation the caller should
 * not have been able to see).
 */
static inline void *safe_revocable_bound(struct safe_revocable *r,
					 struct device *dev)
{
	return safe_revocable_check_bound(r, dev,
					  rcu_dereference_protected(r->ptr, true));
}

/**
 * SAFE_DECLARE_REVOCABLE() - declare a typed handle to a revocable resource
 * @type: the resource's type, e.g. ``struct foo_regs``
 * @name: the member or variable to declare
 *
 * A union of the untyped handle (``.rev``) and a pointer to @type that is
 * never stored, only used by the accessors for the type of their result.
 *
 * Example::
 *
 *	struct foo_priv {
 *		SAFE_DECLARE_REVOCABLE(struct foo_regs, regs);
 *	};
 *
 *	ret = safe_revocable_init(priv->regs, domain, regs, NULL);
 *	if (ret)
 *		return ret;
 *
 * Context: any declaration.
 * Return: nothing; it is a declaration of @name.
 */
#define SAFE_DECLARE_REVOCABLE(type, name)				\
	union {								\
		struct safe_revocable *rev;				\
		type *__safe_type;					\
	} name

/**
 * safe_revocable_init() - create the resource behind a typed handle
 * @_h: the SAFE_DECLARE_REVOCABLE() handle
 * @_d: the domain
 * @_ptr: the resource; its type must match the handle's, address space
 *	included (an ``__iomem`` handle takes an ``__iomem`` pointer)
 * @_release: called with the resource once no access can see it, or NULL
 *
 * The typed form of safe_revocable_create(): sparse and the compiler check
 * @_ptr against the handle.  @_h is left untouched on failure.
 *
 * Context: process context; may sleep.
 * Return: 0, or the errno of safe_revocable_create().
 */
#define safe_revocable_init(_h, _d, _ptr, _release)			\
	({								\
		typeof((_h).__safe_type) __safe_p = (_ptr);		\
		struct safe_revocable *__safe_r =			\
			safe_revocable_create((_d), (__force void *)__safe_p, \
					      (_release));		\
		if (!IS_ERR(__safe_r))					\
			(_h).rev = __safe_r;				\
		PTR_ERR_OR_ZERO(__safe_r);				\
	})

/**
 * safe_revocable_bound_ptr() - safe_revocable_bound() through a typed handle
 * @_h: the SAFE_DECLARE_REVOCABLE() handle
 * @_dev: the device whose binding guarantees the resource is alive
 *
 * Context: the caller must run within the bound lifetime of @_dev.
 * Return: the resource, typed as the handle declares it.
 */
#define safe_revocable_bound_ptr(_h, _dev)				\
	((__force typeof((_h).__safe_type))				\
	 safe_revocable_bound((_h).rev, (_dev)))

/**
 * safe_revocable_teardown_ptr() - safe_revocable_teardown() through a typed handle
 * @_h: the SAFE_DECLARE_REVOCABLE() handle
 *
 * Context: a quiesce or release callback run by the revocation of the
 * handle's domain.
 * Return: the resource, typed as the handle declares it, or NULL.
 */
#define safe_revocable_teardown_ptr(_h)					\
	((__force typeof((_h).__safe_type))safe_revocable_teardown((_h).rev))

/*
 * The scoped forms are a loop that declares the access, a check loop, and
 * the innermost loop that declares the typed pointer, runs the statement
 * at most once and marks the end in __safe_st<id>.  A ``break`` leaves it
 * without doing so, and the check loop's step then keeps a call to an
 * undefined function that fails the build.  The check sits inside the
 * access's loop: a ``return`` leaves through the access's cleanup, and
 * were the check outside it, the compiler would merge that exit with the
 * normal one (Clang does) and could no longer prove the call dead.  Their
 * hidden names end in a number of their own (__COUNTER__), so scopes nest
 * without shadowing each other.
 */

/* The check loop around @_next, the innermost loop of a scoped form. */
#define __safe_scope_check(_next, _var, type, id)			\
	for (int __safe_st##id = 0; !__safe_st##id;			\
	     __safe_st##id || (__safe_scoped_break(), 0))		\
		_next(_var, type, id)

/* Run the body unless done or @ok is false; either way the scope ends. */
#define __safe_scope_run(id, ok)					\
	(__safe_st##id ? false : (ok) ? true : (__safe_st##id = 1, false))

/**
 * safe_revocable_scope() - run the next statement only if the resource lives
 * @_var: name of the typed resource pointer, visible in the statement only
 * @_h: the SAFE_DECLARE_REVOCABLE() handle
 *
 * The access ends however the statement is left.  ``break`` inside the
 * statement fails the build (it would leave only the scope, not the
 * caller's loop); ``continue`` cannot be told from the end of the
 * statement in C and also leaves only the scope, so do not use it there
 * (coccinelle/check_scoped_guard_loop_exit.cocci reports it).
 *
 * Context: any context that may use SRCU readers; the statement may sleep.
 * Return: nothing; it is a statement prefix.
 */
#define safe_revocable_scope(_var, _h)					\
	__safe_revocable_scope(_var, _h, __COUNTER__)

#define __safe_revocable_scope(_var, _h, id)				\
	___safe_revocable_scope(_var, _h, id)

#define ___safe_revocable_scope(_var, _h, id)				\
	__safe_revocable_scope_acc(_var, (_h).rev,			\
				   typeof((_h).__safe_type), id)

#define __safe_revocable_scope_acc(_var, rev, type, id)		\
	for (struct safe_revocable_access __safe_acc##id		\
		     __cleanup(safe_revocable_end) =			\
		     __safe_revocable_begin(rev),			\
		     *__safe_once##id = &__safe_acc##id;		\
	     __safe_once##id; __safe_once##id = NULL)			\
		__safe_scope_check(__safe_revocable_scope_var, _var, type, id)

#define __safe_revocable_scope_var(_var, type, id)			\
	for (type _var __maybe_unused = (__force type)__safe_acc##id.ptr; \
	     __safe_scope_run(id, __safe_acc##id.ptr); __safe_st##id = 1)

/**
 * safe_revocable_guard() - start an access for the rest of the scope
 * @_var: name of the typed resource pointer; NULL if revoked
 * @_h: the SAFE_DECLARE_REVOCABLE() handle
 *
 * Declares @_var and a hidden access that ends with the enclosing scope.
 * Test @_var before use.
 *
 * Context: any context that may use SRCU readers.
 * Return: nothing; it is a declaration.
 */
#define safe_revocable_guard(_var, _h)					\
	struct safe_revocable_access __safe_acc_##_var			\
		__cleanup(safe_revocable_end) =				\
		__safe_revocable_begin((_h).rev);			\
	typeof((_h).__safe_type) _var =					\
		(__force typeof((_h).__safe_type))__safe_acc_##_var.ptr

#define __safe_errno_0()	(-ENODEV)
#define __safe_errno_1(e)	(e)
#define __safe_errno(e...)	CONCATENATE(__safe_errno_, COUNT_ARGS(e))(e)

/**
 * safe_revocable_guard_or_return() - safe_revocable_guard(), or return
 * @_var: name of the typed resource pointer
 * @_h: the SAFE_DECLARE_REVOCABLE() handle
 * @...: value to return if the resource is revoked; -ENODEV if omitted
 *
 * Context: any context that may use SRCU readers, in a function returning
 * an int-like value.
 * Return: returns from the enclosing function when the resource is gone.
 */
#define safe_revocable_guard_or_return(_var, _h, ...)			\
	struct safe_revocable_access __safe_acc_##_var			\
		__cleanup(safe_revocable_end) =				\
		__safe_revocable_begin((_h).rev);			\
	typeof((_h).__safe_type) _var =					\
		(__force typeof((_h).__safe_type))__safe_acc_##_var.ptr;	\
	if (!__safe_acc_##_var.ptr)					\
		return __safe_errno(__VA_ARGS__)

/**
 * safe_revocable_wait() - sleep inside an access until a condition holds
 * @_d: the domain
 * @_cond: the condition
 *
 * wait_event_interruptible() on the domain's wait queue that also ends when
 * the domain is revoked, so unbind never waits for a sleeper.  For the
 * completion of an operation the device has already started, use
 * safe_revocable_wait_timeout(), which a signal does not end.
 *
 * Context: process context, inside an access to @_d.
 * Return: 0 when @_cond is true, -ENODEV when the domain was revoked,
 * -ERESTARTSYS on a signal.
 */
#define safe_revocable_wait(_d, _cond)					\
	({								\
		struct safe_revocable_domain *__safe_d = (_d);		\
		int __safe_ret;						\
									\
		__safe_ret = wait_event_interruptible(__safe_d->wq,	\
				(_cond) || safe_revocable_domain_dead(__safe_d)); \
		if (!__safe_ret && safe_revocable_domain_dead(__safe_d)) \
			__safe_ret = -ENODEV;				\
		__safe_ret;						\
	})

/**
 * safe_revocable_wait_timeout() - wait for hardware inside an access
 * @_d: the domain
 * @_cond: the condition
 * @_timeout: the longest wait, in jiffies
 *
 * wait_event_timeout() on the domain's wait queue that also ends when the
 * domain is revoked.  Signals do not end it: use it for an operation the
 * device has already started, where giving up on a signal would leave the
 * operation running while the driver lets the next caller program the
 * device, and that caller then takes the old completion for its own.
 *
 * Context: process context, inside an access to @_d.
 * Return: 0 when @_cond is true, -ENODEV when the domain was revoked,
 * -ETIMEDOUT when @_timeout passed first.
 */
#define safe_revocable_wait_timeout(_d, _cond, _timeout)		\
	({								\
		struct safe_revocable_domain *__safe_d = (_d);		\
		long __safe_left;					\
									\
		__safe_left = wait_event_timeout(__safe_d->wq,		\
				(_cond) || safe_revocable_domain_dead(__safe_d), \
				(_timeout));				\
		safe_revocable_domain_dead(__safe_d) ? -ENODEV :	\
			__safe_left ? 0 : -ETIMEDOUT;			\
	})

#endif /* _LINUX_SAFE_REVOCABLE_H */
