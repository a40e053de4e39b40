// SPDX-License-Identifier: GPL-2.0
/*
 * Owned DMA-coherent buffers: the allocation, the free that always matches
 * it (deferred to process context when called from atomic context), the
 * devres and revocation-domain owners, and buffers from a dma_pool.
 *
 * The documented API is the inline wrappers in <linux/safe/dma.h>.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/kref.h>
#include <linux/llist.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/safe/dma.h>

/*
 * A dma_pool with a reference count: the creator holds one and every
 * buffer allocated from it one more, so dma_pool_destroy() never meets a
 * block still in use.
 */
struct safe_dma_pool {
	struct dma_pool *pool;
	struct device *dev;
	size_t elem_size;
	size_t count;
	size_t size;
	struct kref ref;
};

static void safe_dma_pool_release(struct kref *ref)
{
	struct safe_dma_pool *p = container_of(ref, struct safe_dma_pool, ref);

	dma_pool_destroy(p->pool);
	put_device(p->dev);
	kfree(p);
}

/* The checks every allocation makes before it allocates anything. */
static int safe_dma_check(struct device *dev, size_t elem_size, size_t count,
			  gfp_t gfp, size_t *size)
{
	if (!dev || !elem_size || !count || (gfp & __GFP_COMP))
		return -EINVAL;
	if (check_mul_overflow(elem_size, count, size))
		return -EOVERFLOW;
	/* dma_alloc_attrs() would WARN and carry on; say why and stop. */
	if (!dev->coherent_dma_mask) {
		dev_err_once(dev, "safe_dma: no coherent DMA mask; set one with dma_set_coherent_mask() before allocating\n");
		return -EIO;
	}
	return 0;
}

static struct safe_dma_buf *safe_dma_new(struct device *dev, size_t elem_size,
					 size_t count, size_t size, gfp_t gfp,
					 unsigned long attrs)
{
	/* Zone modifiers are for the DMA memory; kmalloc() rejects them. */
	struct safe_dma_buf *buf = kzalloc(sizeof(*buf), gfp & ~GFP_ZONEMASK);

	if (!buf)
		return NULL;
	buf->elem_size = elem_size;
	buf->count = count;
	buf->size = size;
	buf->attrs = attrs;
	buf->gfp = gfp;
	buf->phase = SAFE_DMA_CPU_OWNED;
	buf->owner = SAFE_DMA_OWNER_CALLER;
	buf->dev = get_device(dev);
	return buf;
}

/* Quiesce, then free with the recorded values.  Process context only. */
static void safe_dma_release(struct safe_dma_buf *buf)
{
	might_sleep();
	if (buf->quiesce)
		buf->quiesce(buf->quiesce_arg);
	if (buf->pool) {
		dma_pool_free(buf->pool->pool, buf->cpu, buf->handle);
		kref_put(&buf->pool->ref, safe_dma_pool_release);
	} else {
		dma_free_attrs(buf->dev, buf->size, buf->cpu, buf->handle,
			       buf->attrs);
	}
	put_device(buf->dev);
	kfree(buf);
}

/*
 * Frees from atomic context wait here for process context.  Each pending
 * free holds a reference to the module whose code will run it (safe.ko,
 * or the driver that embeds the library), so it cannot be unloaded first.
 */
static LLIST_HEAD(safe_dma_deferred);

static void safe_dma_deferred_fn(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&safe_dma_deferred);
	struct safe_dma_buf *buf, *tmp;

	/* In the order safe_dma_free() was called. */
	list = llist_reverse_order(list);
	llist_for_each_entry_safe(buf, tmp, list, free_node) {
		safe_dma_release(buf);
		module_put(THIS_MODULE);
	}
}

static DECLARE_WORK(safe_dma_deferred_work, safe_dma_deferred_fn);

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
	struct safe_dma_buf *buf;
	size_t size;
	int ret;

	ret = safe_dma_check(dev, elem_size, count, gfp, &size);
	if (ret)
		return ERR_PTR(ret);
	buf = safe_dma_new(dev, elem_size, count, size, gfp, attrs);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	buf->cpu = dma_alloc_attrs(dev, size, &buf->handle, gfp, attrs);
	if (!buf->cpu) {
		put_device(buf->dev);
		kfree(buf);
		return ERR_PTR(-ENOMEM);
	}
	return buf;
}
EXPORT_SYMBOL_GPL(__safe_dma_alloc);

static void safe_dma_devm_release(void *data)
{
	safe_dma_release(data);
}

/* Allocate a buffer freed at unbind; see devm_safe_dma_alloc(). */
struct safe_dma_buf *__devm_safe_dma_alloc(struct device *dev,
					   size_t elem_size, size_t count,
					   gfp_t gfp, unsigned long attrs)
{
	struct safe_dma_buf *buf;
	int ret;

	buf = __safe_dma_alloc(dev, elem_size, count, gfp, attrs);
	if (IS_ERR(buf))
		return buf;
	buf->owner = SAFE_DMA_OWNER_DEVM;
	/* On failure this frees the buffer through the action. */
	ret = devm_add_action_or_reset(dev, safe_dma_devm_release, buf);
	if (ret)
		return ERR_PTR(ret);
	return buf;
}
EXPORT_SYMBOL_GPL(__devm_safe_dma_alloc);

/* Free a buffer, now or from process context; see safe_dma_free(). */
void __safe_dma_free(struct safe_dma_buf *buf)
{
	switch (buf->owner) {
	case SAFE_DMA_OWNER_DOMAIN:
		WARN_ONCE(1, "safe_dma: %s: buffer owned by a revocation domain freed by hand; revoke it instead\n",
			  dev_name(buf->dev));
		return;
	case SAFE_DMA_OWNER_DEVM:
		devm_remove_action(buf->dev, safe_dma_devm_release, buf);
		buf->owner = SAFE_DMA_OWNER_CALLER;
		break;
	}

	if (safe_dma_atomic()) {
		__module_get(THIS_MODULE);
		llist_add(&buf->free_node, &safe_dma_deferred);
		schedule_work(&safe_dma_deferred_work);
		return;
	}
	safe_dma_release(buf);
}
EXPORT_SYMBOL_GPL(__safe_dma_free);

/* Wait for deferred frees; see safe_dma_flush_deferred(). */
void __safe_dma_flush_deferred(void)
{
	flush_work(&safe_dma_deferred_work);
}
EXPORT_SYMBOL_GPL(__safe_dma_flush_deferred);

static void safe_dma_revoke_release(void *ptr)
{
	safe_dma_release(ptr);
}

/* Hand a buffer to a revocation domain; see safe_dma_attach(). */
struct safe_revocable *__safe_dma_attach(struct safe_dma_buf *buf,
					 struct safe_revocable_domain *d)
{
	struct safe_revocable *r;

	if (IS_ERR_OR_NULL(buf) || !d)
		return ERR_PTR(-EINVAL);
	if (buf->owner != SAFE_DMA_OWNER_CALLER)
		return ERR_PTR(-EBUSY);
	/*
	 * Once the resource exists a revocation may free the buffer at any
	 * moment, so the owner is set before and only reset on failure.
	 */
	buf->owner = SAFE_DMA_OWNER_DOMAIN;
	r = safe_revocable_create(d, buf, safe_dma_revoke_release);
	if (IS_ERR(r))
		buf->owner = SAFE_DMA_OWNER_CALLER;
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
	return 0;
}
EXPORT_SYMBOL_GPL(__safe_dma_fits);

/* An accessor refused a range: warn the first time for this buffer. */
int __safe_dma_range_error(struct safe_dma_buf *buf, size_t first, size_t n)
{
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

/* Create a pool of equal buffers; see safe_dma_pool_create(). */
struct safe_dma_pool *__safe_dma_pool_create(const char *name,
					     struct device *dev,
					     size_t elem_size, size_t count,
					     size_t align)
{
	struct safe_dma_pool *p;
	size_t size;
	int ret;

	ret = safe_dma_check(dev, elem_size, count, 0, &size);
	if (ret)
		return ERR_PTR(ret);
	if (!name || (align && !is_power_of_2(align)))
		return ERR_PTR(-EINVAL);
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->pool = dma_pool_create(name, dev, size, align, 0);
	if (!p->pool) {
		kfree(p);
		return ERR_PTR(-ENOMEM);
	}
	p->dev = get_device(dev);
	p->elem_size = elem_size;
	p->count = count;
	p->size = size;
	kref_init(&p->ref);
	return p;
}
EXPORT_SYMBOL_GPL(__safe_dma_pool_create);

/* Allocate a buffer from a pool; see safe_dma_pool_alloc(). */
struct safe_dma_buf *__safe_dma_pool_alloc(struct safe_dma_pool *pool,
					   gfp_t gfp)
{
	struct safe_dma_buf *buf;

	buf = safe_dma_new(pool->dev, pool->elem_size, pool->count,
			   pool->size, gfp, 0);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	buf->cpu = dma_pool_zalloc(pool->pool, gfp, &buf->handle);
	if (!buf->cpu) {
		put_device(buf->dev);
		kfree(buf);
		return ERR_PTR(-ENOMEM);
	}
	kref_get(&pool->ref);
	buf->pool = pool;
	return buf;
}
EXPORT_SYMBOL_GPL(__safe_dma_pool_alloc);

/* Drop the creator's reference; see safe_dma_pool_destroy(). */
void __safe_dma_pool_destroy(struct safe_dma_pool *pool)
{
	might_sleep();
	kref_put(&pool->ref, safe_dma_pool_release);
}
EXPORT_SYMBOL_GPL(__safe_dma_pool_destroy);
