// SPDX-License-Identifier: GPL-2.0
/*
 * Owned DMA-coherent buffers: the allocation, the free that always matches
 * it, the devres and revocation-domain owners, buffers from a dma_pool,
 * and the binding rule: no DMA memory outlives its device's binding.
 *
 * A buffer has two lifetimes.  Its descriptor lives until its owner frees
 * it (safe_dma_free(), devres, the domain).  Its memory lives until then or
 * until the device is unbound, whichever comes first: at unbind safe
 * quiesces and frees what is left while the device's DMA state is intact
 * (lib/binding.c), and the owner's later free releases the descriptor.
 * Whoever takes a buffer off its binding's list frees the memory.  The
 * descriptor is counted: its owner (for a devm buffer, its devres entry)
 * holds it, and so do a sweep freeing its memory and a free deferred to
 * process context, so whichever of them comes last frees it.  A devm
 * buffer's descriptor lives until its device's unbind has completed, so
 * that quiesce callbacks run during unbind may still free it.
 *
 * The documented API is the inline wrappers in <linux/safe/dma.h>.
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/export.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/preempt.h>
#include <linux/pseudo_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#include <linux/safe/guard.h>
#include <linux/safe/dma.h>
#include "internal.h"

/*
 * A dma_pool with a reference count: the creator holds one and every
 * buffer allocated from it one more, so dma_pool_destroy() never meets a
 * block still in use.  The binding destroys the dma_pool at unbind, after
 * the memory of every buffer from it was freed.
 */
struct safe_dma_pool {
	struct dma_pool *pool;
	struct device *dev;
	struct safe_binding *binding;
	struct list_head bind_node;
	size_t elem_size;
	size_t count;
	size_t size;
	struct kref ref;
	u8 state;
};

/*
 * An address space a buffer was mapped into.  mmap() links a new mapping
 * into the file's mapping tree only after ->mmap returned, still holding
 * the mmap lock for writing: a zap in between misses the mapping, whose
 * page table entries then point at freed memory.  Before zapping, safe
 * takes the mmap lock of every address space that mapped the buffer once,
 * which waits for such an mmap() to finish linking.
 */
struct safe_dma_mapper {
	struct list_head node;
	struct mm_struct *mm;
};

/*
 * One mmap() call's mapping of a buffer.  safe_dma_mmap() moves the new
 * mapping onto a file of its own, on safe's pseudo filesystem, as
 * dma_buf_mmap() moves it onto the dma-buf's file: the zap then unmaps
 * that file's address space, which holds the mappings of this buffer and
 * of nothing else (the device file's may hold other buffers', at the same
 * offsets), and pins no inode or mount of the device node.  The map file
 * holds the device file, so a mapping keeps that open, as any mapping
 * does.
 *
 * The buffer lists its maps without holding them (the map file holds the
 * device file, whose ->release may be what frees the buffer); the map file
 * holds one reference and a zap in progress one more.  @inode and the
 * pseudo filesystem stay until the last reference goes.
 */
struct safe_dma_map {
	struct list_head node;		/* in buf->maps, while @listed */
	bool listed;
	struct kref ref;
	struct inode *inode;
	struct file *dev_file;
};

#define SAFE_DMA_FS_MAGIC	0x5afed3a9

/*
 * Guards every buffer's maps list and each map's @listed.  Nests inside
 * a binding's lock, so it is irqsave too.
 */
static DEFINE_SPINLOCK(safe_dma_map_lock);
static struct vfsmount *safe_dma_mnt;
static int safe_dma_mnt_count;

static int safe_dma_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, SAFE_DMA_FS_MAGIC) ? 0 : -ENOMEM;
}

/* Never registered: mounted only inside the kernel, by simple_pin_fs(). */
static struct file_system_type safe_dma_fs_type = {
	.owner = THIS_MODULE,
	.name = "safe_dma",
	.init_fs_context = safe_dma_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

/* The attributes a coherent allocation can honour with CPU accessors. */
#define SAFE_DMA_ATTRS_OK (DMA_ATTR_WEAK_ORDERING | DMA_ATTR_WRITE_COMBINE | \
			   DMA_ATTR_NO_KERNEL_MAPPING |			\
			   DMA_ATTR_FORCE_CONTIGUOUS |			\
			   DMA_ATTR_ALLOC_SINGLE_PAGES | DMA_ATTR_NO_WARN | \
			   DMA_ATTR_PRIVILEGED)

/*
 * Take what @node stands for (a buffer's memory, a pool) off @b's list to
 * free it.  True: the caller frees it and then calls safe_dma_unclaim().
 * False: it is gone, or someone else is freeing it and this waited until
 * it is gone.
 */
static bool safe_dma_claim(struct safe_binding *b, struct list_head *node,
			   u8 *state)
{
	scoped_guard(spinlock_irqsave, &b->lock) {
		if (*state == SAFE_DMA_MEM_LIVE) {
			list_del_init(node);
			*state = SAFE_DMA_MEM_FREEING;
			b->busy++;
			return true;
		}
	}
	wait_event(b->wq, READ_ONCE(*state) == SAFE_DMA_MEM_GONE);
	return false;
}

static void safe_dma_unclaim(struct safe_binding *b, u8 *state)
{
	scoped_guard(spinlock_irqsave, &b->lock) {
		WRITE_ONCE(*state, SAFE_DMA_MEM_GONE);
		b->busy--;
	}
	wake_up_all(&b->wq);
}

static void safe_dma_pool_release(struct kref *ref)
{
	struct safe_dma_pool *p = container_of(ref, struct safe_dma_pool, ref);

	if (safe_dma_claim(p->binding, &p->bind_node, &p->state)) {
		dma_pool_destroy(p->pool);
		safe_dma_unclaim(p->binding, &p->state);
	}
	safe_binding_put(p->binding);
	put_device(p->dev);
	kfree(p);
}

/* The checks every allocation makes before it allocates anything. */
static int safe_dma_check(struct device *dev, size_t elem_size, size_t count,
			  gfp_t gfp, unsigned long attrs, size_t *size)
{
	if (!dev || !elem_size || !count || (gfp & __GFP_COMP))
		return -EINVAL;
	/* devres and the DMA API take spinlock_t, a sleeping lock on RT. */
	if (in_hardirq() || in_nmi())
		return -EINVAL;
	if (attrs & ~SAFE_DMA_ATTRS_OK)
		return -EINVAL;
	/* dma-direct rounds the size up to pages, which must not wrap. */
	if (check_mul_overflow(elem_size, count, size) ||
	    *size > SIZE_MAX - PAGE_SIZE + 1)
		return -EOVERFLOW;
	/* dma_alloc_attrs() would WARN and carry on; say why and stop. */
	if (!dev->coherent_dma_mask) {
		dev_err_once(dev, "safe_dma: no coherent DMA mask; set one with dma_set_coherent_mask() before allocating\n");
		return -EIO;
	}
	return 0;
}

/*
 * A descriptor on binding @b, whose reference it takes over (and drops on
 * failure): the device's binding for a new allocation, the pool's for a
 * pool allocation.
 */
static struct safe_dma_buf *safe_dma_new(struct device *dev,
					 struct safe_binding *b,
					 size_t elem_size, size_t count,
					 size_t size, gfp_t gfp,
					 unsigned long attrs)
{
	/* Zone modifiers are for the DMA memory; kmalloc() rejects them. */
	struct safe_dma_buf *buf = kzalloc(sizeof(*buf), gfp & ~GFP_ZONEMASK);

	if (!buf) {
		safe_binding_put(b);
		return ERR_PTR(-ENOMEM);
	}
	buf->elem_size = elem_size;
	buf->count = count;
	buf->size = size;
	buf->attrs = attrs;
	buf->gfp = gfp;
	buf->phase = SAFE_DMA_CPU_OWNED;
	buf->owner = SAFE_DMA_OWNER_CALLER;
	buf->mem = SAFE_DMA_MEM_GONE;
	buf->binding = b;
	refcount_set(&buf->refs, 1);	/* the owner's */
	INIT_LIST_HEAD(&buf->bind_node);
	INIT_LIST_HEAD(&buf->devm_node);
	INIT_LIST_HEAD(&buf->maps);
	INIT_LIST_HEAD(&buf->mappers);
	INIT_LIST_HEAD(&buf->free_node);
	INIT_LIST_HEAD(&buf->claimed_node);
	buf->dev = get_device(dev);
	return buf;
}

/*
 * Allocations and user mappings use the device's DMA state outside the
 * lock: the sweep at unbind waits for them before it frees anything.
 * None starts once the binding's release has begun.
 */
static int safe_dma_use(struct safe_binding *b)
{
	guard(spinlock_irqsave)(&b->lock);
	if (b->swept || b->dead)
		return -ENODEV;
	b->users++;
	return 0;
}

static void safe_dma_unuse(struct safe_binding *b)
{
	scoped_guard(spinlock_irqsave, &b->lock)
		b->users--;
	wake_up_all(&b->wq);
}

/*
 * The memory is allocated: from now on the binding may free it.  A sweep
 * that began meanwhile waits for this (the allocation is a user) before
 * it takes the list, so it frees this memory too, in process context.
 */
static void safe_dma_publish(struct safe_dma_buf *buf)
{
	struct safe_binding *b = buf->binding;

	scoped_guard(spinlock_irqsave, &b->lock) {
		buf->mem = SAFE_DMA_MEM_LIVE;
		list_add_tail(&buf->bind_node, &b->bufs);
	}
	safe_dma_unuse(b);
}

/* Forget the address spaces @buf was mapped into; see safe_dma_zap(). */
static void safe_dma_drop_mappers(struct list_head *mappers)
{
	struct safe_dma_mapper *m, *tmp;

	list_for_each_entry_safe(m, tmp, mappers, node) {
		mmdrop(m->mm);
		kfree(m);
	}
}

static void safe_dma_map_free(struct kref *ref)
{
	struct safe_dma_map *map = container_of(ref, struct safe_dma_map, ref);

	iput(map->inode);
	/* Last: the inode lives on the pseudo filesystem. */
	simple_release_fs(&safe_dma_mnt, &safe_dma_mnt_count);
	kfree(map);
}

static void safe_dma_map_put(struct safe_dma_map *map)
{
	kref_put(&map->ref, safe_dma_map_free);
}

/* Take @map off its buffer's list, if it is still there. */
static void safe_dma_map_unlist(struct safe_dma_map *map)
{
	guard(spinlock_irqsave)(&safe_dma_map_lock);
	if (map->listed)
		list_del(&map->node);
	map->listed = false;
}

/* The last mapping of a map file is gone (or its mmap() failed). */
static int safe_dma_map_release(struct inode *inode, struct file *f)
{
	struct safe_dma_map *map = f->private_data;

	safe_dma_map_unlist(map);
	fput(map->dev_file);
	safe_dma_map_put(map);
	return 0;
}

/* msync() of coherent memory has nothing to write back. */
static const struct file_operations safe_dma_map_fops = {
	.owner = THIS_MODULE,
	.release = safe_dma_map_release,
	.fsync = noop_fsync,
};

/*
 * A map file for a mapping made through @dev_file, holding it, or an
 * ERR_PTR().  Not yet on a buffer's list.
 */
static struct file *safe_dma_map_file(struct file *dev_file)
{
	struct safe_dma_map *map;
	struct file *f;
	int ret;

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return ERR_PTR(-ENOMEM);
	kref_init(&map->ref);
	ret = simple_pin_fs(&safe_dma_fs_type, &safe_dma_mnt,
			    &safe_dma_mnt_count);
	if (ret) {
		kfree(map);
		return ERR_PTR(ret);
	}
	map->inode = alloc_anon_inode(safe_dma_mnt->mnt_sb);
	if (IS_ERR(map->inode)) {
		ret = PTR_ERR(map->inode);
		simple_release_fs(&safe_dma_mnt, &safe_dma_mnt_count);
		kfree(map);
		return ERR_PTR(ret);
	}
	/* The map's own reference; the file's goes with its dentry. */
	ihold(map->inode);
	/*
	 * __fput() puts the module of f_op, which alloc_file_pseudo() does
	 * not take.  We run on behalf of a caller that holds this module.
	 */
	__module_get(THIS_MODULE);
	f = alloc_file_pseudo(map->inode, safe_dma_mnt, "safe_dma",
			      O_RDWR, &safe_dma_map_fops);
	if (IS_ERR(f)) {
		module_put(THIS_MODULE);
		iput(map->inode);	/* the file's, not taken over */
		safe_dma_map_put(map);
		return f;
	}
	map->dev_file = get_file(dev_file);
	f->private_data = map;
	return f;
}

/* Take @buf's maps off its list, each with a reference, onto @maps. */
static void safe_dma_take_maps(struct safe_dma_buf *buf,
			       struct list_head *maps)
{
	struct safe_dma_map *map;

	guard(spinlock_irqsave)(&safe_dma_map_lock);
	list_for_each_entry(map, &buf->maps, node) {
		kref_get(&map->ref);
		map->listed = false;
	}
	list_splice_init(&buf->maps, maps);
}

/*
 * Take a buffer's memory to free it, as safe_dma_claim().  1: the caller
 * frees it.  0: it is gone, or this task frees it further up its stack
 * (a quiesce callback freeing a buffer its own free or sweep has
 * claimed).  -EBUSY: another task's free has it (it holds its own
 * reference to the descriptor).  With @wait (a devres entry or a domain
 * releasing the buffer: the rest of their teardown must not run under a
 * device still being stopped) this waits for that free to end and
 * returns 0.  The owner's free does not wait for it: the sweep's quiesce
 * callbacks may be waiting for the owner.
 */
static int safe_dma_claim_buf(struct safe_dma_buf *buf, bool wait)
{
	struct safe_binding *b = buf->binding;

	scoped_guard(spinlock_irqsave, &b->lock) {
		if (buf->mem == SAFE_DMA_MEM_LIVE) {
			list_del_init(&buf->bind_node);
			buf->mem = SAFE_DMA_MEM_FREEING;
			buf->freer = current;
			b->busy++;
			return 1;
		}
		if (buf->mem == SAFE_DMA_MEM_GONE || buf->freer == current)
			return 0;
		if (!wait)
			return -EBUSY;
	}
	wait_event(b->wq, READ_ONCE(buf->mem) == SAFE_DMA_MEM_GONE);
	return 0;
}

/* Drop a reference to the descriptor; the last one releases it. */
static void safe_dma_put_desc(struct safe_dma_buf *buf)
{
	struct safe_dma_map *map, *tmp;
	LIST_HEAD(maps);

	if (!refcount_dec_and_test(&buf->refs))
		return;
	/* Maps of memory freed already were unmapped: forget them. */
	safe_dma_take_maps(buf, &maps);
	list_for_each_entry_safe(map, tmp, &maps, node)
		safe_dma_map_put(map);
	safe_dma_drop_mappers(&buf->mappers);
	if (buf->pool)
		kref_put(&buf->pool->ref, safe_dma_pool_release);
	safe_binding_put(buf->binding);
	put_device(buf->dev);
	kfree(buf);
}

/*
 * Run the driver's quiesce callback once per buffer, whoever asks first,
 * while the memory is there; a second caller waits until it has returned,
 * so nobody frees the memory under a device that is still being stopped.
 */
static void safe_dma_quiesce(struct safe_dma_buf *buf)
{
	struct safe_quiescer q = { .task = current };
	struct safe_binding *b = buf->binding;
	bool run = false;

	/*
	 * Listed as a quiescer of the binding while the callback runs: a
	 * domain teardown of the device in progress lets it reach the
	 * domain's resources and releases none before it has returned.
	 */
	scoped_guard(spinlock_irqsave, &b->lock) {
		if (buf->quiesce_state == SAFE_DMA_QUIESCE_NONE &&
		    buf->mem != SAFE_DMA_MEM_GONE && buf->quiesce) {
			buf->quiesce_state = SAFE_DMA_QUIESCE_RUNNING;
			list_add(&q.node, &b->quiescers);
			run = true;
		}
	}
	if (!run) {
		wait_event(b->wq, READ_ONCE(buf->quiesce_state) !=
				  SAFE_DMA_QUIESCE_RUNNING);
		return;
	}
	buf->quiesce(buf->quiesce_arg);
	/* Loans end here; their teardowns wait for the list entry to go. */
	for (int i = 0; i < SAFE_QUIESCER_LOANS; i++)
		if (q.lent[i])
			safe_revocable_loan_end(q.lent[i]);
	scoped_guard(spinlock_irqsave, &b->lock) {
		list_del(&q.node);
		WRITE_ONCE(buf->quiesce_state, SAFE_DMA_QUIESCE_DONE);
	}
	wake_up_all(&b->wq);
}

/*
 * How long freeing a mapped buffer waits for the mmap locks of the
 * processes that mapped it.  A lock can be held for as long as user space
 * likes (a read of /proc/PID/mem that faults on a stalled FUSE page, with
 * a writer queued behind it), and unbind must not wait for that.  The
 * bound is per device, not per buffer: see safe_dma_zap_deadline().
 */
#define SAFE_DMA_LINK_WAIT	(10 * HZ)

/*
 * When a zap of @b's buffers stops waiting for mmap locks.  Once a wait
 * has run out, the zaps of the next SAFE_DMA_LINK_WAIT try each lock once:
 * otherwise an unbind would wait again for every buffer the same stalled
 * process mapped, N times 10 s.
 */
static unsigned long safe_dma_zap_deadline(struct safe_binding *b)
{
	unsigned long now = jiffies;

	guard(spinlock_irqsave)(&b->lock);
	if (b->zap_hurry && time_before(now, b->zap_hurry_until))
		return now;
	b->zap_hurry = false;
	return now + SAFE_DMA_LINK_WAIT;
}

/* A zap's wait ran out: the next ones on @b hurry. */
static void safe_dma_zap_timed_out(struct safe_binding *b)
{
	guard(spinlock_irqsave)(&b->lock);
	b->zap_hurry = true;
	b->zap_hurry_until = jiffies + SAFE_DMA_LINK_WAIT;
}

/*
 * Wait until @mm's mmap lock is free once, or until @deadline.  A trylock,
 * not a sleeping lock: nobody can be left waiting for the lock.
 */
static bool safe_dma_wait_mmap_lock(struct mm_struct *mm,
				    unsigned long deadline)
{
	/*
	 * No task uses it: no mmap() can be under way there.  That includes
	 * exit_mmap(), which calls vm_ops->close holding the lock, from a
	 * task whose ->mm is gone already (so the free was not deferred).
	 */
	if (!atomic_read(&mm->mm_users))
		return true;
	/* Ours would never be free: a bug, say so (lockdep builds). */
	lockdep_assert_not_held(&mm->mmap_lock);
	while (!mmap_read_trylock(mm)) {
		if (!atomic_read(&mm->mm_users))
			return true;
		if (time_after_eq(jiffies, deadline))
			return false;
		msleep(20);
	}
	mmap_read_unlock(mm);
	return true;
}

/*
 * Remove every user mapping of @buf, claimed already, so that no PTE
 * points at its memory; other buffers' mappings stay.  False: a mapping
 * may still be on its way into its map file's tree, out of the zap's
 * reach, and the memory must not be freed.  Process context, holding no
 * mmap lock.
 */
static bool safe_dma_zap(struct safe_dma_buf *buf)
{
	struct safe_binding *b = buf->binding;
	struct safe_dma_map *map, *tmp;
	struct safe_dma_mapper *m;
	unsigned long deadline;
	LIST_HEAD(mappers);
	LIST_HEAD(maps);
	bool linked = true;

	/*
	 * The memory is claimed, so no safe_dma_mmap() adds an entry now.
	 * One that checked the memory before the claim added its entries
	 * then, and its mmap() holds that mmap lock until the mapping is
	 * linked: waiting for the lock waits for both.  Wait even when no
	 * map is listed any more: a failed mmap() releases its map file
	 * before it unmaps what the driver mapped.
	 */
	scoped_guard(spinlock_irqsave, &b->lock)
		list_splice_init(&buf->mappers, &mappers);
	safe_dma_take_maps(buf, &maps);
	if (!list_empty(&mappers)) {
		deadline = safe_dma_zap_deadline(b);
		list_for_each_entry(m, &mappers, node)
			linked &= safe_dma_wait_mmap_lock(m->mm, deadline);
	}
	safe_dma_drop_mappers(&mappers);
	if (!linked)
		safe_dma_zap_timed_out(b);
	list_for_each_entry_safe(map, tmp, &maps, node) {
		unmap_mapping_range(map->inode->i_mapping, 0, 0, 1);
		safe_dma_map_put(map);
	}
	return linked;
}

/*
 * DMA memory safe would not free (see safe_dma_zap()), with its device,
 * which stays pinned: DMA-API debug's record of the allocation points at
 * it.  Listed so that the memory and the device are accounted for, and
 * kmemleak sees them referenced.
 */
struct safe_dma_lost {
	struct list_head node;
	struct device *dev;
	void *cpu;
	dma_addr_t handle;
	size_t size;
};

static LIST_HEAD(safe_dma_lost_list);
static DEFINE_SPINLOCK(safe_dma_lost_lock);

static void safe_dma_lose(struct safe_dma_buf *buf)
{
	struct safe_dma_lost *l = kzalloc(sizeof(*l), GFP_KERNEL);

	dev_warn(buf->dev, "safe_dma: %zu bytes of DMA memory not freed: a process that mapped them held its mmap lock for %ds\n",
		 buf->size, SAFE_DMA_LINK_WAIT / HZ);
	get_device(buf->dev);
	if (!l)
		return;
	l->dev = buf->dev;
	l->cpu = buf->cpu;
	l->handle = buf->handle;
	l->size = buf->size;
	guard(spinlock)(&safe_dma_lost_lock);
	list_add_tail(&l->node, &safe_dma_lost_list);
}

/* Free memory this task has claimed, still counted busy.  Process context. */
static void safe_dma_free_claimed_mem(struct safe_dma_buf *buf)
{
	/* User mappings first: after this no PTE points at the memory. */
	if (!safe_dma_zap(buf)) {
		/* Better lost than mapped into user space once freed. */
		safe_dma_lose(buf);
	} else if (buf->pool) {
		dma_pool_free(buf->pool->pool, buf->cpu, buf->handle);
	} else {
		dma_free_attrs(buf->dev, buf->size, buf->cpu, buf->handle,
			       buf->attrs);
	}
	WRITE_ONCE(buf->cpu, NULL);
	/*
	 * Nobody may hand the address of memory gone to a device; a reader
	 * that sees the handle gone sees the CPU address gone, too.
	 */
	smp_wmb();
	WRITE_ONCE(buf->handle, 0);
}

/* Free memory this task has claimed, and say so.  Process context. */
static void safe_dma_free_claimed(struct safe_dma_buf *buf)
{
	safe_dma_free_claimed_mem(buf);
	safe_dma_unclaim(buf->binding, &buf->mem);
}

static void safe_dma_defer_claimed(struct safe_dma_buf *buf);

/*
 * The zap waits for the mmap locks of the processes that mapped the
 * buffer: not from under our own (vm_ops->close, an ->mmap that failed),
 * which would wait for itself.  Another thread of the process holding it
 * (a page fault) looks the same from here; either way only the zap and the
 * free are deferred, never the quiesce callback.
 */
static bool safe_dma_mmap_locked(void)
{
	return current->mm && rwsem_is_locked(&current->mm->mmap_lock);
}

/*
 * Quiesce and free the memory, unless another free has it (see
 * safe_dma_claim_buf() for @wait).  Every free, the owner's too, zaps the
 * buffer's own user mappings first.  The quiesce callback has run when
 * this returns.  Process context only.
 */
static void safe_dma_free_mem(struct safe_dma_buf *buf, bool wait)
{
	int ret;

	might_sleep();
	ret = safe_dma_claim_buf(buf, wait);
	if (ret > 0) {
		safe_dma_quiesce(buf);
		if (safe_dma_mmap_locked())
			safe_dma_defer_claimed(buf);
		else
			safe_dma_free_claimed(buf);
	} else if (ret == -EBUSY) {
		/*
		 * The other free (a sweep) runs the callbacks of all its
		 * buffers first: run this one's now, or wait for it, so that
		 * it is over when the owner goes on to free its argument.
		 */
		safe_dma_quiesce(buf);
	}
}

/* The memory, then the caller's reference to the descriptor. */
static void safe_dma_release(struct safe_dma_buf *buf, bool wait)
{
	safe_dma_free_mem(buf, wait);
	safe_dma_put_desc(buf);
}

/**
 * safe_dma_sweep() - free the DMA memory of a device that is going away
 * @b: the device's binding
 * @all: every buffer (the binding's own release), or only those the
 *	caller owns (a device domain's teardown at unbind; buffers of devres
 *	and of domains are freed in their own place in the order)
 *
 * Quiesces every buffer taken, newest first, then frees them, then runs
 * the frees of the device's buffers deferred to safe's work, whoever owns
 * them (see safe_dma_finish_deferred()), and waits for frees that others
 * started.  New allocations for the device fail.
 *
 * Context: process context; at unbind or device_del().
 * Return: nothing.
 */
void safe_dma_sweep(struct safe_binding *b, bool all)
{
	struct safe_dma_buf *buf, *tmp;
	LIST_HEAD(mine);

	scoped_guard(spinlock_irqsave, &b->lock)
		b->swept = true;
	/*
	 * Allocations and mmap() calls that started before: an allocation
	 * lands on the list, so it is freed here, in process context, and
	 * not by its caller, who may hold a spinlock.
	 */
	wait_event(b->wq, !READ_ONCE(b->users));
	scoped_guard(spinlock_irqsave, &b->lock) {
		list_for_each_entry_safe_reverse(buf, tmp, &b->bufs, bind_node) {
			if (!all && buf->owner != SAFE_DMA_OWNER_CALLER)
				continue;
			list_move_tail(&buf->bind_node, &mine);
			buf->mem = SAFE_DMA_MEM_FREEING;
			buf->freer = current;
			b->busy++;
			/* Owners' frees do not wait for us, so hold it. */
			refcount_inc(&buf->refs);
		}
	}
	list_for_each_entry(buf, &mine, bind_node)
		safe_dma_quiesce(buf);
	list_for_each_entry_safe(buf, tmp, &mine, bind_node) {
		list_del_init(&buf->bind_node);
		safe_dma_free_claimed(buf);
		safe_dma_put_desc(buf);
	}
	/*
	 * Frees that others started: those deferred to safe's work are run
	 * here, not waited for behind other devices'.
	 */
	safe_dma_finish_deferred(b, true);
}

/**
 * safe_dma_destroy_pools() - destroy a device's pools at unbind
 * @b: the device's binding, swept already
 *
 * Returns once every pool of @b is destroyed, by this or by another task.
 *
 * Context: process context; at unbind or device_del().
 * Return: nothing.
 */
void safe_dma_destroy_pools(struct safe_binding *b)
{
	struct safe_dma_pool *p;

	for (;;) {
		scoped_guard(spinlock_irqsave, &b->lock) {
			p = list_first_entry_or_null(&b->pools,
						     struct safe_dma_pool,
						     bind_node);
			if (p) {
				list_del_init(&p->bind_node);
				p->state = SAFE_DMA_MEM_FREEING;
				b->busy++;
			}
		}
		if (!p)
			break;
		dma_pool_destroy(p->pool);
		safe_dma_unclaim(b, &p->state);
	}
	/*
	 * A pool whose last reference went in another task after the
	 * sweep (a file's ->release after unplug) was claimed there, not
	 * listed here: its pages must be freed before the device's DMA
	 * state goes too.
	 */
	wait_event(b->wq, !READ_ONCE(b->busy));
}

/*
 * Frees deferred to process context wait here: the owners' frees from
 * atomic context, and the zap and free of memory claimed and quiesced
 * under a mmap lock.  Each binding lists its own, oldest first, and is
 * on safe_dma_deferred while it lists any.  One work item runs them, one
 * at a time and a device after another, so that a device's unbind can
 * take its own over in one step (see safe_dma_finish_deferred()) instead
 * of waiting behind other devices'.  Each pins the module whose code runs
 * it (safe.ko, or the driver that embeds the library), and safe_lib_exit()
 * waits for them.
 *
 * Each is counted in one of two slots, the one current when it was
 * queued, until it is done: safe_dma_flush_deferred() switches the slot
 * and waits for the old one to empty, so frees deferred while it waits
 * cannot keep it waiting.  All under the lock, which is raw: frees are
 * deferred from hard interrupt context too, even on PREEMPT_RT.
 */
static DEFINE_RAW_SPINLOCK(safe_dma_deferred_lock);
static LIST_HEAD(safe_dma_deferred);
static unsigned int safe_dma_deferred_listed;
static unsigned int safe_dma_deferred_count[2];
static unsigned int safe_dma_deferred_slot;
static DECLARE_WAIT_QUEUE_HEAD(safe_dma_deferred_wq);
static DEFINE_MUTEX(safe_dma_flush_mutex);

static void safe_dma_owner_release(struct safe_dma_buf *buf);

/*
 * Run one deferred free of @buf, taken off its list: @claimed says which.
 * Its binding is held across: the descriptor's last put may drop it.
 */
static void safe_dma_run_deferred(struct safe_dma_buf *buf, bool claimed)
{
	struct safe_binding *b = buf->binding;
	unsigned int slot = claimed ? buf->claimed_slot : buf->free_slot;
	struct module *pinned = NULL;
	bool idle;

	kref_get(&b->ref);
	if (claimed) {
		/*
		 * Quiesced already; the sweep waits for this claim.  The claim
		 * is given up only after the deferral's reference is dropped:
		 * that put may be the descriptor's last, and its put_device()
		 * must come before the unbind waiting for us returns, not
		 * after, when the device's ->release may be in a module that
		 * is gone.
		 */
		safe_dma_free_claimed_mem(buf);
		scoped_guard(spinlock_irqsave, &b->lock)
			WRITE_ONCE(buf->mem, SAFE_DMA_MEM_GONE);
	} else {
		pinned = buf->quiesce_pinned;
		safe_dma_owner_release(buf);
	}
	safe_dma_put_desc(buf);		/* the deferral's */
	module_put(pinned);
	if (claimed) {
		scoped_guard(spinlock_irqsave, &b->lock)
			b->busy--;
	}
	atomic_dec(&b->deferred);
	wake_up_all(&b->wq);
	safe_binding_put(b);
	scoped_guard(raw_spinlock_irqsave, &safe_dma_deferred_lock)
		idle = !--safe_dma_deferred_count[slot];
	if (idle)
		wake_up_all(&safe_dma_deferred_wq);
	module_put(THIS_MODULE);
}

/*
 * Take the oldest deferred free of the binding first in line off its
 * list, claimed memory first (its sweep is waiting), and send the binding
 * to the back of the line.  NULL when none is left.
 */
static struct safe_dma_buf *safe_dma_take_deferred(bool *claimed)
{
	struct safe_dma_buf *buf;
	struct safe_binding *b;

	guard(raw_spinlock_irqsave)(&safe_dma_deferred_lock);
	b = list_first_entry_or_null(&safe_dma_deferred, struct safe_binding,
				     deferred_node);
	if (!b)
		return NULL;
	buf = list_first_entry_or_null(&b->deferred_claimed,
				       struct safe_dma_buf, claimed_node);
	*claimed = buf;
	if (buf) {
		list_del_init(&buf->claimed_node);
	} else {
		buf = list_first_entry(&b->deferred_frees, struct safe_dma_buf,
				       free_node);
		list_del_init(&buf->free_node);
	}
	safe_dma_deferred_listed--;
	if (!--b->deferred_listed)
		list_del_init(&b->deferred_node);
	else
		list_move_tail(&b->deferred_node, &safe_dma_deferred);
	return buf;
}

/*
 * At most as many as were listed when it started, then again if more
 * are: a run ends however fast others free.
 */
static void safe_dma_deferred_fn(struct work_struct *work)
{
	struct safe_dma_buf *buf;
	unsigned int n;
	bool claimed;

	scoped_guard(raw_spinlock_irqsave, &safe_dma_deferred_lock)
		n = safe_dma_deferred_listed;
	while (n-- && (buf = safe_dma_take_deferred(&claimed))) {
		safe_dma_run_deferred(buf, claimed);
		cond_resched();
	}
	scoped_guard(raw_spinlock_irqsave, &safe_dma_deferred_lock)
		n = safe_dma_deferred_listed;
	if (n)
		queue_work(system_unbound_wq, work);
}

static DECLARE_WORK(safe_dma_deferred_work, safe_dma_deferred_fn);

/* Run the deferred frees that @b lists, in this task. */
static void safe_dma_take_over_deferred(struct safe_binding *b)
{
	struct safe_dma_buf *buf, *tmp;
	LIST_HEAD(claimed);
	LIST_HEAD(frees);

	scoped_guard(raw_spinlock_irqsave, &safe_dma_deferred_lock) {
		list_splice_init(&b->deferred_claimed, &claimed);
		list_splice_init(&b->deferred_frees, &frees);
		list_del_init(&b->deferred_node);
		safe_dma_deferred_listed -= b->deferred_listed;
		b->deferred_listed = 0;
	}
	/* Off every list before it runs, as the work takes them. */
	list_for_each_entry_safe(buf, tmp, &claimed, claimed_node) {
		list_del_init(&buf->claimed_node);
		safe_dma_run_deferred(buf, true);
	}
	list_for_each_entry_safe(buf, tmp, &frees, free_node) {
		list_del_init(&buf->free_node);
		safe_dma_run_deferred(buf, false);
	}
}

/* The claims of @b are over (for @busy), and its deferrals (for @mine). */
static bool safe_dma_own_done(struct safe_binding *b, bool busy, bool mine)
{
	return (!busy || !READ_ONCE(b->busy)) &&
	       (!mine || !atomic_read(&b->deferred));
}

/**
 * safe_dma_finish_deferred() - finish a binding's deferred frees
 * @b: the device's binding, at unbind
 * @busy: a sweep: wait for frees of @b's memory that other tasks started
 *	as well; otherwise the binding's release, after its sweep
 *
 * Runs the frees of @b's buffers that wait for safe's work in the
 * caller's task, until none is left; it waits for the work only to finish
 * one of them it started.  An unbind so leaves none of its own behind and
 * does not wait behind other devices' deferred frees.  Frees deferred from
 * interrupt context meanwhile are taken over too (the wait polls: a hard
 * interrupt handler cannot wake it).
 *
 * A sweep under the caller's mmap lock (a domain revoked from a mapping's
 * ->close) leaves them to the work, whose zaps wait for that lock, and
 * waits for its claims only; another thread holding the lock looks the
 * same from here.  The binding's release takes them over in any case: the
 * memory is gone by then, only descriptors are left.
 *
 * Context: process context; at unbind, device_del() or a domain's
 * teardown.  Not from a quiesce callback.
 * Return: nothing.
 */
void safe_dma_finish_deferred(struct safe_binding *b, bool busy)
{
	for (;;) {
		bool mine = !busy || !safe_dma_mmap_locked();

		if (mine)
			safe_dma_take_over_deferred(b);
		if (safe_dma_own_done(b, busy, mine))
			return;
		wait_event_timeout(b->wq, safe_dma_own_done(b, busy, mine) ||
				   (mine && !list_empty_careful(&b->deferred_node)),
				   HZ / 10);
	}
}

/*
 * Each deferral pins the module that runs it and holds a descriptor
 * reference until it is done with it, whoever else lets go.  @slot
 * records the flush slot it is counted in.  The work always goes to the
 * same workqueue, so that it never runs twice at once.
 */
static void safe_dma_queue_deferred(struct safe_dma_buf *buf,
				    struct list_head *node,
				    struct list_head *list, u8 *slot)
{
	struct safe_binding *b = buf->binding;

	__module_get(THIS_MODULE);
	refcount_inc(&buf->refs);
	atomic_inc(&b->deferred);
	scoped_guard(raw_spinlock_irqsave, &safe_dma_deferred_lock) {
		*slot = safe_dma_deferred_slot;
		safe_dma_deferred_count[*slot]++;
		safe_dma_deferred_listed++;
		list_add_tail(node, list);
		if (!b->deferred_listed++)
			list_add_tail(&b->deferred_node, &safe_dma_deferred);
	}
	queue_work(system_unbound_wq, &safe_dma_deferred_work);
}

/*
 * The owner's whole free, from atomic context.  It pins the callback's
 * module too: a driver may free a buffer of a device it does not own (a
 * DMA controller's), which no unbind of its own flushes.  A module already
 * going flushes in its exit (see safe_dma_set_quiesce()).
 */
static void safe_dma_defer(struct safe_dma_buf *buf)
{
	buf->quiesce_pinned = NULL;
	if (buf->quiesce && try_module_get(buf->quiesce_owner))
		buf->quiesce_pinned = buf->quiesce_owner;
	safe_dma_queue_deferred(buf, &buf->free_node,
				&buf->binding->deferred_frees, &buf->free_slot);
}

/*
 * Only the zap and the free of memory this task has claimed and quiesced
 * under a mmap lock.  A separate list: the same buffer may wait on the
 * other already (its owner freed it from atomic context, and then devres
 * got to it at unbind).  Process context: a waiting sweep may take it.
 */
static void safe_dma_defer_claimed(struct safe_dma_buf *buf)
{
	safe_dma_queue_deferred(buf, &buf->claimed_node,
				&buf->binding->deferred_claimed,
				&buf->claimed_slot);
	wake_up_all(&buf->binding->wq);
}

/*
 * Where dma_free_attrs() and a sleeping quiesce callback are not allowed:
 * interrupts off, hard or soft interrupt context, preemption off (which
 * includes a held spinlock), or inside a preemptible RCU reader.  Without
 * CONFIG_PREEMPT_COUNT a held spinlock or disabled preemption cannot be
 * seen, as for might_sleep().
 */
static bool safe_dma_atomic(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_COUNT))
		return !preemptible() || rcu_preempt_depth();
	return !in_task() || irqs_disabled();
}

/* Allocate a buffer; see safe_dma_alloc(). */
struct safe_dma_buf *__safe_dma_alloc(struct device *dev, size_t elem_size,
				      size_t count, gfp_t gfp,
				      unsigned long attrs)
{
	struct safe_binding *b;
	struct safe_dma_buf *buf;
	size_t size;
	int ret;

	ret = safe_dma_check(dev, elem_size, count, gfp, attrs, &size);
	if (ret)
		return ERR_PTR(ret);
	if (gfpflags_allow_blocking(gfp)) {
		ret = safe_lib_init();
		if (ret)
			return ERR_PTR(ret);
	}
	b = safe_binding_get(dev, gfp & ~GFP_ZONEMASK);
	if (IS_ERR(b))
		return ERR_CAST(b);
	buf = safe_dma_new(dev, b, elem_size, count, size, gfp, attrs);
	if (IS_ERR(buf))
		return buf;
	ret = safe_dma_use(buf->binding);
	if (ret)
		goto out;
	/*
	 * More than the machine has fails here (an IOMMU's page array for
	 * it would warn); past the page allocator's largest order, dma-direct
	 * fails without a warning.
	 */
	if (size >> PAGE_SHIFT > totalram_pages()) {
		safe_dma_unuse(buf->binding);
		ret = -ENOMEM;
		goto out;
	}
	buf->cpu = dma_alloc_attrs(dev, size, &buf->handle,
				   size > KMALLOC_MAX_SIZE ? gfp | __GFP_NOWARN : gfp,
				   attrs);
	if (!buf->cpu) {
		safe_dma_unuse(buf->binding);
		ret = -ENOMEM;
		goto out;
	}
	safe_dma_publish(buf);
	return buf;
out:
	safe_dma_put_desc(buf);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(__safe_dma_alloc);

/*
 * A devm buffer's devres entry owns it.  Its release frees the memory; at
 * unbind the descriptor stays on the binding until the binding's own
 * release has run, because quiesce callbacks run there (and in domains'
 * teardowns) may still free the buffer, and cannot know whether devres
 * got to it first.
 */
static void safe_dma_devres_release(struct device *dev, void *res)
{
	struct safe_dma_buf *buf = *(struct safe_dma_buf **)res;
	struct safe_binding *b = buf->binding;
	bool leaving = safe_device_leaving(dev, true);

	safe_dma_free_mem(buf, true);
	scoped_guard(spinlock_irqsave, &b->lock) {
		if (leaving && !b->dead) {
			list_add_tail(&buf->devm_node, &b->devm_done);
			return;
		}
	}
	safe_dma_put_desc(buf);
}

/**
 * safe_dma_put_devm() - release the descriptors devres freed at unbind
 * @b: the device's binding, at the end of its release
 *
 * A devres action registered before the binding (before the driver's
 * first safe object) runs after this, and must not free a devm buffer: its
 * descriptor is gone (Documentation/lifetime.rst, D3).  Waiting for the
 * rest of the unbind here would need the device after its unbind, whose
 * last reference may release it from a module that is gone by then.
 *
 * Context: process context; at unbind or device_del().
 * Return: nothing.
 */
void safe_dma_put_devm(struct safe_binding *b)
{
	struct safe_dma_buf *buf, *tmp;
	LIST_HEAD(done);

	scoped_guard(spinlock_irqsave, &b->lock)
		list_splice_init(&b->devm_done, &done);
	list_for_each_entry_safe(buf, tmp, &done, devm_node)
		safe_dma_put_desc(buf);
}

static int safe_dma_devres_match(struct device *dev, void *res, void *data)
{
	return *(struct safe_dma_buf **)res == data;
}

/* Allocate a buffer freed at unbind; see devm_safe_dma_alloc(). */
struct safe_dma_buf *__devm_safe_dma_alloc(struct device *dev,
					   size_t elem_size, size_t count,
					   gfp_t gfp, unsigned long attrs)
{
	struct safe_dma_buf **slot;
	struct safe_dma_buf *buf;

	buf = __safe_dma_alloc(dev, elem_size, count, gfp, attrs);
	if (IS_ERR(buf))
		return buf;
	slot = devres_alloc(safe_dma_devres_release, sizeof(*slot),
			    gfp & ~GFP_ZONEMASK);
	if (!slot) {
		__safe_dma_free(buf);
		return ERR_PTR(-ENOMEM);
	}
	*slot = buf;
	/* The owner's reference is the entry's now. */
	scoped_guard(spinlock_irqsave, &buf->binding->lock)
		buf->owner = SAFE_DMA_OWNER_DEVM;
	devres_add(dev, slot);
	return buf;
}
EXPORT_SYMBOL_GPL(__devm_safe_dma_alloc);

/*
 * The owner's free, in process context.  A devm buffer's devres entry
 * goes with it, and its reference is the owner's; if devres has taken the
 * entry already (unbind under way), only the memory goes here, and the
 * entry's release, or the binding's after it, drops the descriptor.
 */
static void safe_dma_owner_release(struct safe_dma_buf *buf)
{
	if (buf->owner == SAFE_DMA_OWNER_DEVM &&
	    devres_destroy(buf->dev, safe_dma_devres_release,
			   safe_dma_devres_match, buf)) {
		safe_dma_free_mem(buf, false);
		return;
	}
	safe_dma_release(buf, false);
}

/* Free a buffer, now or from process context; see safe_dma_free(). */
void __safe_dma_free(struct safe_dma_buf *buf)
{
	if (buf->owner == SAFE_DMA_OWNER_DOMAIN) {
		WARN_ONCE(1, "safe_dma: %s: buffer owned by a revocation domain freed by hand; revoke it instead\n",
			  dev_name(buf->dev));
		return;
	}
	/* Seen only while the first free holds the descriptor. */
	if (WARN_ONCE(atomic_xchg(&buf->owner_freed, 1),
		      "safe_dma: %s: buffer freed twice (from its own quiesce callback?)\n",
		      dev_name(buf->dev)))
		return;

	/* No sleeping here: all of it, the quiesce callback too, waits. */
	if (safe_dma_atomic()) {
		safe_dma_defer(buf);
		return;
	}
	safe_dma_owner_release(buf);
}
EXPORT_SYMBOL_GPL(__safe_dma_free);

/*
 * Wait for deferred frees; see safe_dma_flush_deferred().  Those counted
 * in the old slot may be run by the work or by an unbind that took them
 * over.
 */
void __safe_dma_flush_deferred(void)
{
	unsigned int old;

	guard(mutex)(&safe_dma_flush_mutex);
	scoped_guard(raw_spinlock_irqsave, &safe_dma_deferred_lock) {
		old = safe_dma_deferred_slot;
		safe_dma_deferred_slot = !old;
	}
	wait_event(safe_dma_deferred_wq,
		   !READ_ONCE(safe_dma_deferred_count[old]));
}

/**
 * safe_dma_exit() - wait for the deferred-free work to return
 *
 * After __safe_dma_flush_deferred(): the work may still be on its way out
 * of the module's code.
 *
 * Context: process context; module exit.
 * Return: nothing.
 */
void safe_dma_exit(void)
{
	flush_work(&safe_dma_deferred_work);
}
EXPORT_SYMBOL_GPL(__safe_dma_flush_deferred);

static void safe_dma_revoke_quiesce(void *ptr)
{
	safe_dma_quiesce(ptr);
}

static void safe_dma_revoke_release(void *ptr)
{
	safe_dma_release(ptr, true);
}

/* Hand a buffer to a revocation domain; see safe_dma_attach(). */
struct safe_revocable *__safe_dma_attach(struct safe_dma_buf *buf,
					 struct safe_revocable_domain *d)
{
	struct safe_revocable *r;

	if (IS_ERR_OR_NULL(buf) || IS_ERR_OR_NULL(d))
		return ERR_PTR(-EINVAL);
	/*
	 * The buffer's memory goes when its device leaves, and only the
	 * domains of that binding are revoked before: a domain of another
	 * device, or of none, would hand out the buffer after that.  A
	 * buffer whose memory is gone has nothing left to hand out.  Under
	 * the binding's lock, so the sweep sees the owner.
	 */
	scoped_guard(spinlock_irqsave, &buf->binding->lock) {
		if (buf->mem != SAFE_DMA_MEM_LIVE)
			return ERR_PTR(-ENODEV);
		if (d->binding != buf->binding)
			return ERR_PTR(-EINVAL);
		if (buf->owner != SAFE_DMA_OWNER_CALLER)
			return ERR_PTR(-EBUSY);
		/*
		 * Once the resource exists a revocation may free the buffer
		 * at any moment, so the owner is set before and only reset
		 * on failure.
		 */
		buf->owner = SAFE_DMA_OWNER_DOMAIN;
	}
	r = safe_revocable_create_quiesced(d, buf, safe_dma_revoke_quiesce,
					   safe_dma_revoke_release);
	if (IS_ERR(r)) {
		/* Under the lock: a sweep meanwhile must see the owner. */
		scoped_guard(spinlock_irqsave, &buf->binding->lock)
			buf->owner = SAFE_DMA_OWNER_CALLER;
	}
	return r;
}
EXPORT_SYMBOL_GPL(__safe_dma_attach);

/*
 * Can a typed handle of @n elements (0: any number) of @elem_size bytes
 * use @buf?  It needs a CPU mapping, too.
 */
int __safe_dma_fits(struct safe_dma_buf *buf, size_t elem_size, size_t n)
{
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (!buf || buf->elem_size != elem_size || buf->count < n ||
	    (buf->attrs & DMA_ATTR_NO_KERNEL_MAPPING))
		return -EINVAL;
	/* Freed when its device left: nothing to bind to. */
	if (!READ_ONCE(buf->cpu))
		return -ENODEV;
	return 0;
}
EXPORT_SYMBOL_GPL(__safe_dma_fits);

/* An accessor refused a range: warn the first time for this buffer. */
int __safe_dma_range_error(struct safe_dma_buf *buf, size_t first, size_t n)
{
	if (!buf) {
		WARN_ONCE(1, "safe_dma: access through a handle bound to no buffer\n");
		return -ENODEV;
	}
	/* Seen first with CONFIG_SAFE_DEBUG, see __safe_dma_alive(). */
	if (!READ_ONCE(buf->cpu)) {
		if (atomic_inc_return(&buf->stale_errors) == 1)
			WARN(1, "safe_dma: %s: access to a buffer whose memory was freed at unbind\n",
			     dev_name(buf->dev));
		return -ENODEV;
	}
	if (atomic_inc_return(&buf->range_errors) == 1)
		WARN(1, "safe_dma: %s: access to elements [%zu, +%zu) of a buffer of %zu refused\n",
		     dev_name(buf->dev), first, n, buf->count);
	return -ERANGE;
}
EXPORT_SYMBOL_GPL(__safe_dma_range_error);

/* safe_dma_cpu_ptr() outside the CPU-owned phase (CONFIG_SAFE_DEBUG). */
void __safe_dma_phase_error(struct safe_dma_buf *buf)
{
	WARN_ONCE(1, "safe_dma: %s: plain CPU pointer requested for a buffer %s; use the accessors\n",
		  dev_name(buf->dev),
		  buf->attrs & DMA_ATTR_NO_KERNEL_MAPPING ?
		  "without a kernel mapping" : "already shared with the device");
}
EXPORT_SYMBOL_GPL(__safe_dma_phase_error);

/* Copy between a buffer and an iov_iter; see safe_dma_copy_to_iter(). */
ssize_t __safe_dma_copy_iter(struct safe_dma_buf *buf, size_t offset,
			     size_t len, struct iov_iter *iter, bool to_iter)
{
	size_t done;

	if (IS_ERR_OR_NULL(buf))
		return -ENODEV;
	if (len > buf->size || offset > buf->size - len)
		return __safe_dma_range_error(buf, offset / buf->elem_size,
					      DIV_ROUND_UP(len, buf->elem_size));
	if (!buf->cpu || (buf->attrs & DMA_ATTR_NO_KERNEL_MAPPING))
		return -ENODEV;
	/* A fault on user memory fails the copy instead of sleeping in it. */
	pagefault_disable();
	if (to_iter)
		done = copy_to_iter(buf->cpu + offset, len, iter);
	else
		done = copy_from_iter(buf->cpu + offset, len, iter);
	pagefault_enable();
	if (!done && len)
		return -EFAULT;
	return done;
}
EXPORT_SYMBOL_GPL(__safe_dma_copy_iter);

/* Fill bytes of a buffer; see safe_dma_memset(). */
int __safe_dma_memset(struct safe_dma_buf *buf, size_t offset, int c,
		      size_t len)
{
	if (IS_ERR_OR_NULL(buf))
		return -ENODEV;
	if (len > buf->size || offset > buf->size - len)
		return __safe_dma_range_error(buf, offset / buf->elem_size,
					      DIV_ROUND_UP(len, buf->elem_size));
	if (!buf->cpu || (buf->attrs & DMA_ATTR_NO_KERNEL_MAPPING))
		return -ENODEV;
	memset(buf->cpu + offset, c, len);
	return 0;
}
EXPORT_SYMBOL_GPL(__safe_dma_memset);

/*
 * Record a mapping of @buf on @map by @mm (*@mp, taken over unless @mm is
 * recorded already), and count it as a user of the device's DMA state.
 */
static int safe_dma_mmap_record(struct safe_dma_buf *buf,
				struct safe_dma_map *map, struct mm_struct *mm,
				struct safe_dma_mapper **mp,
				struct list_head *exited,
				void **cpu, dma_addr_t *handle)
{
	struct safe_binding *b = buf->binding;
	struct safe_dma_mapper *old, *tmp;
	bool found = false;

	guard(spinlock_irqsave)(&b->lock);
	if (buf->mem != SAFE_DMA_MEM_LIVE || b->swept || b->dead)
		return -ENODEV;
	/*
	 * The memory stays until our mmap lock is free (the zap waits for
	 * it), or for good (a zap that gave up keeps it), but a free may
	 * clear these meanwhile.
	 */
	*cpu = buf->cpu;
	*handle = buf->handle;
	/* Under the binding's lock: a claim after this finds the map. */
	scoped_guard(spinlock_irqsave, &safe_dma_map_lock) {
		list_add_tail(&map->node, &buf->maps);
		map->listed = true;
	}
	/*
	 * Keep one entry per live address space.  One whose users are gone
	 * has no mmap() in progress and its mappings were torn down: forget
	 * it, so that processes mapping and exiting do not pin memory for as
	 * long as the buffer lives.
	 */
	list_for_each_entry_safe(old, tmp, &buf->mappers, node) {
		if (old->mm == mm)
			found = true;
		else if (!atomic_read(&old->mm->mm_users))
			list_move(&old->node, exited);
	}
	if (!found) {
		mmgrab(mm);
		(*mp)->mm = mm;
		list_add_tail(&(*mp)->node, &buf->mappers);
		*mp = NULL;
	}
	/* The zap waits for us, then for our mmap lock. */
	b->users++;
	return 0;
}

/* Map a buffer into user space; see safe_dma_mmap(). */
int __safe_dma_mmap(struct safe_dma_buf *buf, struct vm_area_struct *vma)
{
	struct safe_dma_mapper *m __free(kfree) = NULL;
	struct safe_dma_map *map;
	dma_addr_t handle;
	struct file *mf;
	LIST_HEAD(exited);
	void *cpu;
	int ret;

	if (IS_ERR_OR_NULL(buf))
		return -ENODEV;
	/* Not zeroed by dma-direct: user space would see old contents. */
	if (!vma->vm_file || buf->pool ||
	    (buf->attrs & DMA_ATTR_NO_KERNEL_MAPPING))
		return -EINVAL;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	mf = safe_dma_map_file(vma->vm_file);
	if (IS_ERR(mf))
		return PTR_ERR(mf);
	map = mf->private_data;
	ret = safe_dma_mmap_record(buf, map, vma->vm_mm, &m, &exited, &cpu,
				   &handle);
	safe_dma_drop_mappers(&exited);
	if (!ret) {
		ret = dma_mmap_attrs(buf->dev, vma, cpu, handle, buf->size,
				     buf->attrs);
		safe_dma_unuse(buf->binding);
	}
	if (!ret) {
		/* Linked into mf's tree once ->mmap returns; see above. */
		vma_set_file(vma, mf);
		safe_dma_handle(buf);
	} else {
		/* Nothing mapped: off the list now, not at the deferred fput. */
		safe_dma_map_unlist(map);
	}
	/* The mapping holds it now; on failure this releases it. */
	fput(mf);
	return ret;
}
EXPORT_SYMBOL_GPL(__safe_dma_mmap);

/* Create a pool of equal buffers; see safe_dma_pool_create(). */
struct safe_dma_pool *__safe_dma_pool_create(const char *name,
					     struct device *dev,
					     size_t elem_size, size_t count,
					     size_t align)
{
	struct safe_dma_pool *p;
	struct safe_binding *b;
	size_t size;
	int ret;

	ret = safe_dma_check(dev, elem_size, count, 0, 0, &size);
	if (ret)
		return ERR_PTR(ret);
	if (!name || (align && !is_power_of_2(align)))
		return ERR_PTR(-EINVAL);
	/* dma_pool_create() keeps sizes in an unsigned int. */
	if (size > INT_MAX || align > INT_MAX ||
	    ALIGN(size, align ?: 1) > INT_MAX)
		return ERR_PTR(-EINVAL);
	ret = safe_lib_init();
	if (ret)
		return ERR_PTR(ret);
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	b = safe_binding_get(dev, GFP_KERNEL);
	if (IS_ERR(b)) {
		kfree(p);
		return ERR_CAST(b);
	}
	p->pool = dma_pool_create(name, dev, size, align, 0);
	if (!p->pool) {
		safe_binding_put(b);
		kfree(p);
		return ERR_PTR(-ENOMEM);
	}
	p->binding = b;
	p->dev = get_device(dev);
	p->elem_size = elem_size;
	p->count = count;
	p->size = size;
	kref_init(&p->ref);
	scoped_guard(spinlock_irqsave, &b->lock) {
		if (!b->swept && !b->dead) {
			p->state = SAFE_DMA_MEM_LIVE;
			list_add_tail(&p->bind_node, &b->pools);
			return p;
		}
	}
	/* Swept meanwhile: the device is going away. */
	dma_pool_destroy(p->pool);
	p->state = SAFE_DMA_MEM_GONE;
	INIT_LIST_HEAD(&p->bind_node);
	kref_put(&p->ref, safe_dma_pool_release);
	return ERR_PTR(-ENODEV);
}
EXPORT_SYMBOL_GPL(__safe_dma_pool_create);

/* Allocate a buffer from a pool; see safe_dma_pool_alloc(). */
struct safe_dma_buf *__safe_dma_pool_alloc(struct safe_dma_pool *pool,
					   gfp_t gfp)
{
	struct safe_dma_buf *buf;
	int ret;

	if (IS_ERR(pool))
		return ERR_CAST(pool);
	/* As safe_dma_check(): dma_pool_alloc() takes a spinlock_t. */
	if (!pool || in_hardirq() || in_nmi())
		return ERR_PTR(-EINVAL);
	/* The pool's binding, not a new lookup: the pool is freed there. */
	kref_get(&pool->binding->ref);
	buf = safe_dma_new(pool->dev, pool->binding, pool->elem_size,
			   pool->count, pool->size, gfp, 0);
	if (IS_ERR(buf))
		return buf;
	kref_get(&pool->ref);
	buf->pool = pool;
	scoped_guard(spinlock_irqsave, &buf->binding->lock) {
		/* The pool is destroyed at unbind, after the sweep. */
		if (pool->state != SAFE_DMA_MEM_LIVE || buf->binding->swept ||
		    buf->binding->dead) {
			ret = -ENODEV;
			goto out;
		}
		buf->binding->users++;
	}
	buf->cpu = dma_pool_zalloc(pool->pool, gfp, &buf->handle);
	if (!buf->cpu) {
		safe_dma_unuse(buf->binding);
		ret = -ENOMEM;
		goto out;
	}
	safe_dma_publish(buf);
	return buf;
out:
	safe_dma_put_desc(buf);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(__safe_dma_pool_alloc);

/* Drop the creator's reference; see safe_dma_pool_destroy(). */
void __safe_dma_pool_destroy(struct safe_dma_pool *pool)
{
	might_sleep();
	kref_put(&pool->ref, safe_dma_pool_release);
}
EXPORT_SYMBOL_GPL(__safe_dma_pool_destroy);
