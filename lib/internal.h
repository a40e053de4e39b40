/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between the library's own files; not for drivers.
 */
#ifndef _SAFE_LIB_INTERNAL_H
#define _SAFE_LIB_INTERNAL_H

#include <linux/device.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

struct safe_revocable_domain;

/*
 * The library's own workqueue: last domain puts run here, so unloading
 * the library (or the module that embeds it) can wait for them with
 * safe_lib_exit().  DMA frees deferred to process context run on
 * system_unbound_wq (an atomic allocation may come before this exists),
 * or in the unbind of their device (dma.c).
 */
extern struct workqueue_struct *safe_wq;

int safe_lib_init(void);
void safe_lib_drain(void);
void safe_lib_exit(void);

/**
 * struct safe_binding - what safe keeps for one device while it is bound
 * @ref: kref; the devres entry holds one, each buffer, pool and domain one
 * @dev: the device; whoever holds a reference to the binding past the
 *	devres entry holds one to the device too
 * @lock: protects everything below
 * @domains: domains of @dev not yet revoked (no references held: a domain
 *	takes itself off when it is revoked)
 * @bufs: DMA buffers of @dev whose memory is still allocated, in
 *	allocation order
 * @pools: pools of @dev not yet destroyed
 * @devm_done: devm buffers whose devres entry was released at unbind:
 *	their descriptors go at the end of the binding's release
 * @quiescers: the tasks running a quiesce callback of a buffer of @dev
 * @busy: DMA memory frees in progress outside @lock
 * @users: DMA allocations and user mappings in progress outside @lock
 * @deferred: frees of @dev's buffers deferred to process context and not
 *	yet done, by safe's work or by a sweep or release of this binding
 *	that took them over (dma.c)
 * @deferred_frees: those of them that are owners' frees from atomic
 *	context and wait for the work, oldest first, under dma.c's lock
 * @deferred_claimed: those that are the zap and free of memory claimed
 *	under a mmap lock, likewise
 * @deferred_node: entry in dma.c's list of bindings that list any
 * @deferred_listed: how many @deferred_frees and @deferred_claimed list
 * @wq: woken when @busy, @users or @deferred drops to 0 or a domain leaves
 *	@domains
 * @swept: the buffers were swept at unbind; new allocations fail
 * @dead: the devres entry was released; the device is unbound or deleted
 * @zap_hurry: a wait for an mmap lock ran out (dma.c); until
 *	@zap_hurry_until, zaps try each lock once instead of waiting again
 * @zap_hurry_until: see @zap_hurry
 * @all_node: entry in binding.c's list of this copy of the library's
 *	bindings, from before the devres entry is added until its release
 *	is done; under binding.c's lock, not @lock
 * @unloading: released by the library's exit (safe_bindings_exit()), for
 *	good, while the device may stay bound
 *
 * Invariant: DMA memory of @dev is freed before the devres entry's release
 * returns, which is before the driver core tears down @dev's DMA state
 * (dma_range_map, IOMMU); frees that come later release descriptors only.
 */
struct safe_binding {
	struct kref ref;
	struct device *dev;
	spinlock_t lock;		/* see above */
	struct list_head domains;
	struct list_head bufs;
	struct list_head pools;
	struct list_head devm_done;
	struct list_head quiescers;
	unsigned int busy;
	unsigned int users;
	atomic_t deferred;
	struct list_head deferred_frees;
	struct list_head deferred_claimed;
	struct list_head deferred_node;
	unsigned int deferred_listed;
	wait_queue_head_t wq;
	bool swept;
	bool dead;
	bool zap_hurry;
	unsigned long zap_hurry_until;
	struct list_head all_node;
	bool unloading;
};

struct safe_revocable;
bool safe_revocable_detach(struct safe_revocable *r);
bool safe_revocable_in_access(struct safe_revocable_domain *d);
void safe_revocable_domain_kill(struct safe_revocable_domain *d);

bool safe_device_leaving(struct device *dev, bool releasing);
struct safe_binding *safe_binding_get(struct device *dev, gfp_t gfp);
void safe_binding_put(struct safe_binding *b);
int safe_binding_add_domain(struct safe_binding *b,
			    struct safe_revocable_domain *d);
void safe_binding_forget_domain(struct safe_revocable_domain *d);
void safe_bindings_exit(void);

/* How many domains one quiesce callback may borrow from. */
#define SAFE_QUIESCER_LOANS	4

/*
 * A task in a DMA quiesce callback, on its binding's @quiescers list;
 * @lent: the domains whose revoked resources the callback borrowed from
 * safe_revocable_teardown(), whose teardowns release none of them before
 * the callback has returned.
 */
struct safe_quiescer {
	struct list_head node;
	struct task_struct *task;
	struct safe_revocable_domain *lent[SAFE_QUIESCER_LOANS];
};

void safe_revocable_loan_end(struct safe_revocable_domain *d);

int safe_binding_lend(struct safe_binding *b, struct safe_revocable_domain *d);
void safe_binding_unlend(struct safe_binding *b,
			 struct safe_revocable_domain *d);
void safe_binding_wait_borrowers(struct safe_binding *b,
				 struct safe_revocable_domain *d);

/* DMA side of a binding, in dma.c. */
void safe_dma_sweep(struct safe_binding *b, bool all);
void safe_dma_destroy_pools(struct safe_binding *b);
void safe_dma_put_devm(struct safe_binding *b);
void safe_dma_finish_deferred(struct safe_binding *b, bool busy);
void safe_dma_exit(void);

#endif /* _SAFE_LIB_INTERNAL_H */
