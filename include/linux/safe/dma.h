/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Owned DMA-coherent buffers.
 *
 * A &struct safe_dma_buf records everything dma_free_attrs() needs (the
 * device, with a reference held, the size, the CPU address, the DMA handle
 * and the attributes), so the free always matches the allocation:
 *
 *	struct safe_dma_buf *ring __free(safe_dma) =
 *		safe_dma_alloc_array(dev, struct foo_desc, 256, GFP_KERNEL);
 *
 *	if (IS_ERR(ring))
 *		return PTR_ERR(ring);
 *
 * A buffer starts CPU-owned: safe_dma_cpu_ptr() gives a plain pointer to
 * fill it.  safe_dma_handle() hands the bus address out and moves it to the
 * shared phase for good; from then on the device may write it at any time
 * and the CPU reaches it only through the accessors, which use
 * READ_ONCE()/WRITE_ONCE() and check every index.  The accessors work on
 * typed handles, SAFE_DMA() and SAFE_DMA_ARRAY(); an index out of range
 * returns -ERANGE and warns once without touching memory, and a constant
 * index out of a SAFE_DMA_ARRAY() fails the build.
 *
 * The buffer is freed by safe_dma_free(), by devres at unbind
 * (devm_safe_dma_alloc()), or by the revocation of the domain it is
 * attached to (safe_dma_attach()).  Each runs the driver's quiesce
 * callback first (safe_dma_set_quiesce()), so the device has stopped
 * using the memory before it is freed.
 *
 * See Documentation/dma.rst.
 */
#ifndef _LINUX_SAFE_DMA_H
#define _LINUX_SAFE_DMA_H

#include <linux/safe/cleanup.h>
#include <linux/safe/revocable.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/refcount.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <asm/barrier.h>

/**
 * enum safe_dma_phase - who may touch a buffer, and how
 * @SAFE_DMA_CPU_OWNED: the bus address has not been handed out; the CPU
 *	may use plain pointers (safe_dma_cpu_ptr())
 * @SAFE_DMA_SHARED: the device may use the buffer; accessors only
 */
enum safe_dma_phase {
	SAFE_DMA_CPU_OWNED,
	SAFE_DMA_SHARED,
};

/**
 * enum safe_dma_owner - what frees a buffer
 * @SAFE_DMA_OWNER_CALLER: safe_dma_free(), through the owning pointer
 * @SAFE_DMA_OWNER_DEVM: devres, at unbind (or safe_dma_free() before)
 * @SAFE_DMA_OWNER_DOMAIN: the revocation domain it is attached to
 */
enum safe_dma_owner {
	SAFE_DMA_OWNER_CALLER,
	SAFE_DMA_OWNER_DEVM,
	SAFE_DMA_OWNER_DOMAIN,
};

/*
 * Where a buffer's memory is: allocated, being freed by whoever took it
 * off its binding's list, or freed.  Private.
 */
enum {
	SAFE_DMA_MEM_LIVE,
	SAFE_DMA_MEM_FREEING,
	SAFE_DMA_MEM_GONE,
};

/* Whether the quiesce callback ran.  Private. */
enum {
	SAFE_DMA_QUIESCE_NONE,
	SAFE_DMA_QUIESCE_RUNNING,
	SAFE_DMA_QUIESCE_DONE,
};

struct safe_binding;
struct safe_dma_pool;
struct inode;
struct task_struct;
struct vm_area_struct;

/**
 * struct safe_dma_buf - an owned DMA-coherent buffer
 * @cpu: CPU address of the memory, NULL once it is freed
 * @handle: DMA address of the memory
 * @elem_size: size of one element in bytes
 * @count: number of elements
 * @size: @elem_size * @count, what was allocated
 * @dev: the device, with a reference held until the buffer is freed
 * @attrs: DMA attributes of the allocation
 * @gfp: allocation flags
 * @phase: &enum safe_dma_phase
 * @owner: &enum safe_dma_owner
 * @quiesce: driver callback that stops the device's DMA, or NULL
 * @quiesce_arg: its argument
 * @quiesce_owner: the module that set @quiesce
 * @quiesce_pinned: @quiesce_owner while a deferred free holds a reference
 *	to it
 * @pool: the pool the memory came from, or NULL for dma_alloc_attrs()
 * @range_errors: accesses refused as out of range (the first one warns)
 * @stale_errors: accesses refused because the memory was freed at unbind
 *	(the first one warns)
 * @free_node: entry in the list of owners' frees deferred to process
 *	context, under that list's lock
 * @free_slot: the flush slot that deferral is counted in (dma.c)
 * @binding: the device's binding, which frees the memory at unbind
 * @bind_node: entry in the binding's list while the memory is allocated
 * @mem: where the memory is, under the binding's lock
 * @quiesce_state: whether the quiesce callback ran, under the binding's lock
 * @maps: the files safe_dma_mmap() moved its user mappings onto, one
 *	per mmap() call, until the zap or the file's last mapping goes
 * @mappers: the address spaces safe_dma_mmap() mapped it into, under the
 *	binding's lock; each entry pins its mm_struct with mmgrab()
 * @freer: the task freeing the memory while @mem is FREEING
 * @refs: references to the descriptor: its owner's (a devm buffer's
 *	devres entry's), a sweep's while it frees the memory, a deferred
 *	free's until it has run
 * @devm_node: entry in the binding's list of devm buffers released at
 *	unbind, whose descriptors go once the whole unbind is over
 * @owner_freed: the owner's safe_dma_free() has begun
 * @claimed_node: entry in the list of memory claimed and quiesced under a
 *	mmap lock, whose zap and free were deferred to process context, under
 *	that list's lock
 * @claimed_slot: the flush slot that deferral is counted in (dma.c)
 *
 * Fields are private; use the functions below.
 *
 * Invariant: the memory is freed exactly once, with the values recorded
 * here, in process context, before the device's binding ends, and after
 * the quiesce callback (if any) and the zapping of the user mappings made
 * by safe_dma_mmap().  The descriptor lives until its owner (for a devm
 * buffer: the end of its device's binding release), a sweep in progress and a
 * deferred free have all let go of it.
 */
struct safe_dma_buf {
	void *cpu;
	dma_addr_t handle;
	size_t elem_size;
	size_t count;
	size_t size;
	struct device *dev;
	unsigned long attrs;
	gfp_t gfp;
	u8 phase;
	u8 owner;
	void (*quiesce)(void *arg);
	void *quiesce_arg;
	struct module *quiesce_owner;
	struct module *quiesce_pinned;
	struct safe_dma_pool *pool;
	atomic_t range_errors;
	atomic_t stale_errors;
	struct list_head free_node;
	u8 free_slot;
	struct safe_binding *binding;
	struct list_head bind_node;
	u8 mem;
	u8 quiesce_state;
	struct list_head maps;
	struct list_head mappers;
	struct task_struct *freer;
	refcount_t refs;
	struct list_head devm_node;
	atomic_t owner_freed;
	struct list_head claimed_node;
	u8 claimed_slot;
};

struct safe_dma_buf *__safe_dma_alloc(struct device *dev, size_t elem_size,
				      size_t count, gfp_t gfp,
				      unsigned long attrs);
struct safe_dma_buf *__devm_safe_dma_alloc(struct device *dev,
					   size_t elem_size, size_t count,
					   gfp_t gfp, unsigned long attrs);
void __safe_dma_free(struct safe_dma_buf *buf);
void __safe_dma_flush_deferred(void);
struct safe_revocable *__safe_dma_attach(struct safe_dma_buf *buf,
					 struct safe_revocable_domain *d);
int __safe_dma_fits(struct safe_dma_buf *buf, size_t elem_size, size_t n);
int __safe_dma_range_error(struct safe_dma_buf *buf, size_t first, size_t n);
void __safe_dma_phase_error(struct safe_dma_buf *buf);
ssize_t __safe_dma_copy_iter(struct safe_dma_buf *buf, size_t offset,
			     size_t len, struct iov_iter *iter, bool to_iter);
int __safe_dma_mmap(struct safe_dma_buf *buf, struct vm_area_struct *vma);
int __safe_dma_memset(struct safe_dma_buf *buf, size_t offset, int c,
		      size_t len);
struct safe_dma_pool *__safe_dma_pool_create(const char *name,
					     struct device *dev,
					     size_t elem_size, size_t count,
					     size_t align);
struct safe_dma_buf *__safe_dma_pool_alloc(struct safe_dma_pool *pool,
					   gfp_t gfp);
void __safe_dma_pool_destroy(struct safe_dma_pool *pool);

/**
 * safe_dma_alloc() - allocate an owned DMA-coherent buffer
 * @dev: the device; it must have a coherent DMA mask
 * @elem_size: size of one element in bytes
 * @count: number of elements
 * @gfp: allocation flags (zone modifiers are ignored, as by
 *	dma_alloc_attrs())
 * @attrs: DMA attributes, usually 0: %DMA_ATTR_WEAK_ORDERING,
 *	%DMA_ATTR_WRITE_COMBINE, %DMA_ATTR_NO_KERNEL_MAPPING,
 *	%DMA_ATTR_FORCE_CONTIGUOUS, %DMA_ATTR_ALLOC_SINGLE_PAGES,
 *	%DMA_ATTR_NO_WARN and %DMA_ATTR_PRIVILEGED; the others describe
 *	streaming or MMIO mappings and are refused
 *
 * The memory is zeroed and CPU-owned; with %DMA_ATTR_NO_KERNEL_MAPPING
 * it has no CPU address and is not zeroed, and only the device may use
 * it.  The buffer holds a reference to @dev until it is freed.  The
 * memory lives until the buffer is freed or
 * @dev is unbound (or deleted), whichever comes first: at unbind safe runs
 * the quiesce callback and frees the memory while the device's DMA state
 * is intact, and a later safe_dma_free() releases only the descriptor.
 * Touch the memory only while @dev is bound or inside an access to the
 * buffer's domain (see Documentation/lifetime.rst).
 *
 * Context: the context @gfp allows, but not hard interrupt context
 * (devres and the DMA API take locks that sleep on PREEMPT_RT); @dev is
 * being probed or is bound, or has no driver.
 * Return: the buffer; ERR_PTR(-EINVAL) for a NULL @dev, zero @elem_size or
 * @count, __GFP_COMP in @gfp, an attribute safe cannot honour, or a call
 * from hard interrupt context;
 * ERR_PTR(-EOVERFLOW) when the size does not fit in size_t, or would not
 * once rounded up to pages; ERR_PTR(-EIO)
 * when @dev has no coherent DMA mask (logged once); ERR_PTR(-ENODEV) once
 * @dev is being unbound; ERR_PTR(-ENOMEM).
 */
static inline struct safe_dma_buf * __must_check
safe_dma_alloc(struct device *dev, size_t elem_size, size_t count, gfp_t gfp,
	       unsigned long attrs)
{
	return __safe_dma_alloc(dev, elem_size, count, gfp, attrs);
}

/**
 * safe_dma_alloc_array() - allocate an owned buffer of @count elements
 * @dev: the device
 * @type: element type
 * @count: number of elements
 * @gfp: allocation flags
 *
 * safe_dma_alloc() with sizeof(@type) as the element size and no
 * attributes.
 *
 * Context: the context @gfp allows.
 * Return: the buffer or an ERR_PTR(), as safe_dma_alloc().
 */
#define safe_dma_alloc_array(dev, type, count, gfp)			\
	safe_dma_alloc(dev, sizeof(type), count, gfp, 0)

/**
 * devm_safe_dma_alloc() - allocate a buffer freed at unbind
 * @dev: the device
 * @elem_size: size of one element in bytes
 * @count: number of elements
 * @gfp: allocation flags
 * @attrs: DMA attributes
 *
 * As safe_dma_alloc(), plus a devres action that frees the buffer (quiesce
 * callback first) when @dev is unbound.  safe_dma_free() may still free it
 * earlier; it then removes the action.
 *
 * Context: process context, typically probe(); the context @gfp allows.
 * Return: the buffer, or an ERR_PTR() as safe_dma_alloc().
 */
static inline struct safe_dma_buf * __must_check
devm_safe_dma_alloc(struct device *dev, size_t elem_size, size_t count,
		    gfp_t gfp, unsigned long attrs)
{
	return __devm_safe_dma_alloc(dev, elem_size, count, gfp, attrs);
}

/**
 * safe_dma_free() - free a buffer with the values recorded at allocation
 * @buf: the buffer; NULL and ERR_PTR() values are ignored
 *
 * Runs the quiesce callback, frees the memory with the recorded device,
 * size, addresses and attributes, and drops the device reference.  If the
 * device was unbound since, the memory is gone already and only the
 * descriptor is freed; no driver callback runs.
 *
 * dma_free_attrs() must not be called with interrupts disabled, and the
 * quiesce callback may sleep, so from atomic context (IRQ or softirq, a
 * spinlock held, interrupts or preemption disabled, inside rcu_read_lock())
 * the whole release is deferred to a workqueue; safe_dma_flush_deferred()
 * waits for it, and the device's unbind finishes it.  Without
 * CONFIG_PREEMPT_COUNT a held spinlock cannot be seen, as for
 * might_sleep().  While the calling process's mmap lock is
 * held (a vm_ops->close, an ->mmap that fails, or another thread's page
 * fault) the quiesce callback still runs before this returns; only the
 * zap of the buffer's user mappings, which waits for that lock, and the
 * free of the memory are deferred.
 *
 * A buffer attached to a revocation domain belongs to the domain: freeing
 * it here warns and does nothing (revoke it instead).  A buffer from
 * devm_safe_dma_alloc() may be freed here until the end of its device's
 * binding release, from a quiesce callback run during unbind too, whether
 * or not devres has freed its memory already; not from a devres action
 * registered before the driver's first safe object, which runs later.
 * When another free has the memory already (the sweep at unbind), this
 * does not wait for it; that one releases the descriptor.  Freeing a
 * buffer twice is a bug: a second free from its own quiesce callback
 * warns and does nothing.
 *
 * Context: any but NMI.
 * Return: nothing.
 */
static inline void safe_dma_free(struct safe_dma_buf *buf)
{
	if (!IS_ERR_OR_NULL(buf))
		__safe_dma_free(buf);
}

DEFINE_FREE(safe_dma, struct safe_dma_buf *, IS_ERR_OR_NULL(_T) ? (void)0 : safe_dma_free(_T))

/**
 * safe_dma_flush_deferred() - wait for frees deferred from atomic context
 *
 * A device's unbind finishes the deferred frees of its own buffers, so a
 * driver needs this only where it frees buffers of a device it does not
 * own (a DMA controller's) from atomic context, before it is unloaded,
 * and in the exit of a module that embeds the library.  Frees deferred
 * after the call are not waited for (though some may be done by then).
 *
 * Context: process context; may sleep.  Not from a quiesce callback,
 * which may be one of the frees it waits for.
 * Return: nothing.
 */
static inline void safe_dma_flush_deferred(void)
{
	__safe_dma_flush_deferred();
}

/**
 * safe_dma_set_quiesce() - set the callback that stops the device's DMA
 * @buf: the buffer
 * @quiesce: called with @arg before the memory is freed, or NULL
 * @arg: its argument
 *
 * However the buffer is freed (safe_dma_free(), devres, revocation), the
 * callback runs first, once, in process context, and may sleep.  After a
 * domain revocation it runs once no access to the buffer is in flight.
 * It may free other buffers of the device, and, when the sweep at unbind
 * runs it, its own buffer (the descriptor then goes once the memory is
 * freed); freeing its own buffer from the owner's safe_dma_free() is a
 * double free, which warns and does nothing.  Set it before the buffer is
 * attached or shared with other threads.
 *
 * A free in process context runs the callback before it returns, under
 * the caller's mmap lock if it holds one (vm_ops->close).
 *
 * A free deferred from atomic context holds a reference to the module
 * that called this until the callback has run, so that module cannot be
 * unloaded in between; one whose exit is already running when it frees
 * from atomic context calls safe_dma_flush_deferred() before it returns.
 *
 * Context: any.
 * Return: 0; -ENODEV (nothing set) for a NULL or ERR_PTR() @buf, or once
 * its memory was freed (its device left).
 */
static inline int safe_dma_set_quiesce(struct safe_dma_buf *buf,
				       void (*quiesce)(void *arg), void *arg)
{
	if (IS_ERR_OR_NULL(buf) || !READ_ONCE(buf->cpu))
		return -ENODEV;
	buf->quiesce = quiesce;
	buf->quiesce_arg = arg;
	/* Inline: the module that calls this, whose code @quiesce is. */
	buf->quiesce_owner = THIS_MODULE;
	return 0;
}

/**
 * safe_dma_attach() - make a buffer a revocable resource of a domain
 * @buf: the buffer, owned by the caller
 * @d: the domain
 *
 * On success the domain owns the buffer: revoking the domain revokes the
 * CPU-side access (safe_dma_scope() fails from then on), then runs the
 * quiesce callback, then frees the memory.  On failure the caller still
 * owns @buf, so a __free(safe_dma) variable stays correct:
 * retain_and_null_ptr() it after success.
 *
 * @d must be a domain of @buf's device, created while the device had its
 * current binding: the memory goes when the device leaves, and only that
 * device's domains are revoked before.  A buffer allocated on another
 * device (a DMA controller, a parent) stays with its owner.
 *
 * Context: process context; may sleep.  Not inside an access to @d.
 * Return: the resource, to store in a SAFE_DMA_REVOCABLE() handle;
 * ERR_PTR(-EINVAL) for a NULL or ERR_PTR() @buf or @d, or a @d of another
 * device (or binding) or of none; ERR_PTR(-ENODEV) once @buf's memory was
 * freed (its device left); ERR_PTR(-EBUSY) for a buffer that devres or a
 * domain already owns; or the error of safe_revocable_create().
 */
static inline struct safe_revocable * __must_check
safe_dma_attach(struct safe_dma_buf *buf, struct safe_revocable_domain *d)
{
	return __safe_dma_attach(buf, d);
}

/**
 * safe_dma_count() - number of elements of a buffer
 * @buf: the buffer
 *
 * Context: any.
 * Return: the element count given at allocation; 0 for a NULL or
 * ERR_PTR() @buf.
 */
static inline size_t safe_dma_count(const struct safe_dma_buf *buf)
{
	return IS_ERR_OR_NULL(buf) ? 0 : buf->count;
}

/**
 * safe_dma_size() - size of a buffer in bytes
 * @buf: the buffer
 *
 * Context: any.
 * Return: element size times element count, the size allocated; 0 for a
 * NULL or ERR_PTR() @buf.
 */
static inline size_t safe_dma_size(const struct safe_dma_buf *buf)
{
	return IS_ERR_OR_NULL(buf) ? 0 : buf->size;
}

/**
 * safe_dma_phase() - the phase a buffer is in
 * @buf: the buffer
 *
 * Context: any.
 * Return: %SAFE_DMA_CPU_OWNED until the bus address was handed out, then
 * %SAFE_DMA_SHARED (also for a NULL or ERR_PTR() @buf).
 */
static inline enum safe_dma_phase safe_dma_phase(const struct safe_dma_buf *buf)
{
	return IS_ERR_OR_NULL(buf) ? SAFE_DMA_SHARED : READ_ONCE(buf->phase);
}

/**
 * safe_dma_cpu_ptr() - plain CPU pointer to a CPU-owned buffer
 * @buf: the buffer
 *
 * Rust's CoherentBox: while the device cannot know the buffer, the CPU may
 * fill it through plain pointers.  Once safe_dma_handle() or
 * safe_dma_addr_of() has handed the bus address out, the CPU must use the
 * accessors, and this returns NULL (with CONFIG_SAFE_DEBUG, warning once).
 * Also NULL for a DMA_ATTR_NO_KERNEL_MAPPING buffer, which has no CPU
 * mapping.
 *
 * Context: any.
 * Return: the CPU address; NULL in the shared phase, once the memory was
 * freed, and for a NULL or ERR_PTR() @buf.
 */
static inline void *safe_dma_cpu_ptr(struct safe_dma_buf *buf)
{
	if (IS_ERR_OR_NULL(buf))
		return NULL;
	if (unlikely(READ_ONCE(buf->phase) != SAFE_DMA_CPU_OWNED ||
		     (buf->attrs & DMA_ATTR_NO_KERNEL_MAPPING))) {
		if (IS_ENABLED(CONFIG_SAFE_DEBUG))
			__safe_dma_phase_error(buf);
		return NULL;
	}
	return buf->cpu;
}

/**
 * safe_dma_handle() - hand the bus address to the device
 * @buf: the buffer
 *
 * Moves the buffer to the shared phase for good: from now on the CPU
 * reaches it only through the accessors.
 *
 * Context: any.
 * Return: the DMA address of the first byte; 0 for a NULL or ERR_PTR()
 * @buf, or once its memory is freed (its device left).
 */
static inline dma_addr_t safe_dma_handle(struct safe_dma_buf *buf)
{
	if (IS_ERR_OR_NULL(buf))
		return 0;
	if (READ_ONCE(buf->phase) != SAFE_DMA_SHARED)
		WRITE_ONCE(buf->phase, SAFE_DMA_SHARED);
	return READ_ONCE(buf->handle);
}

/**
 * safe_dma_mmap() - map a buffer into user space
 * @buf: the buffer, not from a pool
 * @vma: the mapping, from the driver's ->mmap; vm_pgoff is the page
 *	offset into the buffer, as for dma_mmap_attrs()
 *
 * dma_mmap_attrs() with the recorded values, for a driver's ->mmap.  The
 * mapping may outlive the device: whenever the memory is freed (unbind,
 * devres, the revocation of the buffer's domain, or the owner's own
 * safe_dma_free()), safe first zaps every user mapping of this buffer, and
 * of no other, so a later touch gets SIGBUS, never freed memory.  As
 * dma_buf_mmap() does, it moves the mapping onto a file of its own
 * (vma->vm_file changes), which holds the file the driver's ->mmap was
 * called on: the mapping keeps that file open, as any mapping does.  The
 * mmap() calling this links the mapping where the zap finds it only after
 * ->mmap returns, so safe also records the calling process's mm_struct
 * (mmgrab(), one entry per process) and the zap waits until each recorded
 * mmap lock is free, for 10 s at most per device; past that the memory is
 * kept allocated, with a warning.  Hands the bus address out, as
 * safe_dma_handle() does.
 *
 * Context: process context, the driver's ->mmap (the mmap lock held).
 * After it, vma->vm_file is safe's file, not the driver's: the driver's
 * vm_ops and the rest of its ->mmap must not look there for their own
 * file, /proc/PID/maps shows "safe_dma", and a driver's own
 * unmap_mapping_range() on the device inode does not reach the mapping.
 * Return: 0; -EINVAL for a pool buffer, a %DMA_ATTR_NO_KERNEL_MAPPING
 * buffer (its memory is not zeroed) or a mapping without a file;
 * -ENOMEM if the mapping cannot be recorded; -ENODEV for a NULL or
 * ERR_PTR() @buf, once the memory is freed or while the device is
 * leaving; or the error of dma_mmap_attrs().
 */
static inline int safe_dma_mmap(struct safe_dma_buf *buf,
				struct vm_area_struct *vma)
{
	return __safe_dma_mmap(buf, vma);
}

/**
 * safe_dma_copy_to_iter() - copy from a buffer to an iov_iter
 * @buf: the buffer
 * @offset: byte offset into the buffer
 * @len: bytes to copy
 * @to: the destination, e.g. the user buffer of a ->read_iter
 *
 * One copy between user memory and DMA memory, with no bounce buffer.
 * Page faults are disabled for the copy, so it never sleeps on user
 * memory inside an access (a userfaultfd or FUSE page would hold unbind
 * hostage): a page that is not resident ends the copy early.  The
 * protected file operations of <linux/safe/file.h> fault the caller's
 * buffer in before they enter the domain.  Ordering against the device is
 * the caller's (dma_rmb()).
 *
 * Context: any; where the memory is alive (bound, or inside an access).
 * Return: bytes copied (short if a page was not resident); -ERANGE when
 * the range is outside the buffer (warns once); -EFAULT when nothing could
 * be copied; -ENODEV for a NULL or ERR_PTR() @buf, once the memory is
 * freed, or without a kernel mapping.
 */
static inline ssize_t safe_dma_copy_to_iter(struct safe_dma_buf *buf,
					    size_t offset, size_t len,
					    struct iov_iter *to)
{
	return __safe_dma_copy_iter(buf, offset, len, to, true);
}

/**
 * safe_dma_copy_from_iter() - copy from an iov_iter into a buffer
 * @buf: the buffer
 * @offset: byte offset into the buffer
 * @len: bytes to copy
 * @from: the source, e.g. the user buffer of a ->write_iter
 *
 * As safe_dma_copy_to_iter(), the other way; dma_wmb() before handing the
 * data to the device is the caller's.
 *
 * Context: any; where the memory is alive (bound, or inside an access).
 * Return: bytes copied, or a negative errno as safe_dma_copy_to_iter().
 */
static inline ssize_t safe_dma_copy_from_iter(struct safe_dma_buf *buf,
					      size_t offset, size_t len,
					      struct iov_iter *from)
{
	return __safe_dma_copy_iter(buf, offset, len, from, false);
}

/**
 * safe_dma_copy_to_user() - copy from a buffer to a user pointer
 * @buf: the buffer
 * @offset: byte offset into the buffer
 * @to: the user destination
 * @len: bytes to copy
 *
 * safe_dma_copy_to_iter() on one user buffer: the replacement for a
 * copy_to_user() from a buffer's CPU address.  Unlike copy_to_user() it
 * returns what was copied.
 *
 * Context: any; where the memory is alive (bound, or inside an access).
 * Return: bytes copied (short if a page was not resident), or a negative
 * errno as safe_dma_copy_to_iter().
 */
static inline ssize_t safe_dma_copy_to_user(struct safe_dma_buf *buf,
					    size_t offset, void __user *to,
					    size_t len)
{
	struct iov_iter iter;

	iov_iter_ubuf(&iter, ITER_DEST, to, len);
	return safe_dma_copy_to_iter(buf, offset, len, &iter);
}

/**
 * safe_dma_copy_from_user() - copy from a user pointer into a buffer
 * @buf: the buffer
 * @offset: byte offset into the buffer
 * @from: the user source
 * @len: bytes to copy
 *
 * safe_dma_copy_from_iter() on one user buffer: the replacement for a
 * copy_from_user() into a buffer's CPU address.
 *
 * Context: any; where the memory is alive (bound, or inside an access).
 * Return: bytes copied, or a negative errno as safe_dma_copy_to_iter().
 */
static inline ssize_t safe_dma_copy_from_user(struct safe_dma_buf *buf,
					      size_t offset,
					      const void __user *from,
					      size_t len)
{
	struct iov_iter iter;

	iov_iter_ubuf(&iter, ITER_SOURCE, (void __user *)from, len);
	return safe_dma_copy_from_iter(buf, offset, len, &iter);
}

/**
 * safe_dma_memset() - fill bytes of a buffer
 * @buf: the buffer
 * @offset: byte offset into the buffer
 * @c: the byte value
 * @len: bytes to fill
 *
 * A bounds-checked memset() of the buffer's memory, the replacement for a
 * memset() on its CPU address.  No barrier: ordering against the device
 * is the caller's.
 *
 * Context: any; where the memory is alive (bound, or inside an access).
 * Return: 0; -ERANGE when the range is outside the buffer (nothing
 * written; warns once); -ENODEV for a NULL or ERR_PTR() @buf, once the
 * memory is freed, or without a kernel mapping.
 */
static inline int safe_dma_memset(struct safe_dma_buf *buf, size_t offset,
				  int c, size_t len)
{
	return __safe_dma_memset(buf, offset, c, len);
}

/* -------------------------------------------------------------------- */
/* Small buffers from a dma_pool                                         */
/* -------------------------------------------------------------------- */

/**
 * safe_dma_pool_create() - a pool of equal small buffers
 * @name: pool name, for diagnostics
 * @dev: the device; it must have a coherent DMA mask
 * @elem_size: size of one element in bytes
 * @count: elements per buffer
 * @align: alignment of each buffer in bytes (a power of two), or 0
 *
 * Buffers from safe_dma_pool_alloc() are &struct safe_dma_buf like any
 * other: the same accessors, phases, quiesce callback, attach and free.
 * Each holds a reference to the pool, so the pool is destroyed only after
 * safe_dma_pool_destroy() and the free of its last buffer.
 *
 * Context: process context; may sleep.
 * Return: the pool; ERR_PTR(-EINVAL), ERR_PTR(-EOVERFLOW) or
 * ERR_PTR(-EIO) as safe_dma_alloc(); ERR_PTR(-EINVAL) for a missing @name,
 * an @align that is not a power of two, or a buffer or alignment above
 * %INT_MAX bytes (dma_pool_create() keeps them in an int);
 * ERR_PTR(-ENOMEM).
 */
static inline struct safe_dma_pool * __must_check
safe_dma_pool_create(const char *name, struct device *dev, size_t elem_size,
		     size_t count, size_t align)
{
	return __safe_dma_pool_create(name, dev, elem_size, count, align);
}

/**
 * safe_dma_pool_alloc() - allocate one buffer from a pool
 * @pool: the pool
 * @gfp: allocation flags
 *
 * The buffer is zeroed and CPU-owned, and is freed with safe_dma_free().
 *
 * Context: the context @gfp allows, but not hard interrupt context.
 * Return: the buffer; ERR_PTR(-EINVAL) for a NULL @pool or from hard
 * interrupt context (an ERR_PTR()
 * @pool's own error); ERR_PTR(-ENODEV) while the device is leaving;
 * ERR_PTR(-ENOMEM).
 */
static inline struct safe_dma_buf * __must_check
safe_dma_pool_alloc(struct safe_dma_pool *pool, gfp_t gfp)
{
	return __safe_dma_pool_alloc(pool, gfp);
}

/**
 * safe_dma_pool_destroy() - drop the creator's reference to a pool
 * @pool: the pool; NULL and ERR_PTR() values are ignored
 *
 * The pool goes away once its last buffer is freed as well.
 *
 * Context: process context; may sleep.
 * Return: nothing.
 */
static inline void safe_dma_pool_destroy(struct safe_dma_pool *pool)
{
	if (!IS_ERR_OR_NULL(pool))
		__safe_dma_pool_destroy(pool);
}

DEFINE_FREE(safe_dma_pool, struct safe_dma_pool *,
	    IS_ERR_OR_NULL(_T) ? (void)0 : safe_dma_pool_destroy(_T))

/* -------------------------------------------------------------------- */
/* Typed handles and accessors                                           */
/* -------------------------------------------------------------------- */

/*
 * A typed handle: the CPU address as a pointer to the element type (first,
 * so an access is the same single load as through a raw pointer member),
 * the buffer, and the element count.  The never-stored pointer to an array
 * of N + 1 chars carries the compile-time count N of SAFE_DMA_ARRAY(); 0
 * means the count is known at run time only.  The stored count is what
 * every access is checked against: N for a SAFE_DMA_ARRAY(), the buffer's
 * count for a SAFE_DMA(), and 0 for a handle bound to no buffer, which so
 * refuses every access.
 */
#define __SAFE_DMA_HANDLE(type, n)					\
	struct {							\
		union {							\
			type *__safe_dma_cpu;				\
			char (*__safe_dma_n)[(n) + 1];			\
		};							\
		struct safe_dma_buf *buf;				\
		size_t __safe_dma_count;				\
	}

/**
 * SAFE_DMA() - a typed handle to a buffer of @type elements
 * @type: the element type
 *
 * Bind a buffer with safe_dma_init(); the element count is checked at run
 * time.  ``.buf`` is the buffer, for safe_dma_free() and the other
 * functions on &struct safe_dma_buf.
 *
 * Context: any declaration.
 * Return: the handle type.
 */
#define SAFE_DMA(type)							\
	__SAFE_DMA_HANDLE(type, 0)

/**
 * SAFE_DMA_ARRAY() - a typed handle to @n elements of @type
 * @type: the element type
 * @n: the element count, a compile-time constant greater than 0 (0 gives
 *	a SAFE_DMA() handle)
 *
 * Like SAFE_DMA(), but a constant index is checked at build time, and the
 * access then compiles to exactly the raw READ_ONCE()/WRITE_ONCE()
 * (without CONFIG_SAFE_DEBUG, which also checks the memory is there).
 * safe_dma_init() checks the buffer has at least @n elements.
 *
 * Example::
 *
 *	struct foo_priv {
 *		SAFE_DMA_ARRAY(struct foo_desc, FOO_RING) ring;
 *	};
 *
 *	ret = safe_dma_init(priv->ring, buf);
 *	...
 *	safe_dma_set_field(priv->ring, 0, ctrl, cpu_to_le32(FOO_OWN));
 *
 * Context: any declaration.
 * Return: the handle type.
 */
#define SAFE_DMA_ARRAY(type, n)						\
	__SAFE_DMA_HANDLE(type, n)

/* N of SAFE_DMA_ARRAY(), 0 for SAFE_DMA(): a compile-time constant. */
#define __safe_dma_n(h)		(sizeof(*(h).__safe_dma_n) - 1)

/* Are elements [@first, @first + @cnt) inside @limit elements? */
static __always_inline bool __safe_dma_in_range(size_t first, size_t cnt,
						size_t limit)
{
	/* The same test for one element, in one compare instead of two. */
	if (__builtin_constant_p(cnt) && cnt == 1)
		return first < limit;
	return cnt <= limit && first <= limit - cnt;
}

void __safe_dma_const_oob(void)
	__compiletime_error("safe_dma: constant index out of the bounds of SAFE_DMA_ARRAY()");

/*
 * A range known at build time must lie inside a SAFE_DMA_ARRAY(): the call
 * to the undefined __safe_dma_const_oob() survives optimisation only when
 * it does not, and then fails the build.
 */
static __always_inline void __safe_dma_check_const(size_t first, size_t cnt,
						   size_t n)
{
	if (n && __builtin_constant_p(first) && __builtin_constant_p(cnt) &&
	    !__safe_dma_in_range(first, cnt, n))
		__safe_dma_const_oob();
}

/*
 * The bounds check of every accessor: elements [@first, @first + @cnt)
 * of a handle of compile-time count @n and run-time count @count.  A
 * range known at build time must also lie inside a SAFE_DMA_ARRAY().
 */
static __always_inline bool __safe_dma_ok(size_t first, size_t cnt, size_t n,
					  size_t count)
{
	__safe_dma_check_const(first, cnt, n);
	return likely(__safe_dma_in_range(first, cnt, count));
}

/*
 * Is the memory of @buf still there?  A handle keeps the CPU address it
 * was bound to, so an access after the unbind freed the memory is the
 * caller's bug (see the accessors' Context:).  Checked only with
 * CONFIG_SAFE_DEBUG, and only for an access that starts after the unbind,
 * not one racing it.
 */
static __always_inline bool __safe_dma_alive(struct safe_dma_buf *buf)
{
	return !IS_ENABLED(CONFIG_SAFE_DEBUG) || (buf && READ_ONCE(buf->cpu));
}

/* __safe_dma_ok() for the accessors' local handle __sd_h. */
#define __safe_dma_in_h(first, cnt)					\
	__safe_dma_ok(first, cnt, __safe_dma_n(__sd_h), __sd_h.__safe_dma_count)

/* ... and, for those that touch the memory, __safe_dma_alive(). */
#define __safe_dma_ok_h(first, cnt)					\
	(__safe_dma_in_h(first, cnt) && __safe_dma_alive(__sd_h.buf))

/*
 * The bus address @off bytes into @buf, in range: none once the memory is
 * gone (an offset from 0 could be a real bus address).
 */
static inline int __safe_dma_addr(struct safe_dma_buf *buf, size_t off,
				  dma_addr_t *out)
{
	dma_addr_t addr = safe_dma_handle(buf);

	smp_rmb();	/* the handle before the CPU address: see the sweep */
	if (unlikely(!READ_ONCE(buf->cpu))) {
		*out = 0;
		return -ENODEV;
	}
	*out = addr + off;
	return 0;
}

/* A failed read: the destination is zeroed, the buffer is not touched. */
static inline int __safe_dma_get_error(struct safe_dma_buf *buf, size_t i,
				       void *out, size_t size)
{
	memset(out, 0, size);
	return __safe_dma_range_error(buf, i, 1);
}

/* The whole element, where the field accessors name a member. */
#define __SAFE_DMA_WHOLE

/* One READ_ONCE() of element @i, or of its member @m (``.field``). */
#define __safe_dma_read(h, i, m, out)					\
	({								\
		typeof(h) __sd_h = (h);					\
		size_t __sd_i = (i);					\
		typeof(out) __sd_out = (out);				\
									\
		__safe_dma_ok_h(__sd_i, 1) ?			\
		(*__sd_out = READ_ONCE(__sd_h.__safe_dma_cpu[__sd_i] m), 0) : \
		__safe_dma_get_error(__sd_h.buf, __sd_i, __sd_out,	\
				     sizeof(*__sd_out));		\
	})

/* One WRITE_ONCE() of element @i or its member @m; @val evaluated once. */
#define __safe_dma_write(h, i, m, val)					\
	({								\
		typeof(h) __sd_h = (h);					\
		size_t __sd_i = (i);					\
		__auto_type __sd_v = (val);				\
									\
		__safe_dma_ok_h(__sd_i, 1) ?			\
		({ WRITE_ONCE(__sd_h.__safe_dma_cpu[__sd_i] m, __sd_v); 0; }) : \
		__safe_dma_range_error(__sd_h.buf, __sd_i, 1);		\
	})

/*
 * memcpy() of @n elements from @first: @ptype is the type of the caller's
 * pointer @p, which the compiler checks; @dst and @src name the ends of
 * the copy, ``__sd_at`` (the buffer) and ``__sd_p`` (the caller's).
 */
#define __safe_dma_copy(h, first, ptype, p, n, dst, src)		\
	({								\
		typeof(h) __sd_h = (h);					\
		size_t __sd_first = (first);				\
		ptype __sd_p = (p);					\
		size_t __sd_n = (n);					\
									\
		__safe_dma_ok_h(__sd_first, __sd_n) && likely(__sd_h.buf) ? \
		({							\
			typeof(__sd_h.__safe_dma_cpu) __sd_at =		\
				__sd_h.__safe_dma_cpu + __sd_first;	\
									\
			memcpy(dst, src, __sd_n * sizeof(*__sd_at));	\
			0;						\
		}) :							\
		__safe_dma_range_error(__sd_h.buf, __sd_first, __sd_n);	\
	})

/* Point handle *@hp at buffer @b, which fits it. */
#define __safe_dma_bind(hp, b)						\
	do {								\
		typeof(hp) __sd_bhp = (hp);				\
		struct safe_dma_buf *__sd_bb = (b);			\
									\
		__sd_bhp->buf = __sd_bb;				\
		__sd_bhp->__safe_dma_cpu = __sd_bb->cpu;		\
		__sd_bhp->__safe_dma_count =				\
			__safe_dma_n(*__sd_bhp) ?: __sd_bb->count;	\
	} while (0)

/**
 * safe_dma_init() - bind a buffer to a typed handle
 * @h: the SAFE_DMA() or SAFE_DMA_ARRAY() handle, an lvalue
 * @b: the buffer
 *
 * Checks that the buffer's elements have the size of the handle's type,
 * that a SAFE_DMA_ARRAY() handle's count fits, and that the buffer has a
 * CPU mapping.  The handle then borrows the buffer: it does not own it,
 * and must not be used after the buffer is freed, nor after its device
 * was unbound, which frees the memory (see safe_dma_alloc()); accesses
 * through it then fail with -ENODEV in CONFIG_SAFE_DEBUG builds, while
 * the descriptor lives (a devm buffer's goes at the end of the unbind).
 *
 * Context: any.
 * Return: 0; -EINVAL for a NULL buffer or one that does not fit; -ENODEV
 * once the buffer's memory was freed (its device left); or the error an
 * ERR_PTR() @b carries.
 */
#define safe_dma_init(h, b)						\
	({								\
		typeof(h) *__sd_hp = &(h);				\
		struct safe_dma_buf *__sd_b = (b);			\
		int __sd_ret;						\
									\
		__sd_ret = __safe_dma_fits(__sd_b,			\
					   sizeof(*__sd_hp->__safe_dma_cpu), \
					   __safe_dma_n(*__sd_hp));	\
		if (!__sd_ret)						\
			__safe_dma_bind(__sd_hp, __sd_b);		\
		__sd_ret;						\
	})

/**
 * safe_dma_free_handle() - free the buffer of a typed handle and clear it
 * @h: the handle, an lvalue
 *
 * For a handle that owns its buffer; freeing again does nothing.
 *
 * Context: any (see safe_dma_free()).
 * Return: nothing.
 */
#define safe_dma_free_handle(h)						\
	do {								\
		typeof(h) *__sd_hp = &(h);				\
									\
		safe_dma_free(__sd_hp->buf);				\
		memset(__sd_hp, 0, sizeof(*__sd_hp));			\
	} while (0)

/**
 * safe_dma_cpu_typed() - typed plain pointer to a CPU-owned buffer
 * @h: the typed handle
 *
 * safe_dma_cpu_ptr() for a typed handle.
 *
 * Context: any.
 * Return: pointer to the first element, or NULL in the shared phase.
 */
#define safe_dma_cpu_typed(h)						\
	((typeof((h).__safe_dma_cpu))safe_dma_cpu_ptr((h).buf))

/**
 * safe_dma_get() - read one element
 * @h: the typed handle
 * @i: the index
 * @out: where to store the element
 *
 * One READ_ONCE() of element @i; the element type must be 1, 2, 4 or 8
 * bytes (use safe_dma_get_field() or safe_dma_copy_out() for structures).
 *
 * Context: any; where the memory is alive (bound, or inside an access).
 * Return: 0; -ERANGE when @i is out of range, with *@out zeroed, the buffer
 * untouched and a warning the first time for this buffer; -ENODEV, the
 * same way, through a handle bound to no buffer, or with CONFIG_SAFE_DEBUG
 * once the memory was freed at unbind.  A constant @i out of a
 * SAFE_DMA_ARRAY() fails the build.
 */
#define safe_dma_get(h, i, out)	__safe_dma_read(h, i, __SAFE_DMA_WHOLE, out)

/**
 * safe_dma_set() - write one element
 * @h: the typed handle
 * @i: the index
 * @val: the value, evaluated once in any case
 *
 * One WRITE_ONCE() of element @i.
 *
 * Context: any; where the memory is alive (bound, or inside an access).
 * Return: 0; -ERANGE when @i is out of range (nothing written; warns the
 * first time for this buffer); -ENODEV through a handle bound to no
 * buffer, or with CONFIG_SAFE_DEBUG once the memory was freed at unbind.
 * A constant @i out of a SAFE_DMA_ARRAY() fails the build.
 */
#define safe_dma_set(h, i, val)	__safe_dma_write(h, i, __SAFE_DMA_WHOLE, val)

/**
 * safe_dma_get_field() - read one field of one element
 * @h: the typed handle
 * @i: the index
 * @field: the member of the element type, e.g. ``status`` or ``hdr.len``
 * @out: where to store the field's value
 *
 * One READ_ONCE() of the field.
 *
 * Context: any; where the memory is alive (bound, or inside an access).
 * Return: 0, -ERANGE or -ENODEV, as safe_dma_get().
 */
#define safe_dma_get_field(h, i, field, out)				\
	__safe_dma_read(h, i, .field, out)

/**
 * safe_dma_set_field() - write one field of one element
 * @h: the typed handle
 * @i: the index
 * @field: the member of the element type
 * @val: the value, evaluated once in any case
 *
 * One WRITE_ONCE() of the field.
 *
 * Context: any; where the memory is alive (bound, or inside an access).
 * Return: 0, -ERANGE or -ENODEV, as safe_dma_set().
 */
#define safe_dma_set_field(h, i, field, val)				\
	__safe_dma_write(h, i, .field, val)

/**
 * safe_dma_addr_of() - bus address of one element
 * @h: the typed handle
 * @i: the index
 * @out: a ``dma_addr_t *`` for the address
 *
 * Hands the address out, so the buffer moves to the shared phase, as with
 * safe_dma_handle().
 *
 * Context: any.
 * Return: 0; -ERANGE when @i is out of range, -ENODEV once the memory was
 * freed (its device left); *@out is then 0.  A constant @i out of a
 * SAFE_DMA_ARRAY() fails the build.
 */
#define safe_dma_addr_of(h, i, out)					\
	({								\
		typeof(h) __sd_h = (h);					\
		size_t __sd_i = (i);					\
		dma_addr_t *__sd_out = (out);				\
									\
		__safe_dma_in_h(__sd_i, 1) ?			\
		__safe_dma_addr(__sd_h.buf,				\
				__sd_i * sizeof(*__sd_h.__safe_dma_cpu),\
				__sd_out) :				\
		__safe_dma_get_error(__sd_h.buf, __sd_i, __sd_out,	\
				     sizeof(*__sd_out));		\
	})

/**
 * safe_dma_copy_in() - copy elements into the buffer
 * @h: the typed handle
 * @first: index of the first element to write
 * @src: pointer to the source elements, of the handle's element type
 * @n: number of elements
 *
 * A plain memcpy(), without barriers or cache maintenance: coherent
 * memory needs none, but ordering against the device is the caller's
 * (dma_wmb() before handing the elements over).
 *
 * Context: any; where the memory is alive (bound, or inside an access).
 * Return: 0; -ERANGE when the range does not fit (nothing copied; warns
 * the first time for this buffer); -ENODEV through a handle bound to no
 * buffer, even for zero elements, or with CONFIG_SAFE_DEBUG once the
 * memory was freed at unbind.  A constant range out of a SAFE_DMA_ARRAY()
 * fails the build.
 */
#define safe_dma_copy_in(h, first, src, n)				\
	__safe_dma_copy(h, first, const typeof(*__sd_h.__safe_dma_cpu) *, \
			src, n, __sd_at, __sd_p)

/**
 * safe_dma_copy_out() - copy elements out of the buffer
 * @h: the typed handle
 * @first: index of the first element to read
 * @dst: pointer to the destination, of the handle's element type
 * @n: number of elements
 *
 * A plain memcpy(), as safe_dma_copy_in(): read barriers (dma_rmb()) are
 * the caller's.
 *
 * Context: any; where the memory is alive (bound, or inside an access).
 * Return: 0; -ERANGE when the range does not fit (nothing copied, @dst
 * untouched; warns the first time for this buffer); -ENODEV through a
 * handle bound to no buffer, even for zero elements, or with
 * CONFIG_SAFE_DEBUG once the memory was freed at unbind.  A constant range
 * out of a SAFE_DMA_ARRAY() fails the build.
 */
#define safe_dma_copy_out(h, first, dst, n)				\
	__safe_dma_copy(h, first, typeof(__sd_h.__safe_dma_cpu),	\
			dst, n, __sd_p, __sd_at)

/* -------------------------------------------------------------------- */
/* Buffers attached to a revocation domain                               */
/* -------------------------------------------------------------------- */

/**
 * SAFE_DMA_REVOCABLE() - handle to a buffer a domain owns
 * @type: the typed handle type used inside accesses, SAFE_DMA() or
 *	SAFE_DMA_ARRAY()
 *
 * A union of the resource safe_dma_attach() returned (``.rev``) and a
 * never-stored pointer to @type, for safe_dma_scope().
 *
 * Example::
 *
 *	struct foo_priv {
 *		SAFE_DMA_REVOCABLE(SAFE_DMA_ARRAY(struct foo_desc, 64)) ring;
 *	};
 *
 *	priv->ring.rev = safe_dma_attach(buf, domain);
 *	if (IS_ERR(priv->ring.rev))
 *		return PTR_ERR(priv->ring.rev);
 *	...
 *	safe_dma_scope(ring, priv->ring)
 *		safe_dma_set_field(ring, i, len, cpu_to_le32(n));
 *
 * Context: any declaration.
 * Return: the union type.
 */
#define SAFE_DMA_REVOCABLE(type)					\
	union {								\
		struct safe_revocable *rev;				\
		type *__safe_dma_view;					\
	}

static inline struct safe_dma_buf *__safe_dma_view_buf(void *ptr,
						       size_t elem_size,
						       size_t n)
{
	struct safe_dma_buf *buf = ptr;

	if (!buf)
		return NULL;
	if (WARN_ONCE(__safe_dma_fits(buf, elem_size, n),
		      "safe_dma: %s: buffer of %zu x %zu bytes does not fit the handle type (%zu x %zu)\n",
		      dev_name(buf->dev), buf->count, buf->elem_size, n,
		      elem_size))
		return NULL;
	return buf;
}

/**
 * safe_dma_scope() - typed access to an attached buffer, or skip
 * @_var: name of the typed handle, visible in the next statement only
 * @_h: the SAFE_DMA_REVOCABLE() handle
 *
 * Runs the next statement inside an access to the buffer's resource, with
 * @_var bound to the buffer, unless the domain has been revoked.  The
 * buffer is neither quiesced nor freed until the statement is left.  As in
 * safe_revocable_scope(), ``break`` in the statement fails the build and
 * ``continue`` must not be used there.
 *
 * Context: any context that may use SRCU readers; the statement may sleep.
 * Return: nothing; it is a statement prefix.
 */
#define safe_dma_scope(_var, _h)					\
	__safe_dma_scope(_var, _h, __COUNTER__)

#define __safe_dma_scope(_var, _h, id)					\
	___safe_dma_scope(_var, _h, id)

/* @_h is evaluated once: typeof() does not evaluate it. */
#define ___safe_dma_scope(_var, _h, id)				\
	__safe_dma_scope_acc(_var, (_h).rev,				\
			     typeof((_h).__safe_dma_view), id)

/* @type is the pointer type of the handle, SAFE_DMA() or SAFE_DMA_ARRAY(). */
#define __safe_dma_scope_acc(_var, rev, type, id)			\
	for (struct safe_revocable_access __safe_acc##id		\
		     __cleanup(safe_revocable_end) =			\
		     __safe_revocable_begin(rev),			\
		     *__safe_once##id = &__safe_acc##id;		\
	     __safe_once##id; __safe_once##id = NULL)			\
		__safe_dma_scope_buf(_var, type, id)

#define __safe_dma_scope_buf(_var, type, id)				\
	for (struct safe_dma_buf *__safe_b##id =			\
		     __safe_dma_view_buf(__safe_acc##id.ptr,		\
			sizeof(*((type)NULL)->__safe_dma_cpu),		\
			__safe_dma_n(*(type)NULL));			\
	     __safe_once##id; __safe_once##id = NULL)			\
		__safe_scope_check(__safe_dma_scope_var, _var, type, id)

#define __safe_dma_scope_var(_var, type, id)				\
	for (typeof(*(type)NULL) _var __maybe_unused =			\
		     __safe_dma_view(typeof(_var), __safe_b##id);	\
	     __safe_scope_run(id, __safe_b##id); __safe_st##id = 1)

/* The typed handle of @type for the buffer @b, or an unbound one. */
#define __safe_dma_view(type, b)					\
	({								\
		type __sd_v = {};					\
		struct safe_dma_buf *__sd_b = (b);			\
									\
		if (__sd_b)						\
			__safe_dma_bind(&__sd_v, __sd_b);		\
		__sd_v;							\
	})

#endif /* _LINUX_SAFE_DMA_H */
