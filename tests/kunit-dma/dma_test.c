// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for owned DMA-coherent buffers: allocation and its errors,
 * the typed accessors and their bounds, phases, frees from atomic
 * context, and the order of revoke, quiesce and free under devres and
 * revocation domains.  Every test ends with the device's reference count,
 * the DMA-API debug allocations and the DMA-API error count where they
 * started.
 */
#include <kunit/test.h>
#include <linux/bottom_half.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/rcupdate.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/file.h>
#include <linux/miscdevice.h>
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/safe/file.h>
#include <linux/safe/guard.h>
#include <linux/safe/compat/hrtimer.h>
#include <linux/safe/dma.h>
#include <linux/safe/revocable.h>
#include "dma_test.h"

/* -------------------------------------------------------------------- */
/* The test device and the leak checks                                   */
/* -------------------------------------------------------------------- */

long dma_test_debugfs_long(const char *path)
{
	char buf[32];
	long val;
	ssize_t n;

	n = safe_test_debugfs_read(path, buf, sizeof(buf));
	if (n < 0)
		return n;
	if (kstrtol(strim(buf), 0, &val))
		return -EINVAL;
	return val;
}

int dma_test_ctx_init(struct kunit *test, struct dma_test_ctx *ctx,
		      const char *name)
{
	int ret;

	ctx->pdev = platform_device_alloc(name, PLATFORM_DEVID_AUTO);
	if (!ctx->pdev)
		return -ENOMEM;
	ret = platform_device_add(ctx->pdev);
	if (ret) {
		platform_device_put(ctx->pdev);
		return ret;
	}
	ctx->dev = &ctx->pdev->dev;
	ctx->refs0 = dma_test_refs(ctx->dev);
	ctx->entries0 = dma_test_debugfs_long(DMA_FREE_ENTRIES);
	ctx->errors0 = dma_test_debugfs_long(DMA_ERROR_COUNT);
	if (ctx->entries0 < 0 || ctx->errors0 < 0) {
		platform_device_unregister(ctx->pdev);
		return -ENOENT;
	}
	return 0;
}

void dma_test_ctx_exit(struct dma_test_ctx *ctx)
{
	platform_device_unregister(ctx->pdev);
}

void dma_test_expect_clean(struct kunit *test, struct dma_test_ctx *ctx)
{
	/* Last domain puts and atomic-context frees finish in a workqueue. */
	safe_revocable_flush();
	safe_dma_flush_deferred();
	KUNIT_EXPECT_EQ_MSG(test, dma_test_refs(ctx->dev), ctx->refs0,
			    "device reference leaked or dropped");
	KUNIT_EXPECT_EQ_MSG(test, dma_test_live(ctx), 0L,
			    "coherent allocations leaked");
	KUNIT_EXPECT_EQ_MSG(test, dma_test_debugfs_long(DMA_ERROR_COUNT),
			    ctx->errors0, "DMA-API debug reported an error");
}

static int dma_test_init(struct kunit *test)
{
	struct dma_test_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	int ret;

	if (!ctx)
		return -ENOMEM;
	if (!IS_ENABLED(CONFIG_DMA_API_DEBUG)) {
		kunit_err(test, "needs CONFIG_DMA_API_DEBUG");
		return -EINVAL;
	}
	/*
	 * Print every DMA-API debug error, not just the first.  Here rather
	 * than in suite_init: the debugfs helper needs a kthread, and
	 * suite_init runs in init's context.
	 */
	ret = safe_test_debugfs_write("dma-api/all_errors", "1");
	if (ret)
		return ret;
	ret = dma_test_ctx_init(test, ctx, "safe-dma-test");
	if (ret)
		return ret;
	test->priv = ctx;
	return 0;
}

static void dma_test_exit(struct kunit *test)
{
	dma_test_ctx_exit(test->priv);
}

/* -------------------------------------------------------------------- */
/* Quiesce callbacks that record when and where they ran                 */
/* -------------------------------------------------------------------- */

enum dma_test_event {
	DMA_EV_NONE,
	DMA_EV_QUIESCE,
	DMA_EV_ACTION_BEFORE,	/* devres action registered before the buffer */
	DMA_EV_ACTION_AFTER,	/* devres action registered after it */
};

#define MAX_EVENTS 8

typedef SAFE_DMA_REVOCABLE(SAFE_DMA(u32)) u32_rev_t;

struct dma_test_rec {
	struct dma_test_ctx *ctx;
	int events[MAX_EVENTS];
	int nevents;
	int quiesced;
	bool in_task;
	bool in_worker;
	bool preemptible;
	/* Coherent allocations live when the callback ran. */
	long live;
	/* First word of the buffer when the callback ran. */
	u32 seen;
	const u32 *cpu;
	/* For buffers attached to a domain. */
	struct safe_revocable_domain *domain;
	bool domain_dead;
	bool access_ran;
	u32_rev_t *rh;
	/* Live allocations seen by the devres actions. */
	long live_before;
	long live_after;
};

static void rec_event(struct dma_test_rec *rec, int ev)
{
	if (rec->nevents < MAX_EVENTS)
		rec->events[rec->nevents++] = ev;
}

/* May be called from a workqueue: no debugfs, no KUnit assertions. */
static void quiesce_simple(void *arg)
{
	struct dma_test_rec *rec = arg;

	rec->quiesced++;
	rec->in_task = in_task();
	rec->in_worker = current->flags & PF_WQ_WORKER;
	rec->preemptible = !irqs_disabled() && !in_atomic();
	rec_event(rec, DMA_EV_QUIESCE);
	if (rec->cpu)
		rec->seen = READ_ONCE(rec->cpu[0]);
}

/* Called synchronously from the test thread: may read debugfs. */
static void quiesce_full(void *arg)
{
	struct dma_test_rec *rec = arg;

	quiesce_simple(arg);
	rec->live = dma_test_live(rec->ctx);
	if (rec->domain)
		rec->domain_dead = safe_revocable_domain_dead(rec->domain);
	if (rec->rh) {
		safe_dma_scope(v, *rec->rh)
			rec->access_ran = true;
	}
}

/* -------------------------------------------------------------------- */
/* Allocation                                                            */
/* -------------------------------------------------------------------- */

static void alloc_free_round_trip(struct kunit *test)
{
	static const struct {
		size_t elem, count;
	} shapes[] = {
		{ 1, 1 }, { 16, 64 }, { 4096, 1 }, { 8, 3 * 512 + 1 }, { 64, 1024 },
	};
	struct dma_test_ctx *ctx = test->priv;
	int i;

	for (i = 0; i < ARRAY_SIZE(shapes); i++) {
		size_t size = shapes[i].elem * shapes[i].count;
		struct safe_dma_buf *buf;
		u8 *p;

		buf = safe_dma_alloc(ctx->dev, shapes[i].elem, shapes[i].count,
				     GFP_KERNEL, 0);
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(buf), "shape %d: %ld", i,
				       PTR_ERR(buf));
		KUNIT_EXPECT_EQ(test, safe_dma_count(buf), shapes[i].count);
		KUNIT_EXPECT_EQ(test, safe_dma_size(buf), size);
		KUNIT_EXPECT_EQ(test, safe_dma_phase(buf), SAFE_DMA_CPU_OWNED);
		KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 1L);
		KUNIT_EXPECT_EQ(test, dma_test_refs(ctx->dev), ctx->refs0 + 1);

		p = safe_dma_cpu_ptr(buf);
		KUNIT_ASSERT_NOT_NULL(test, p);
		/* Zeroed, and all of it is ours (KASAN checks the range). */
		KUNIT_EXPECT_NULL(test, memchr_inv(p, 0, size));
		memset(p, 0xa5, size);
		KUNIT_EXPECT_EQ(test, p[size - 1], 0xa5);

		safe_dma_free(buf);
		dma_test_expect_clean(test, ctx);
	}
}

struct dma_test_desc {
	__le32 ctrl;
	__le32 len;
	__le64 addr;
};

static void alloc_array_typed(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct safe_dma_buf *buf;

	buf = safe_dma_alloc_array(ctx->dev, struct dma_test_desc, 32,
				   GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	KUNIT_EXPECT_EQ(test, safe_dma_count(buf), 32);
	KUNIT_EXPECT_EQ(test, safe_dma_size(buf), 32 * sizeof(struct dma_test_desc));
	KUNIT_EXPECT_EQ(test, buf->elem_size, sizeof(struct dma_test_desc));
	/* The recorded values are what dma_free_attrs() will get. */
	KUNIT_EXPECT_PTR_EQ(test, buf->dev, ctx->dev);
	KUNIT_EXPECT_EQ(test, buf->attrs, 0UL);
	safe_dma_free(buf);
	dma_test_expect_clean(test, ctx);
}

static void alloc_errors(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;

	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_alloc(ctx->dev, 8, 0, GFP_KERNEL, 0)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_alloc(ctx->dev, 0, 8, GFP_KERNEL, 0)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_alloc(NULL, 8, 8, GFP_KERNEL, 0)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_alloc(ctx->dev, 8, 8,
						     GFP_KERNEL | __GFP_COMP, 0)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_alloc(ctx->dev, SIZE_MAX / 2 + 1,
						     2, GFP_KERNEL, 0)),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_alloc(ctx->dev, SIZE_MAX, SIZE_MAX,
						     GFP_KERNEL, 0)),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_alloc_array(ctx->dev, u64,
							   SIZE_MAX / 4,
							   GFP_KERNEL)),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_pool_create("t", ctx->dev, 8, 0, 0)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_pool_create("t", ctx->dev, 8, 8, 3)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_pool_create("t", ctx->dev,
							   SIZE_MAX, 2, 0)),
			-EOVERFLOW);
	dma_test_expect_clean(test, ctx);
}

/*
 * A device without a coherent DMA mask: dma_alloc_attrs() would WARN (a
 * splat that fails the kernel-log check); safe_dma_alloc() logs one line
 * and returns -EIO.
 */
static void alloc_without_mask(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	u64 mask = ctx->dev->coherent_dma_mask;
	struct safe_dma_buf *buf;

	ctx->dev->coherent_dma_mask = 0;
	buf = safe_dma_alloc(ctx->dev, 4, 4, GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(buf), -EIO);
	buf = devm_safe_dma_alloc(ctx->dev, 4, 4, GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(buf), -EIO);
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_pool_create("t", ctx->dev, 4, 4, 0)),
			-EIO);
	ctx->dev->coherent_dma_mask = mask;

	buf = safe_dma_alloc(ctx->dev, 4, 4, GFP_KERNEL, 0);
	KUNIT_EXPECT_FALSE(test, IS_ERR(buf));
	safe_dma_free(buf);
	dma_test_expect_clean(test, ctx);
}

/* -------------------------------------------------------------------- */
/* Ownership                                                             */
/* -------------------------------------------------------------------- */

static struct safe_dma_buf *make_owned(struct dma_test_ctx *ctx,
				       struct dma_test_rec *rec, bool fail)
{
	struct safe_dma_buf *buf __free(safe_dma) =
		safe_dma_alloc(ctx->dev, 4, 16, GFP_KERNEL, 0);

	if (IS_ERR(buf))
		return buf;
	safe_dma_set_quiesce(buf, quiesce_simple, rec);
	if (fail)
		return ERR_PTR(-EAGAIN);	/* buf is freed here */
	return_ptr(buf);
}

static void free_null_err_and_cleanup(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct dma_test_rec rec = { .ctx = ctx };
	struct safe_dma_buf *moved;

	safe_dma_free(NULL);
	safe_dma_free(ERR_PTR(-ENOMEM));
	{
		struct safe_dma_buf *e __free(safe_dma) = ERR_PTR(-EIO);
		struct safe_dma_buf *n __free(safe_dma) = NULL;

		KUNIT_EXPECT_TRUE(test, IS_ERR(e));
		KUNIT_EXPECT_NULL(test, n);
	}

	/* Leaving the scope frees, quiesce first. */
	{
		struct safe_dma_buf *b __free(safe_dma) =
			safe_dma_alloc(ctx->dev, 4, 16, GFP_KERNEL, 0);

		KUNIT_ASSERT_FALSE(test, IS_ERR(b));
		safe_dma_set_quiesce(b, quiesce_simple, &rec);
		KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 1L);
	}
	KUNIT_EXPECT_EQ(test, rec.quiesced, 1);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);

	/* An error path after the allocation frees it. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(make_owned(ctx, &rec, true)), -EAGAIN);
	KUNIT_EXPECT_EQ(test, rec.quiesced, 2);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);

	/* return_ptr() and no_free_ptr() move ownership out. */
	moved = make_owned(ctx, &rec, false);
	KUNIT_ASSERT_FALSE(test, IS_ERR(moved));
	KUNIT_EXPECT_EQ(test, rec.quiesced, 2);
	{
		struct safe_dma_buf *b __free(safe_dma) = moved;

		moved = no_free_ptr(b);
	}
	KUNIT_EXPECT_EQ(test, rec.quiesced, 2);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 1L);
	safe_dma_free(moved);
	KUNIT_EXPECT_EQ(test, rec.quiesced, 3);
	dma_test_expect_clean(test, ctx);
}

/* -------------------------------------------------------------------- */
/* Phases                                                                */
/* -------------------------------------------------------------------- */

static void phases(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	SAFE_DMA_ARRAY(u32, 8) h;
	struct safe_dma_buf *buf;
	dma_addr_t addr, addr3;
	u32 *p;

	buf = safe_dma_alloc_array(ctx->dev, u32, 8, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	KUNIT_ASSERT_EQ(test, safe_dma_init(h, buf), 0);

	/* CPU-owned: plain pointers, typed or not. */
	p = safe_dma_cpu_typed(h);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_PTR_EQ(test, (void *)p, safe_dma_cpu_ptr(buf));
	p[3] = 0x1234;

	/* Handing out the address shares the buffer for good. */
	addr = safe_dma_handle(buf);
	KUNIT_EXPECT_EQ(test, addr, buf->handle);
	KUNIT_EXPECT_EQ(test, safe_dma_phase(buf), SAFE_DMA_SHARED);
	dma_test_expect_report_begin();
	KUNIT_EXPECT_NULL(test, safe_dma_cpu_ptr(buf));
	KUNIT_EXPECT_NULL(test, safe_dma_cpu_typed(h));
	dma_test_expect_report_end();

	/* The accessors still apply. */
	KUNIT_EXPECT_EQ(test, safe_dma_addr_of(h, 3, &addr3), 0);
	KUNIT_EXPECT_EQ(test, addr3, addr + 3 * sizeof(u32));
	safe_dma_free(buf);

	/* safe_dma_addr_of() shares it too. */
	buf = safe_dma_alloc_array(ctx->dev, u32, 8, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	KUNIT_ASSERT_EQ(test, safe_dma_init(h, buf), 0);
	KUNIT_EXPECT_EQ(test, safe_dma_phase(buf), SAFE_DMA_CPU_OWNED);
	KUNIT_EXPECT_EQ(test, safe_dma_addr_of(h, 0, &addr), 0);
	KUNIT_EXPECT_EQ(test, safe_dma_phase(buf), SAFE_DMA_SHARED);
	safe_dma_free_handle(h);
	KUNIT_EXPECT_NULL(test, h.buf);
	safe_dma_free_handle(h);	/* again: nothing */

	/* No kernel mapping: no CPU pointer, no typed handle. */
	buf = safe_dma_alloc(ctx->dev, 4, 1024, GFP_KERNEL,
			     DMA_ATTR_NO_KERNEL_MAPPING);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	dma_test_expect_report_begin();
	KUNIT_EXPECT_NULL(test, safe_dma_cpu_ptr(buf));
	dma_test_expect_report_end();
	KUNIT_EXPECT_EQ(test, safe_dma_init(h, buf), -EINVAL);
	safe_dma_free(buf);
	dma_test_expect_clean(test, ctx);
}

/* -------------------------------------------------------------------- */
/* Accessors                                                             */
/* -------------------------------------------------------------------- */

static void accessors_in_range(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	SAFE_DMA_ARRAY(struct dma_test_desc, 8) ring;
	struct dma_test_desc src[3], dst[3];
	SAFE_DMA(u32) words;
	struct safe_dma_buf *b1, *b2;
	struct dma_test_desc *dev_view;
	const u32 *wview;
	dma_addr_t addr;
	__le32 len;
	u32 w;
	int i;

	b1 = safe_dma_alloc_array(ctx->dev, struct dma_test_desc, 8, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b1));
	b2 = safe_dma_alloc_array(ctx->dev, u32, 100, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b2));
	KUNIT_ASSERT_EQ(test, safe_dma_init(ring, b1), 0);
	KUNIT_ASSERT_EQ(test, safe_dma_init(words, b2), 0);
	/* What the device sees: the same memory, read behind the API. */
	dev_view = safe_dma_cpu_ptr(b1);
	wview = safe_dma_cpu_ptr(b2);
	safe_dma_handle(b1);
	safe_dma_handle(b2);

	for (i = 0; i < 8; i++) {
		KUNIT_EXPECT_EQ(test, safe_dma_set_field(ring, i, len,
							 cpu_to_le32(100 + i)), 0);
		KUNIT_EXPECT_EQ(test, safe_dma_set_field(ring, i, addr,
							 cpu_to_le64(0xabc0 + i)), 0);
	}
	KUNIT_EXPECT_EQ(test, le32_to_cpu(dev_view[5].len), 105);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(dev_view[7].addr), 0xabc7);
	dev_view[2].ctrl = cpu_to_le32(0x80000000);	/* "the device" writes */
	KUNIT_EXPECT_EQ(test, safe_dma_get_field(ring, 2, ctrl, &len), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(len), 0x80000000);
	KUNIT_EXPECT_EQ(test, safe_dma_get_field(ring, 7, len, &len), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(len), 107);

	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, safe_dma_set(words, i, i * 3), 0);
	KUNIT_EXPECT_EQ(test, wview[99], 297);
	KUNIT_EXPECT_EQ(test, safe_dma_get(words, 42, &w), 0);
	KUNIT_EXPECT_EQ(test, w, 126);

	for (i = 0; i < 3; i++) {
		src[i].ctrl = cpu_to_le32(i);
		src[i].len = cpu_to_le32(1000 + i);
		src[i].addr = cpu_to_le64(i * 4096);
	}
	KUNIT_EXPECT_EQ(test, safe_dma_copy_in(ring, 5, src, 3), 0);
	KUNIT_EXPECT_EQ(test, memcmp(&dev_view[5], src, sizeof(src)), 0);
	KUNIT_EXPECT_EQ(test, safe_dma_copy_out(ring, 5, dst, 3), 0);
	KUNIT_EXPECT_EQ(test, memcmp(dst, src, sizeof(src)), 0);
	KUNIT_EXPECT_EQ(test, safe_dma_copy_in(ring, 0, src, 0), 0);

	KUNIT_EXPECT_EQ(test, safe_dma_addr_of(ring, 7, &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, b1->handle + 7 * sizeof(struct dma_test_desc));
	KUNIT_EXPECT_EQ(test, safe_dma_addr_of(words, 99, &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, b2->handle + 99 * sizeof(u32));

	KUNIT_EXPECT_EQ(test, atomic_read(&b1->range_errors), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&b2->range_errors), 0);
	safe_dma_free(b1);
	safe_dma_free(b2);
	dma_test_expect_clean(test, ctx);
}

/* An index the compiler cannot see, as a runtime index is. */
static size_t hide(size_t i)
{
	OPTIMIZER_HIDE_VAR(i);
	return i;
}

/*
 * Every refused access returns -ERANGE and touches nothing: the buffer
 * has a guard element after the handle's 8 that must keep its pattern.
 */
static void accessors_out_of_range(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	SAFE_DMA_ARRAY(struct dma_test_desc, 8) ring;
	struct dma_test_desc tmp[4], guard;
	SAFE_DMA(u32) words;
	struct safe_dma_buf *b1, *b2;
	struct dma_test_desc *view;
	u32 *wview, w = 0xdead;
	dma_addr_t addr = 1;
	__le32 len = cpu_to_le32(7);
	size_t i;

	b1 = safe_dma_alloc_array(ctx->dev, struct dma_test_desc, 9, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b1));
	b2 = safe_dma_alloc_array(ctx->dev, u32, 10, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b2));
	KUNIT_ASSERT_EQ(test, safe_dma_init(ring, b1), 0);
	KUNIT_ASSERT_EQ(test, safe_dma_init(words, b2), 0);
	view = safe_dma_cpu_ptr(b1);
	wview = safe_dma_cpu_ptr(b2);
	memset(view, 0x5a, 9 * sizeof(*view));
	memset(wview, 0x5a, 10 * sizeof(*wview));
	guard = view[8];
	memset(tmp, 0x11, sizeof(tmp));

	dma_test_expect_report_begin();
	for (i = 8; i < 12; i++) {
		KUNIT_EXPECT_EQ(test, safe_dma_set_field(ring, hide(i), len,
							 cpu_to_le32(1)), -ERANGE);
		KUNIT_EXPECT_EQ(test, safe_dma_get_field(ring, hide(i), len, &len),
				-ERANGE);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(len), 0);	/* zeroed */
		len = cpu_to_le32(7);
	}
	KUNIT_EXPECT_EQ(test, safe_dma_set_field(ring, hide(SIZE_MAX), ctrl, 0), -ERANGE);
	KUNIT_EXPECT_EQ(test, safe_dma_set_field(ring, hide(-1), ctrl, 0), -ERANGE);
	KUNIT_EXPECT_EQ(test, safe_dma_addr_of(ring, hide(8), &addr), -ERANGE);
	KUNIT_EXPECT_EQ(test, addr, 0);
	/* Ranges: past the end, overlapping it, and wrapping size_t. */
	KUNIT_EXPECT_EQ(test, safe_dma_copy_in(ring, hide(6), tmp, hide(3)), -ERANGE);
	KUNIT_EXPECT_EQ(test, safe_dma_copy_in(ring, hide(8), tmp, hide(1)), -ERANGE);
	KUNIT_EXPECT_EQ(test, safe_dma_copy_in(ring, hide(0), tmp, hide(9)), -ERANGE);
	KUNIT_EXPECT_EQ(test, safe_dma_copy_in(ring, hide(SIZE_MAX), tmp, hide(2)),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, safe_dma_copy_in(ring, hide(2), tmp, hide(SIZE_MAX)),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, safe_dma_copy_out(ring, hide(7), tmp, hide(2)), -ERANGE);
	KUNIT_EXPECT_EQ(test, tmp[0].ctrl, cpu_to_le32(0x11111111));	/* untouched */

	KUNIT_EXPECT_EQ(test, safe_dma_set(words, hide(10), 1), -ERANGE);
	KUNIT_EXPECT_EQ(test, safe_dma_get(words, hide(10), &w), -ERANGE);
	KUNIT_EXPECT_EQ(test, w, 0);
	KUNIT_EXPECT_EQ(test, safe_dma_set(words, hide(-1), 1), -ERANGE);
	KUNIT_EXPECT_EQ(test, safe_dma_copy_out(words, hide(5), &w, hide(6)), -ERANGE);
	dma_test_expect_report_end();

	/* Nothing was written: the guard element and all words kept. */
	KUNIT_EXPECT_EQ(test, memcmp(&view[8], &guard, sizeof(guard)), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(view, 0x5a, 9 * sizeof(*view)));
	KUNIT_EXPECT_NULL(test, memchr_inv(wview, 0x5a, 10 * sizeof(*wview)));
	/* Each refusal counted; only the first per buffer warned. */
	KUNIT_EXPECT_EQ(test, atomic_read(&b1->range_errors), 17);
	KUNIT_EXPECT_EQ(test, atomic_read(&b2->range_errors), 4);

	/* The last elements are still in range. */
	KUNIT_EXPECT_EQ(test, safe_dma_set_field(ring, hide(7), len, len), 0);
	KUNIT_EXPECT_EQ(test, safe_dma_copy_in(ring, hide(5), tmp, hide(3)), 0);
	KUNIT_EXPECT_EQ(test, safe_dma_set(words, hide(9), 9), 0);
	KUNIT_EXPECT_EQ(test, wview[9], 9);
	safe_dma_free(b1);
	safe_dma_free(b2);
	dma_test_expect_clean(test, ctx);
}

static void init_checks(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	SAFE_DMA_ARRAY(u32, 16) big;
	SAFE_DMA_ARRAY(u32, 8) exact;
	SAFE_DMA(u64) wide;
	SAFE_DMA(u32) any;
	struct safe_dma_buf *buf;

	KUNIT_EXPECT_EQ(test, safe_dma_init(any, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, safe_dma_init(any, ERR_PTR(-ENOMEM)), -ENOMEM);

	buf = safe_dma_alloc_array(ctx->dev, u32, 8, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	KUNIT_EXPECT_EQ(test, safe_dma_init(big, buf), -EINVAL);	/* 16 > 8 */
	KUNIT_EXPECT_EQ(test, safe_dma_init(wide, buf), -EINVAL);	/* u64 */
	KUNIT_EXPECT_EQ(test, safe_dma_init(exact, buf), 0);
	KUNIT_EXPECT_EQ(test, safe_dma_init(any, buf), 0);
	KUNIT_EXPECT_PTR_EQ(test, any.buf, buf);
	KUNIT_EXPECT_EQ(test, any.__safe_dma_count, 8);
	safe_dma_free(buf);
	dma_test_expect_clean(test, ctx);
}

/* -------------------------------------------------------------------- */
/* Frees from atomic context                                             */
/* -------------------------------------------------------------------- */

enum atomic_kind {
	ATOMIC_SPINLOCK_IRQ,
	ATOMIC_PREEMPT_OFF,
	ATOMIC_BH_OFF,
	ATOMIC_RCU,
	ATOMIC_HARDIRQ,
	ATOMIC_KINDS,
};

struct atomic_free {
	struct hrtimer timer;
	struct completion done;
	struct safe_dma_buf *buf;
	struct dma_test_rec *rec;
	bool was_hardirq;
};

static enum hrtimer_restart atomic_free_timer(struct hrtimer *t)
{
	struct atomic_free *af = container_of(t, struct atomic_free, timer);

	af->was_hardirq = in_hardirq();
	safe_dma_free(af->buf);
	complete(&af->done);
	return HRTIMER_NORESTART;
}

static void free_from_atomic(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	static DEFINE_SPINLOCK(lock);
	int kind;

	for (kind = 0; kind < ATOMIC_KINDS; kind++) {
		struct dma_test_rec rec = { .ctx = ctx };
		struct atomic_free af = { .rec = &rec };
		unsigned long flags;
		u32 *p;

		af.buf = safe_dma_alloc(ctx->dev, 4, 256, GFP_KERNEL, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(af.buf));
		p = safe_dma_cpu_ptr(af.buf);
		p[0] = 0xfeed0000 + kind;
		rec.cpu = p;
		safe_dma_set_quiesce(af.buf, quiesce_simple, &rec);

		switch (kind) {
		case ATOMIC_SPINLOCK_IRQ:
			spin_lock_irqsave(&lock, flags);
			safe_dma_free(af.buf);
			spin_unlock_irqrestore(&lock, flags);
			break;
		case ATOMIC_PREEMPT_OFF:
			preempt_disable();
			safe_dma_free(af.buf);
			preempt_enable();
			break;
		case ATOMIC_BH_OFF:
			local_bh_disable();
			safe_dma_free(af.buf);
			local_bh_enable();
			break;
		case ATOMIC_RCU:
			rcu_read_lock();
			safe_dma_free(af.buf);
			rcu_read_unlock();
			break;
		case ATOMIC_HARDIRQ:
			init_completion(&af.done);
			hrtimer_setup(&af.timer, atomic_free_timer,
				      CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
			hrtimer_start(&af.timer, ms_to_ktime(1),
				      HRTIMER_MODE_REL_HARD);
			wait_for_completion(&af.done);
			hrtimer_cancel(&af.timer);
			KUNIT_EXPECT_TRUE(test, af.was_hardirq);
			break;
		}
		safe_dma_flush_deferred();
		KUNIT_EXPECT_EQ_MSG(test, rec.quiesced, 1, "kind %d", kind);
		/* Deferred: run by a worker, not in the atomic section. */
		KUNIT_EXPECT_TRUE_MSG(test, rec.in_worker, "kind %d", kind);
		KUNIT_EXPECT_TRUE_MSG(test, rec.in_task, "kind %d", kind);
		KUNIT_EXPECT_TRUE_MSG(test, rec.preemptible, "kind %d", kind);
		/* Quiesced while the memory was still there. */
		KUNIT_EXPECT_EQ_MSG(test, rec.seen, 0xfeed0000 + kind, "kind %d", kind);
		dma_test_expect_clean(test, ctx);
	}
}

/* In process context the free is immediate. */
static void free_in_process_context_is_synchronous(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct dma_test_rec rec = { .ctx = ctx };
	struct safe_dma_buf *buf;
	u32 *p;

	buf = safe_dma_alloc(ctx->dev, 4, 256, GFP_KERNEL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	p = safe_dma_cpu_ptr(buf);
	p[0] = 0xc0ffee;
	rec.cpu = p;
	safe_dma_set_quiesce(buf, quiesce_full, &rec);
	safe_dma_free(buf);
	KUNIT_EXPECT_EQ(test, rec.quiesced, 1);
	KUNIT_EXPECT_EQ(test, rec.seen, 0xc0ffee);
	/* The quiesce callback ran while the allocation was live. */
	KUNIT_EXPECT_EQ(test, rec.live, 1L);
	dma_test_expect_clean(test, ctx);
}

/*
 * Another thread of the caller's process holds its mmap lock (a page
 * fault, say).  The free is still the caller's own: the quiesce callback
 * has run when it returns, so the owner may free the callback's argument.
 */
static int mm_holder_fn(void *arg)
{
	struct mm_holder *h = arg;

	mmap_read_lock(h->mm);
	complete(&h->held);
	wait_for_completion(&h->release);
	mmap_read_unlock(h->mm);
	complete(&h->done);
	return 0;
}

int mm_holder_start(struct mm_holder *h, struct mm_struct *mm)
{
	struct task_struct *t;

	h->mm = mm;
	init_completion(&h->held);
	init_completion(&h->release);
	init_completion(&h->done);
	t = kthread_run(mm_holder_fn, h, "safe-mm-holder");
	if (IS_ERR(t))
		return PTR_ERR(t);
	wait_for_completion(&h->held);
	return 0;
}

void mm_holder_stop(struct mm_holder *h)
{
	complete(&h->release);
	wait_for_completion(&h->done);
}

static void free_while_another_thread_holds_mmap_lock(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct dma_test_rec rec = { .ctx = ctx };
	struct safe_dma_buf *buf;
	struct mm_holder h;
	struct user_page u;
	int held;

	KUNIT_ASSERT_EQ(test, safe_test_user_page_get(&u), 0);
	buf = safe_dma_alloc(ctx->dev, 4, 256, GFP_KERNEL, 0);
	if (IS_ERR(buf)) {
		safe_test_user_page_put(&u);
		KUNIT_FAIL(test, "safe_dma_alloc: %ld", PTR_ERR(buf));
		return;
	}
	rec.cpu = safe_dma_cpu_ptr(buf);
	*(u32 *)rec.cpu = 0xfeed;
	safe_dma_set_quiesce(buf, quiesce_full, &rec);
	held = mm_holder_start(&h, u.mm);
	KUNIT_EXPECT_EQ(test, held, 0);

	safe_dma_free(buf);
	KUNIT_EXPECT_EQ(test, rec.quiesced, 1);
	KUNIT_EXPECT_EQ(test, rec.seen, 0xfeed);

	if (!held)
		mm_holder_stop(&h);
	safe_dma_flush_deferred();
	safe_test_user_page_put(&u);
	KUNIT_EXPECT_EQ(test, rec.quiesced, 1);
	dma_test_expect_clean(test, ctx);
}

/* -------------------------------------------------------------------- */
/* devres: freed at unbind, quiesce first                                */
/* -------------------------------------------------------------------- */

struct devm_probe {
	struct dma_test_rec rec;
	struct safe_dma_buf *buf;
	struct safe_dma_buf *early;
	int probe_err;
};

static struct devm_probe *devm_probe_ctx;

static void devm_action_before(void *arg)
{
	struct dma_test_rec *rec = arg;

	rec_event(rec, DMA_EV_ACTION_BEFORE);
	rec->live_before = dma_test_live(rec->ctx);
}

static void devm_action_after(void *arg)
{
	struct dma_test_rec *rec = arg;

	rec_event(rec, DMA_EV_ACTION_AFTER);
	rec->live_after = dma_test_live(rec->ctx);
}

static int devm_test_probe(struct platform_device *pdev)
{
	struct devm_probe *c = devm_probe_ctx;
	struct device *dev = &pdev->dev;
	int ret;

	/* devres runs in reverse: "after", the buffer, then "before". */
	ret = devm_add_action_or_reset(dev, devm_action_before, &c->rec);
	if (ret)
		goto out;
	c->buf = devm_safe_dma_alloc(dev, 8, 512, GFP_KERNEL, 0);
	if (IS_ERR(c->buf)) {
		ret = PTR_ERR(c->buf);
		goto out;
	}
	c->rec.cpu = safe_dma_cpu_ptr(c->buf);
	*(u32 *)safe_dma_cpu_ptr(c->buf) = 0xd0d0;
	safe_dma_set_quiesce(c->buf, quiesce_full, &c->rec);
	/* A second one, freed early by hand: its devres must go with it. */
	c->early = devm_safe_dma_alloc(dev, 8, 8, GFP_KERNEL, 0);
	if (IS_ERR(c->early)) {
		ret = PTR_ERR(c->early);
		goto out;
	}
	ret = devm_add_action_or_reset(dev, devm_action_after, &c->rec);
out:
	c->probe_err = ret;
	return ret;
}

static struct platform_driver devm_test_driver = {
	.probe = devm_test_probe,
	.driver = { .name = "safe-dma-devm-test" },
};

static void devm_free_at_unbind(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct devm_probe c = { .rec.ctx = ctx };
	struct dma_test_ctx bound;
	int ret;

	devm_probe_ctx = &c;
	ret = platform_driver_register(&devm_test_driver);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = dma_test_ctx_init(test, &bound, "safe-dma-devm-test");
	if (ret) {
		platform_driver_unregister(&devm_test_driver);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}
	/* Probed synchronously by platform_device_add(). */
	KUNIT_EXPECT_EQ(test, c.probe_err, 0);
	KUNIT_EXPECT_PTR_EQ(test, bound.dev->driver, &devm_test_driver.driver);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 2L);

	safe_dma_free(c.early);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 1L);

	device_release_driver(bound.dev);
	KUNIT_EXPECT_NULL(test, bound.dev->driver);
	KUNIT_ASSERT_EQ(test, c.rec.nevents, 3);
	KUNIT_EXPECT_EQ(test, c.rec.events[0], DMA_EV_ACTION_AFTER);
	KUNIT_EXPECT_EQ(test, c.rec.events[1], DMA_EV_QUIESCE);
	KUNIT_EXPECT_EQ(test, c.rec.events[2], DMA_EV_ACTION_BEFORE);
	/* Live through the quiesce callback, freed right after it. */
	KUNIT_EXPECT_EQ(test, c.rec.live_after, 1L);
	KUNIT_EXPECT_EQ(test, c.rec.live, 1L);
	KUNIT_EXPECT_EQ(test, c.rec.seen, 0xd0d0);
	KUNIT_EXPECT_EQ(test, c.rec.live_before, 0L);
	KUNIT_EXPECT_EQ(test, c.rec.quiesced, 1);
	/* Both buffers' device references are gone (taken after probe). */
	KUNIT_EXPECT_EQ(test, dma_test_refs(bound.dev), bound.refs0 - 2);

	dma_test_ctx_exit(&bound);
	platform_driver_unregister(&devm_test_driver);
	devm_probe_ctx = NULL;
	dma_test_expect_clean(test, ctx);
}

/* -------------------------------------------------------------------- */
/* A revocation domain: revoke, then quiesce, then free                  */
/* -------------------------------------------------------------------- */

static void attach_revoke_quiesce_free(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	u32_rev_t h;
	struct dma_test_rec rec = { .ctx = ctx, .rh = &h };
	struct safe_revocable_domain *d;
	struct safe_dma_buf *buf;
	int ran = 0;
	u32 w = 0;

	d = safe_revocable_domain_create(ctx->dev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	rec.domain = d;

	buf = safe_dma_alloc_array(ctx->dev, u32, 64, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	rec.cpu = safe_dma_cpu_ptr(buf);
	safe_dma_set_quiesce(buf, quiesce_full, &rec);
	h.rev = safe_dma_attach(buf, d);
	KUNIT_ASSERT_FALSE(test, IS_ERR(h.rev));

	/* The domain owns it now. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_attach(buf, d)), -EBUSY);
	dma_test_expect_report_begin();
	safe_dma_free(buf);
	dma_test_expect_report_end();
	KUNIT_EXPECT_EQ(test, rec.quiesced, 0);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 1L);

	safe_dma_scope(v, h) {
		KUNIT_EXPECT_EQ(test, safe_dma_set(v, 0, 0xbeef), 0);
		KUNIT_EXPECT_EQ(test, safe_dma_set(v, hide(63), 63), 0);
		ran++;
	}
	KUNIT_EXPECT_EQ(test, ran, 1);
	/* break here would fail the build (tests/compile-fail/dma_scope_break.c). */
	safe_dma_scope(v, h) {
		KUNIT_EXPECT_EQ(test, safe_dma_get(v, 0, &w), 0);
		ran++;
	}
	KUNIT_EXPECT_EQ(test, ran, 2);
	KUNIT_EXPECT_EQ(test, w, 0xbeef);

	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	/* Quiesce saw: revoked, no access possible, memory still there. */
	KUNIT_EXPECT_EQ(test, rec.quiesced, 1);
	KUNIT_EXPECT_TRUE(test, rec.domain_dead);
	KUNIT_EXPECT_FALSE(test, rec.access_ran);
	KUNIT_EXPECT_EQ(test, rec.live, 1L);
	KUNIT_EXPECT_EQ(test, rec.seen, 0xbeef);
	/* And then it was freed. */
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);
	safe_dma_scope(v, h)
		ran++;
	KUNIT_EXPECT_EQ(test, ran, 2);

	safe_revocable_domain_put(d);
	KUNIT_EXPECT_EQ(test, rec.quiesced, 1);
	dma_test_expect_clean(test, ctx);
}

static void attach_errors(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct safe_revocable_domain *d;
	struct safe_revocable *r;
	struct safe_dma_buf *buf;

	d = safe_revocable_domain_create(ctx->dev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_attach(NULL, d)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_attach(ERR_PTR(-EIO), d)), -EINVAL);

	/* devres already owns this one. */
	buf = devm_safe_dma_alloc(ctx->dev, 4, 4, GFP_KERNEL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_attach(buf, d)), -EBUSY);
	safe_dma_free(buf);

	/* A revoked domain takes nothing; the caller still owns it. */
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	{
		struct safe_dma_buf *b __free(safe_dma) =
			safe_dma_alloc(ctx->dev, 4, 4, GFP_KERNEL, 0);

		KUNIT_ASSERT_FALSE(test, IS_ERR(b));
		r = safe_dma_attach(b, d);
		KUNIT_EXPECT_EQ(test, PTR_ERR(r), -ENODEV);
		if (!IS_ERR(r))
			retain_and_null_ptr(b);
	}
	safe_revocable_domain_put(d);
	dma_test_expect_clean(test, ctx);
}

/* A typed scope whose type does not fit the buffer is skipped, loudly. */
static void scope_type_mismatch(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	SAFE_DMA_REVOCABLE(SAFE_DMA_ARRAY(u32, 128)) big;
	SAFE_DMA_REVOCABLE(SAFE_DMA(u64)) wide;
	struct safe_revocable_domain *d;
	struct safe_dma_buf *buf;
	int ran = 0;

	d = safe_revocable_domain_create(ctx->dev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	buf = safe_dma_alloc_array(ctx->dev, u32, 64, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	big.rev = safe_dma_attach(buf, d);
	KUNIT_ASSERT_FALSE(test, IS_ERR(big.rev));
	wide.rev = big.rev;

	dma_test_expect_report_begin();
	safe_dma_scope(v, big)
		ran++;
	safe_dma_scope(v, wide)
		ran++;
	dma_test_expect_report_end();
	KUNIT_EXPECT_EQ(test, ran, 0);

	safe_revocable_domain_put(d);	/* revokes and frees */
	dma_test_expect_clean(test, ctx);
}

/* -------------------------------------------------------------------- */
/* dma_pool buffers                                                      */
/* -------------------------------------------------------------------- */

static void pool_buffers(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct dma_test_rec rec = { .ctx = ctx };
	struct safe_dma_buf *b[3];
	SAFE_DMA_ARRAY(u64, 4) h;
	struct safe_dma_pool *pool;
	dma_addr_t addr;
	u64 v = 0;
	int i;

	pool = safe_dma_pool_create("safe-dma-test", ctx->dev, 8, 4, 64);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	for (i = 0; i < 3; i++) {
		b[i] = safe_dma_pool_alloc(pool, i ? GFP_ATOMIC : GFP_KERNEL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(b[i]));
		KUNIT_EXPECT_EQ(test, safe_dma_size(b[i]), 32);
		KUNIT_EXPECT_EQ(test, b[i]->handle % 64, 0);
		KUNIT_EXPECT_NULL(test, memchr_inv(safe_dma_cpu_ptr(b[i]), 0, 32));
	}
	/* One pool page holds them all. */
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 1L);

	KUNIT_ASSERT_EQ(test, safe_dma_init(h, b[1]), 0);
	KUNIT_EXPECT_EQ(test, safe_dma_set(h, 3, 0x1122334455667788ULL), 0);
	KUNIT_EXPECT_EQ(test, safe_dma_get(h, 3, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0x1122334455667788ULL);
	KUNIT_EXPECT_EQ(test, safe_dma_addr_of(h, 2, &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, b[1]->handle + 16);
	dma_test_expect_report_begin();
	KUNIT_EXPECT_EQ(test, safe_dma_set(h, hide(4), 1), -ERANGE);
	dma_test_expect_report_end();

	safe_dma_set_quiesce(b[0], quiesce_simple, &rec);
	safe_dma_free(b[0]);
	KUNIT_EXPECT_EQ(test, rec.quiesced, 1);

	/* The pool outlives its creator's reference while buffers remain. */
	safe_dma_pool_destroy(pool);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 1L);
	KUNIT_EXPECT_EQ(test, safe_dma_set(h, 0, 5), 0);
	{
		unsigned long flags;

		local_irq_save(flags);
		safe_dma_free(b[1]);	/* deferred */
		local_irq_restore(flags);
	}
	safe_dma_flush_deferred();
	safe_dma_free(b[2]);		/* the last one destroys the pool */
	dma_test_expect_clean(test, ctx);
}


/* -------------------------------------------------------------------- */
/* No DMA memory outlives the binding                                    */
/* -------------------------------------------------------------------- */

/*
 * What a driver left behind at unbind: a buffer it owns (a per-open
 * buffer, say, freed in ->release), one freed from atomic context just
 * before, a buffer owned by a domain it never revoked, and a pool with a
 * buffer.  All of their memory goes at unbind, while the device's DMA
 * state is intact; the driver's later frees release descriptors only and
 * run no driver callback.
 */
struct leftover {
	struct dma_test_rec rec, rec_deferred, rec_domain;
	struct safe_dma_buf *buf, *deferred, *pooled;
	struct safe_dma_pool *pool;
	struct safe_revocable_domain *domain;
	struct safe_revocable *attached;
	int probe_err;
};

static struct leftover *leftover_ctx;

static int leftover_probe(struct platform_device *pdev)
{
	struct leftover *c = leftover_ctx;
	struct device *dev = &pdev->dev;
	struct safe_dma_buf *b;
	int ret = -ENOMEM;

	c->buf = safe_dma_alloc(dev, 4, 64, GFP_KERNEL, 0);
	c->deferred = safe_dma_alloc(dev, 4, 64, GFP_KERNEL, 0);
	c->pool = safe_dma_pool_create("safe-dma-leftover", dev, 8, 4, 0);
	c->domain = safe_revocable_domain_create(dev);
	b = safe_dma_alloc(dev, 4, 64, GFP_KERNEL, 0);
	if (IS_ERR(c->buf) || IS_ERR(c->deferred) || IS_ERR(c->pool) ||
	    IS_ERR(c->domain) || IS_ERR(b))
		goto out;
	c->pooled = safe_dma_pool_alloc(c->pool, GFP_KERNEL);
	if (IS_ERR(c->pooled))
		goto out;
	safe_dma_set_quiesce(c->buf, quiesce_simple, &c->rec);
	safe_dma_set_quiesce(c->deferred, quiesce_simple, &c->rec_deferred);
	safe_dma_set_quiesce(b, quiesce_simple, &c->rec_domain);
	c->attached = safe_dma_attach(b, c->domain);
	if (IS_ERR(c->attached))
		goto out;
	ret = 0;
out:
	c->probe_err = ret;
	return ret;
}

static struct platform_driver leftover_driver = {
	.probe = leftover_probe,
	.driver = { .name = "safe-dma-leftover" },
};

static void memory_freed_at_unbind(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct leftover *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct dma_test_ctx bound;
	static DEFINE_SPINLOCK(lock);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->rec.ctx = c->rec_deferred.ctx = c->rec_domain.ctx = ctx;
	leftover_ctx = c;
	KUNIT_ASSERT_EQ(test, platform_driver_register(&leftover_driver), 0);
	ret = dma_test_ctx_init(test, &bound, "safe-dma-leftover");
	if (ret) {
		platform_driver_unregister(&leftover_driver);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}
	KUNIT_ASSERT_EQ(test, c->probe_err, 0);
	/* Three coherent buffers and the pool's page. */
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 4L);

	/* Freed from atomic context right before unbind: still pending. */
	scoped_guard(spinlock, &lock)
		safe_dma_free(c->deferred);

	device_release_driver(bound.dev);
	/* Every one of them quiesced once, freed, while bound. */
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);
	KUNIT_EXPECT_EQ(test, c->rec.quiesced, 1);
	KUNIT_EXPECT_EQ(test, c->rec_deferred.quiesced, 1);
	KUNIT_EXPECT_EQ(test, c->rec_domain.quiesced, 1);
	KUNIT_EXPECT_TRUE(test, safe_revocable_domain_dead(c->domain));

	/* The driver's own frees, later: descriptors only, no callback. */
	safe_dma_free(c->buf);
	safe_dma_free(c->pooled);
	safe_dma_pool_destroy(c->pool);
	safe_revocable_domain_put(c->domain);
	safe_dma_flush_deferred();
	safe_revocable_flush();
	KUNIT_EXPECT_EQ(test, c->rec.quiesced, 1);
	KUNIT_EXPECT_EQ(test, c->rec_deferred.quiesced, 1);
	KUNIT_EXPECT_EQ(test, c->rec_domain.quiesced, 1);

	dma_test_ctx_exit(&bound);
	platform_driver_unregister(&leftover_driver);
	leftover_ctx = NULL;
	dma_test_expect_clean(test, ctx);
}

/*
 * An allocation while the unbind's devres release runs, after the
 * binding's own release: the device's devres list is empty by then, and
 * a binding created anew would keep the memory past the unbind (found by
 * the debug kernel's hostile load: "DMA-API: device driver has pending
 * DMA allocations while released from device").  The devres action is
 * added before the first allocation, so it runs after the binding's
 * release.
 */
struct late_alloc {
	struct safe_dma_buf *early, *late;
	int probe_err;
};

static struct late_alloc *late_alloc_ctx;

static void late_alloc_action(void *data)
{
	struct device *dev = data;

	late_alloc_ctx->late = safe_dma_alloc(dev, 4, 64, GFP_KERNEL, 0);
}

static int late_alloc_probe(struct platform_device *pdev)
{
	struct late_alloc *c = late_alloc_ctx;
	int ret;

	ret = devm_add_action_or_reset(&pdev->dev, late_alloc_action, &pdev->dev);
	if (!ret) {
		c->early = safe_dma_alloc(&pdev->dev, 4, 64, GFP_KERNEL, 0);
		ret = PTR_ERR_OR_ZERO(c->early);
	}
	c->probe_err = ret;
	return ret;
}

static struct platform_driver late_alloc_driver = {
	.probe = late_alloc_probe,
	.driver = { .name = "safe-dma-late" },
};

static void no_alloc_during_unbind(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct late_alloc *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct dma_test_ctx bound;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, c);
	late_alloc_ctx = c;
	KUNIT_ASSERT_EQ(test, platform_driver_register(&late_alloc_driver), 0);
	ret = dma_test_ctx_init(test, &bound, "safe-dma-late");
	if (ret) {
		platform_driver_unregister(&late_alloc_driver);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}
	KUNIT_ASSERT_EQ(test, c->probe_err, 0);

	device_release_driver(bound.dev);
	KUNIT_EXPECT_TRUE(test, IS_ERR(c->late));
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(c->late), -ENODEV);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);

	safe_dma_free(c->early);
	if (!IS_ERR(c->late))
		safe_dma_free(c->late);
	dma_test_ctx_exit(&bound);
	platform_driver_unregister(&late_alloc_driver);
	late_alloc_ctx = NULL;
	dma_test_expect_clean(test, ctx);
}

/*
 * A device that never had a driver: device_del() is its unbind.  The
 * pool is destroyed there too, while its sysfs file still exists.
 */
static void memory_freed_at_device_del(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct dma_test_rec rec = { .ctx = ctx };
	struct safe_dma_buf *buf, *pooled;
	struct safe_dma_pool *pool;
	struct dma_test_ctx other;

	KUNIT_ASSERT_EQ(test, dma_test_ctx_init(test, &other, "safe-dma-del"), 0);
	buf = safe_dma_alloc(other.dev, 4, 64, GFP_KERNEL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	pool = safe_dma_pool_create("safe-dma-del", other.dev, 8, 4, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pool));
	pooled = safe_dma_pool_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pooled));
	safe_dma_set_quiesce(buf, quiesce_simple, &rec);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 2L);

	/* The buffers pin the struct device, not its DMA state. */
	get_device(other.dev);
	platform_device_del(other.pdev);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);
	KUNIT_EXPECT_EQ(test, rec.quiesced, 1);
	/* Allocations for a deleted device fail cleanly. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_pool_alloc(pool, GFP_KERNEL)),
			-ENODEV);

	safe_dma_free(buf);
	safe_dma_free(pooled);
	safe_dma_pool_destroy(pool);
	KUNIT_EXPECT_EQ(test, rec.quiesced, 1);
	platform_device_put(other.pdev);
	put_device(other.dev);
	dma_test_expect_clean(test, ctx);
}


/*
 * A buffer mapped into user space with safe_dma_mmap(): unbind zaps the
 * mapping before it frees the memory, so a later touch faults instead of
 * reading freed (or reused) pages.
 */
#define MMAP_DEV_NAME	"safe-dma-mmap"

struct mmap_ctx {
	struct safe_revocable_domain *domain;
	struct safe_dma_buf *buf;
	struct safe_miscdevice misc;
	int probe_err;
	bool free_on_error;	/* ->mmap frees the buffer when mapping fails */
	bool free_on_close;	/* the mapping's ->close frees the buffer */
};

static struct mmap_ctx *mmap_ctx;

static void mmap_vm_close(struct vm_area_struct *vma)
{
	struct mmap_ctx *c = vma->vm_private_data;

	safe_dma_free(c->buf);
	c->buf = NULL;
}

static const struct vm_operations_struct mmap_close_ops = {
	.close = mmap_vm_close,
};

static int mmap_fop(struct file *f, struct vm_area_struct *vma)
{
	struct mmap_ctx *c = mmap_ctx;
	int ret = safe_dma_mmap(c->buf, vma);

	if (ret && c->free_on_error) {
		safe_dma_free(c->buf);
		c->buf = NULL;
	}
	if (!ret && c->free_on_close) {
		vma->vm_private_data = c;
		vma->vm_ops = &mmap_close_ops;
	}
	return ret;
}

static int mmap_released;

static int mmap_fop_release(struct inode *inode, struct file *f)
{
	mmap_released++;
	return 0;
}

static const struct file_operations mmap_fops = {
	.owner = THIS_MODULE,
	.mmap = mmap_fop,
	.release = mmap_fop_release,
};

static int mmap_probe(struct platform_device *pdev)
{
	struct mmap_ctx *c = mmap_ctx;
	struct device *dev = &pdev->dev;
	u32 *p;
	int ret;

	c->domain = devm_safe_revocable_domain_create(dev);
	c->buf = safe_dma_alloc(dev, 4, PAGE_SIZE / 4, GFP_KERNEL, 0);
	ret = IS_ERR(c->domain) ? PTR_ERR(c->domain) : PTR_ERR_OR_ZERO(c->buf);
	if (!ret) {
		p = safe_dma_cpu_ptr(c->buf);
		p[0] = 0x5afe;
		c->misc.misc.minor = MISC_DYNAMIC_MINOR;
		c->misc.misc.name = MMAP_DEV_NAME;
		c->misc.fops = &mmap_fops;
		c->misc.domain = c->domain;
		ret = devm_safe_misc_register(dev, &c->misc);
	}
	c->probe_err = ret;
	return ret;
}

static struct platform_driver mmap_driver = {
	.probe = mmap_probe,
	.driver = { .name = "safe-dma-mmap" },
};

static void mmap_unbind(struct dma_test_ctx *bound)
{
	dma_test_ctx_exit(bound);
	platform_driver_unregister(&mmap_driver);
	mmap_ctx = NULL;
}

/* A device bound to mmap_driver with @c; false (the test failed) if not. */
static bool mmap_bind(struct kunit *test, struct mmap_ctx *c,
		      struct dma_test_ctx *bound)
{
	mmap_ctx = c;
	if (platform_driver_register(&mmap_driver)) {
		KUNIT_FAIL(test, "driver not registered");
		return false;
	}
	if (dma_test_ctx_init(test, bound, "safe-dma-mmap")) {
		platform_driver_unregister(&mmap_driver);
		KUNIT_FAIL(test, "no device");
		return false;
	}
	if (c->probe_err) {
		KUNIT_FAIL(test, "probe: %d", c->probe_err);
		mmap_unbind(bound);
		return false;
	}
	return true;
}

static void mmap_zapped_at_unbind(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct mmap_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct dma_test_ctx bound;
	struct user_page u;
	unsigned long addr;
	struct file *f;
	u32 v = 0;

	KUNIT_ASSERT_NOT_NULL(test, c);
	if (!mmap_bind(test, c, &bound))
		return;
	f = safe_test_dev_open(MMAP_DEV_NAME, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_ASSERT_EQ(test, safe_test_user_page_get(&u), 0);

	addr = vm_mmap(f, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	KUNIT_EXPECT_FALSE(test, IS_ERR_VALUE(addr));
	if (!IS_ERR_VALUE(addr)) {
		KUNIT_EXPECT_FALSE(test, copy_from_user(&v, (void __user *)addr,
							sizeof(v)));
		KUNIT_EXPECT_EQ(test, v, 0x5afeU);
	}

	device_release_driver(bound.dev);
	/* The memory is gone, and so is the mapping of it. */
	if (!IS_ERR_VALUE(addr)) {
		KUNIT_EXPECT_NE(test, copy_from_user(&v, (void __user *)addr,
						     sizeof(v)), 0UL);
		vm_munmap(addr, PAGE_SIZE);
	}
	safe_test_user_page_put(&u);
	/* Read through debugfs, which needs this thread without an mm. */
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);
	__fput_sync(f);
	safe_dma_free(c->buf);

	mmap_unbind(&bound);
	dma_test_expect_clean(test, ctx);
}

/* The first word behind @addr, or ~0 where reading it faults. */
static u32 mmap_word(unsigned long addr)
{
	u32 v;

	return copy_from_user(&v, (void __user *)addr, sizeof(v)) ? ~0U : v;
}

/*
 * Each free zaps its own buffer's mappings and no other's.  Three files of
 * one device node map three buffers at the same offset: b goes with its
 * owner's safe_dma_free(), a with its domain's revocation, c stays.  A
 * mapping keeps its device file open until it is unmapped.
 */
static void mmap_zaps_its_own_mappings(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct mmap_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct safe_dma_buf *buf[3];	/* a, b, c */
	struct safe_revocable_domain *d;
	struct dma_test_ctx bound;
	unsigned long addr[3];
	struct file *f[3];
	struct user_page u;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	if (!mmap_bind(test, c, &bound))
		return;
	buf[2] = c->buf;		/* 0x5afe */
	for (i = 0; i < 2; i++) {
		buf[i] = safe_dma_alloc(bound.dev, 4, PAGE_SIZE / 4, GFP_KERNEL, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(buf[i]));
		*(u32 *)safe_dma_cpu_ptr(buf[i]) = 0xa + i;
	}
	d = safe_revocable_domain_create(bound.dev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d));
	KUNIT_ASSERT_FALSE(test, IS_ERR(safe_dma_attach(buf[0], d)));

	KUNIT_ASSERT_EQ(test, safe_test_user_page_get(&u), 0);
	for (i = 0; i < 3; i++) {
		f[i] = safe_test_dev_open(MMAP_DEV_NAME, O_RDWR);
		KUNIT_ASSERT_FALSE(test, IS_ERR(f[i]));
		c->buf = buf[i];
		addr[i] = vm_mmap(f[i], 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
				  MAP_SHARED, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr[i]));
	}
	KUNIT_EXPECT_EQ(test, mmap_word(addr[0]), 0xaU);
	KUNIT_EXPECT_EQ(test, mmap_word(addr[1]), 0xbU);
	KUNIT_EXPECT_EQ(test, mmap_word(addr[2]), 0x5afeU);

	/* Closed, b's file stays open for its mapping. */
	mmap_released = 0;
	__fput_sync(f[1]);
	KUNIT_EXPECT_EQ(test, mmap_released, 0);

	/* The owner's own free zaps b's mapping, and only b's. */
	safe_dma_free(buf[1]);
	KUNIT_EXPECT_EQ(test, mmap_word(addr[1]), ~0U);
	KUNIT_EXPECT_EQ(test, mmap_word(addr[0]), 0xaU);
	KUNIT_EXPECT_EQ(test, mmap_word(addr[2]), 0x5afeU);

	/* a's domain goes, and a's mapping with it; c's stays. */
	KUNIT_EXPECT_EQ(test, safe_revocable_domain_revoke(d), 0);
	KUNIT_EXPECT_EQ(test, mmap_word(addr[0]), ~0U);
	KUNIT_EXPECT_EQ(test, mmap_word(addr[2]), 0x5afeU);

	for (i = 0; i < 3; i++)
		vm_munmap(addr[i], PAGE_SIZE);
	safe_test_user_page_put(&u);
	/* The map files' releases, then b's device file's. */
	flush_delayed_fput();
	flush_delayed_fput();
	KUNIT_EXPECT_EQ(test, mmap_released, 1);
	__fput_sync(f[0]);
	__fput_sync(f[2]);
	safe_dma_free(buf[2]);
	safe_revocable_domain_put(d);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);

	mmap_unbind(&bound);
	dma_test_expect_clean(test, ctx);
}

/*
 * A driver's ->mmap that frees the buffer when safe_dma_mmap() fails (the
 * mapping asks for more than the buffer has): the free runs under the
 * process's own mmap lock, and must neither wait for that lock nor keep
 * the memory.
 */
static void mmap_failed_then_freed_under_mmap_lock(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct mmap_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct dma_test_ctx bound;
	struct user_page u;
	unsigned long addr;
	struct file *f;

	KUNIT_ASSERT_NOT_NULL(test, c);
	if (!mmap_bind(test, c, &bound))
		return;
	c->free_on_error = true;
	f = safe_test_dev_open(MMAP_DEV_NAME, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_ASSERT_EQ(test, safe_test_user_page_get(&u), 0);
	addr = vm_mmap(f, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	KUNIT_EXPECT_TRUE(test, IS_ERR_VALUE(addr));
	KUNIT_EXPECT_NULL(test, c->buf);
	safe_test_user_page_put(&u);
	__fput_sync(f);
	safe_dma_flush_deferred();
	/* Freed, not kept as memory a mapping might reach. */
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);

	mmap_unbind(&bound);
	dma_test_expect_clean(test, ctx);
}

/*
 * A buffer freed by its mapping's ->close when the process exits without
 * unmapping: exit_mmap() calls ->close under the mmap lock of an address
 * space that has no users left, from a task whose ->mm is already gone.
 */
static void mmap_freed_by_close_at_exit(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct mmap_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct dma_test_ctx bound;
	struct user_page u;
	unsigned long addr;
	struct file *f;

	KUNIT_ASSERT_NOT_NULL(test, c);
	if (!mmap_bind(test, c, &bound))
		return;
	c->free_on_close = true;
	f = safe_test_dev_open(MMAP_DEV_NAME, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_ASSERT_EQ(test, safe_test_user_page_get(&u), 0);
	addr = vm_mmap(f, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	KUNIT_EXPECT_EQ(test, mmap_word(addr), 0x5afeU);
	/* Exit: the address space goes with the mapping still in it. */
	vm_munmap(u.addr, PAGE_SIZE);
	kthread_unuse_mm(u.mm);
	mmput(u.mm);
	KUNIT_EXPECT_NULL(test, c->buf);
	flush_delayed_fput();
	__fput_sync(f);
	safe_dma_flush_deferred();
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);

	mmap_unbind(&bound);
	dma_test_expect_clean(test, ctx);
}

/*
 * DMA_ATTR_NO_KERNEL_MAPPING memory is not zeroed (dma-direct skips it,
 * having no address to clear through): mapping it would show user space
 * what the pages held before.  safe_dma_mmap() refuses it.
 */
static void mmap_no_kernel_mapping_refused(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct mmap_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct safe_dma_buf *nkm, *mapped;
	struct dma_test_ctx bound;
	struct user_page u;
	unsigned long addr;
	struct file *f;

	KUNIT_ASSERT_NOT_NULL(test, c);
	if (!mmap_bind(test, c, &bound))
		return;
	mapped = c->buf;
	nkm = safe_dma_alloc(bound.dev, 4, PAGE_SIZE / 4, GFP_KERNEL,
			     DMA_ATTR_NO_KERNEL_MAPPING);
	KUNIT_ASSERT_FALSE(test, IS_ERR(nkm));
	f = safe_test_dev_open(MMAP_DEV_NAME, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_ASSERT_EQ(test, safe_test_user_page_get(&u), 0);
	c->buf = nkm;
	addr = vm_mmap(f, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, 0);
	KUNIT_EXPECT_EQ(test, (long)addr, (long)-EINVAL);
	if (!IS_ERR_VALUE(addr))
		vm_munmap(addr, PAGE_SIZE);
	/* Positive control: a zeroed buffer maps. */
	c->buf = mapped;
	addr = vm_mmap(f, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, 0);
	KUNIT_EXPECT_FALSE(test, IS_ERR_VALUE(addr));
	if (!IS_ERR_VALUE(addr))
		vm_munmap(addr, PAGE_SIZE);
	safe_test_user_page_put(&u);
	flush_delayed_fput();
	__fput_sync(f);
	safe_dma_free(nkm);
	safe_dma_free(mapped);

	mmap_unbind(&bound);
	dma_test_expect_clean(test, ctx);
}

/*
 * mmap() links a new mapping into the file's mapping tree only after
 * ->mmap returned, with the process's mmap lock still held for writing.
 * An unbind in between must not miss the mapping.  ->mmap here is not
 * inside an access (a plain misc device: the buffer's descriptor is what
 * keeps it safe), and after safe_dma_mmap() it holds on, with the mmap
 * lock: until the unbind has reached the devres action registered right
 * after the buffer (the binding's sweep comes next) and then ->settle_ms
 * more, or until the unbind is over, or for ->hold_ms at most.
 */
#define MMRACE_DEV_NAME	"safe-dma-mmrace"

struct mmap_race {
	struct safe_dma_buf *buf;
	/* A second buffer, mapped at page offset 1 and not held (@extra). */
	struct safe_dma_buf *buf2;
	bool extra;
	struct miscdevice misc;
	struct device *dev;
	struct completion mapped;
	struct completion unbound;
	unsigned int hold_ms;
	unsigned int settle_ms;
	bool unbinding;
	/* What ->mmap saw before it returned. */
	bool unbinding_in_mmap;
	bool unbound_in_mmap;
	int probe_err;
	unsigned long unbind_jiffies;	/* how long the unbind took */
};

static struct mmap_race *mmap_race;

static int mmap_race_fop(struct file *f, struct vm_area_struct *vma)
{
	struct mmap_race *c = mmap_race;
	unsigned long end = jiffies + msecs_to_jiffies(c->hold_ms);
	unsigned long settled = 0;
	int ret;

	if (vma->vm_pgoff == 1 && c->buf2) {
		vma->vm_pgoff = 0;
		return safe_dma_mmap(c->buf2, vma);
	}
	ret = safe_dma_mmap(c->buf, vma);
	if (ret)
		return ret;
	complete(&c->mapped);
	while (!completion_done(&c->unbound) && time_before(jiffies, end)) {
		if (!settled && READ_ONCE(c->unbinding))
			settled = jiffies + msecs_to_jiffies(c->settle_ms);
		if (settled && time_after(jiffies, settled))
			break;
		usleep_range(500, 1000);
	}
	c->unbinding_in_mmap = READ_ONCE(c->unbinding);
	c->unbound_in_mmap = completion_done(&c->unbound);
	return 0;
}

static const struct file_operations mmap_race_fops = {
	.owner = THIS_MODULE,
	.mmap = mmap_race_fop,
};

static void mmap_race_misc_del(void *misc)
{
	misc_deregister(misc);
}

/* Runs at unbind right before the binding's sweep frees the buffer. */
static void mmap_race_unbinding(void *arg)
{
	struct mmap_race *c = arg;

	WRITE_ONCE(c->unbinding, true);
}

static int mmap_race_probe(struct platform_device *pdev)
{
	struct mmap_race *c = mmap_race;
	struct device *dev = &pdev->dev;
	int ret;

	c->buf = safe_dma_alloc(dev, 4, PAGE_SIZE / 4, GFP_KERNEL, 0);
	ret = PTR_ERR_OR_ZERO(c->buf);
	if (!ret && c->extra) {
		/* Allocated later, so the sweep frees it first. */
		c->buf2 = safe_dma_alloc(dev, 4, PAGE_SIZE / 4, GFP_KERNEL, 0);
		ret = PTR_ERR_OR_ZERO(c->buf2);
		if (ret)
			c->buf2 = NULL;
	}
	if (!ret)
		ret = devm_add_action_or_reset(dev, mmap_race_unbinding, c);
	if (!ret) {
		*(u32 *)safe_dma_cpu_ptr(c->buf) = 0x5afe;
		c->misc.minor = MISC_DYNAMIC_MINOR;
		c->misc.name = MMRACE_DEV_NAME;
		c->misc.fops = &mmap_race_fops;
		ret = misc_register(&c->misc);
		if (!ret)
			ret = devm_add_action_or_reset(dev, mmap_race_misc_del,
						       &c->misc);
	}
	c->probe_err = ret;
	return ret;
}

static struct platform_driver mmap_race_driver = {
	.probe = mmap_race_probe,
	.driver = { .name = MMRACE_DEV_NAME },
};

static int mmap_race_unbind(void *arg)
{
	struct mmap_race *c = arg;

	unsigned long start;

	wait_for_completion(&c->mapped);
	start = jiffies;
	device_release_driver(c->dev);
	c->unbind_jiffies = jiffies - start;
	complete_all(&c->unbound);
	return 0;
}

struct mmap_race_result {
	bool unbinding_in_mmap;
	bool unbound_in_mmap;
	bool faulted;		/* the mapping faulted after the unbind */
	u32 v;			/* else what it read */
	unsigned int unbind_ms;
};

/*
 * Map the buffer of a fresh device while another thread unbinds it, with
 * ->mmap holding on as struct mmap_race says, then read the mapping.
 */
static void mmap_race_run(struct kunit *test, unsigned int hold_ms,
			  unsigned int settle_ms, bool extra,
			  struct mmap_race_result *r)
{
	struct mmap_race *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct dma_test_ctx bound;
	struct task_struct *t;
	unsigned long addr, addr2 = -ENOMEM;
	struct user_page u;
	struct file *f;

	*r = (struct mmap_race_result){ .faulted = true };
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->extra = extra;
	init_completion(&c->mapped);
	init_completion(&c->unbound);
	c->hold_ms = hold_ms;
	c->settle_ms = settle_ms;
	mmap_race = c;
	KUNIT_ASSERT_EQ(test, platform_driver_register(&mmap_race_driver), 0);
	if (dma_test_ctx_init(test, &bound, MMRACE_DEV_NAME)) {
		platform_driver_unregister(&mmap_race_driver);
		KUNIT_FAIL(test, "no device");
		return;
	}
	KUNIT_ASSERT_EQ(test, c->probe_err, 0);
	c->dev = bound.dev;
	f = safe_test_dev_open(MMRACE_DEV_NAME, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_ASSERT_EQ(test, safe_test_user_page_get(&u), 0);
	if (extra) {
		/* Linked before the race: its zap needs the same mmap lock. */
		addr2 = vm_mmap(f, 0, PAGE_SIZE, PROT_READ, MAP_SHARED,
				PAGE_SIZE);
		KUNIT_EXPECT_FALSE(test, IS_ERR_VALUE(addr2));
	}
	t = kthread_run(mmap_race_unbind, c, "safe-dma-mmrace");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));

	addr = vm_mmap(f, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	KUNIT_EXPECT_FALSE(test, IS_ERR_VALUE(addr));
	complete(&c->mapped);	/* in case ->mmap never got there */
	wait_for_completion(&c->unbound);
	r->unbinding_in_mmap = c->unbinding_in_mmap;
	r->unbound_in_mmap = c->unbound_in_mmap;
	r->unbind_ms = jiffies_to_msecs(c->unbind_jiffies);
	if (!IS_ERR_VALUE(addr2))
		vm_munmap(addr2, PAGE_SIZE);
	if (!IS_ERR_VALUE(addr)) {
		r->faulted = copy_from_user(&r->v, (void __user *)addr,
					    sizeof(r->v));
		vm_munmap(addr, PAGE_SIZE);
	}
	safe_test_user_page_put(&u);
	__fput_sync(f);
	safe_dma_free(c->buf);
	safe_dma_free(c->buf2);

	dma_test_ctx_exit(&bound);
	platform_driver_unregister(&mmap_race_driver);
	mmap_race = NULL;
}

/*
 * The unbind waits until the mapping is linked, then zaps it and frees
 * the memory.  Before the fix the unbind was over inside the window and
 * the mapping read the freed buffer.
 */
static void mmap_racing_unbind(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct mmap_race_result r;

	mmap_race_run(test, 10000, 500, false, &r);
	/* The race happened: the unbind reached the buffer inside ->mmap. */
	KUNIT_EXPECT_TRUE(test, r.unbinding_in_mmap);
	KUNIT_EXPECT_FALSE(test, r.unbound_in_mmap);
	/* The memory is gone, and so is the mapping of it. */
	KUNIT_EXPECT_TRUE(test, r.faulted);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 0L);
	dma_test_expect_clean(test, ctx);
}

/*
 * A process that holds its mmap lock for longer than safe waits (10 s)
 * cannot hold the unbind: it ends, warns, and keeps the memory allocated
 * rather than free it under a mapping it could not zap.
 */
static void mmap_lock_holder_cannot_hold_unbind(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct mmap_race_result r;

	dma_test_expect_report_begin();
	mmap_race_run(test, 30000, 30000, false, &r);
	dma_test_expect_report_end();
	KUNIT_EXPECT_TRUE(test, r.unbound_in_mmap);
	/* Linked after the zap: still mapped, to memory never freed. */
	KUNIT_EXPECT_FALSE(test, r.faulted);
	KUNIT_EXPECT_EQ(test, r.v, 0x5afeU);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 1L);
	KUNIT_EXPECT_EQ(test, dma_test_debugfs_long(DMA_ERROR_COUNT),
			ctx->errors0);
}

/*
 * The 10 s are per device, not per buffer: with two buffers mapped by the
 * process that holds its mmap lock, the unbind still ends after one wait.
 * Before the fix each buffer waited in turn (20 s here, N x 10 s for N).
 */
static void mmap_lock_holder_waits_once_per_device(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct mmap_race_result r;

	dma_test_expect_report_begin();
	mmap_race_run(test, 30000, 30000, true, &r);
	dma_test_expect_report_end();
	KUNIT_EXPECT_TRUE(test, r.unbound_in_mmap);
	KUNIT_EXPECT_GE(test, r.unbind_ms, 10000U);
	KUNIT_EXPECT_LT(test, r.unbind_ms, 15000U);
	/* Neither buffer was freed under its mapping. */
	KUNIT_EXPECT_FALSE(test, r.faulted);
	KUNIT_EXPECT_EQ(test, dma_test_live(ctx), 2L);
}

/*
 * safe_revocable_bound() from atomic context racing an unbind, as an
 * interrupt handler or a timer does: the debug check passes, then the
 * caller uses the pointer while the other CPU unbinds.  Revocation must
 * not release the resource before such a caller is done.  Needs two
 * CPUs: on one, the unbind cannot run inside the caller's section.
 */
#define BOUND_DEV_NAME	"safe-dma-bound"
#define BOUND_CANARY	0x5afe

struct bound_race {
	struct safe_revocable *res;
	struct device *dev;
	struct completion loaded;
	u32 seen;
	struct safe_revocable_domain *domain;
	bool released;
	bool released_inside;
	bool revoking_seen;
	int probe_err;
};

static struct bound_race *bound_race;

static void bound_race_release(void *obj)
{
	kfree(obj);
	WRITE_ONCE(bound_race->released, true);
}

static int bound_race_probe(struct platform_device *pdev)
{
	struct bound_race *c = bound_race;
	struct safe_revocable_domain *d;
	u32 *obj;

	d = devm_safe_revocable_domain_create(&pdev->dev);
	if (IS_ERR(d)) {
		c->probe_err = PTR_ERR(d);
		return c->probe_err;
	}
	c->domain = d;
	obj = kmalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj) {
		c->probe_err = -ENOMEM;
		return c->probe_err;
	}
	*obj = BOUND_CANARY;
	c->res = safe_revocable_create(d, obj, bound_race_release);
	c->probe_err = PTR_ERR_OR_ZERO(c->res);
	if (c->probe_err)
		kfree(obj);
	return c->probe_err;
}

static struct platform_driver bound_race_driver = {
	.probe = bound_race_probe,
	.driver = { .name = BOUND_DEV_NAME },
};

static int bound_race_reader(void *arg)
{
	struct bound_race *c = arg;
	unsigned long end;
	u32 *p;

	preempt_disable();
	p = safe_revocable_bound(c->res, c->dev);
	complete(&c->loaded);
	/*
	 * The other CPU unbinds meanwhile: stay until the release ran, or
	 * for 3 s if the release waits for us, as it must.
	 */
	end = jiffies + 3 * HZ;
	while (!READ_ONCE(c->released) && time_before(jiffies, end))
		cpu_relax();
	c->released_inside = READ_ONCE(c->released);
	c->revoking_seen = safe_revocable_domain_dead(c->domain);
	c->seen = p ? READ_ONCE(*p) : 0;
	preempt_enable();
	return 0;
}

static void bound_atomic_caller_outlasts_unbind(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct bound_race *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct dma_test_ctx bound;
	struct task_struct *t;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	KUNIT_ASSERT_NOT_NULL(test, c);
	init_completion(&c->loaded);
	bound_race = c;
	KUNIT_ASSERT_EQ(test, platform_driver_register(&bound_race_driver), 0);
	if (dma_test_ctx_init(test, &bound, BOUND_DEV_NAME)) {
		platform_driver_unregister(&bound_race_driver);
		KUNIT_FAIL(test, "no device");
		return;
	}
	KUNIT_ASSERT_EQ(test, c->probe_err, 0);
	c->dev = bound.dev;

	t = kthread_create(bound_race_reader, c, "safe-bound");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	/* Not on this CPU, so that both run at once. */
	kthread_bind(t, cpumask_any_but(cpu_online_mask,
					 raw_smp_processor_id()));
	wake_up_process(t);
	wait_for_completion(&c->loaded);
	/* Before the fix: this released the resource under the reader. */
	device_release_driver(bound.dev);
	kthread_stop(t);
	put_task_struct(t);
	/* The race happened: the revocation began inside the section. */
	KUNIT_EXPECT_TRUE(test, c->revoking_seen);
	KUNIT_EXPECT_FALSE(test, c->released_inside);
	KUNIT_EXPECT_EQ(test, c->seen, (u32)BOUND_CANARY);

	dma_test_ctx_exit(&bound);
	platform_driver_unregister(&bound_race_driver);
	bound_race = NULL;
	dma_test_expect_clean(test, ctx);
}

/* A handle that was never bound refuses every access. */
static void unbound_handle_refused(struct kunit *test)
{
	SAFE_DMA_ARRAY(u32, 4) arr = {};
	SAFE_DMA(u32) any = {};
	u32 v = 1;

	dma_test_expect_report_begin();
	KUNIT_EXPECT_EQ(test, safe_dma_get(arr, 1, &v), -ENODEV);
	KUNIT_EXPECT_EQ(test, v, 0U);
	KUNIT_EXPECT_EQ(test, safe_dma_set(arr, 0, 5), -ENODEV);
	KUNIT_EXPECT_EQ(test, safe_dma_set(any, 0, 5), -ENODEV);
	KUNIT_EXPECT_EQ(test, safe_dma_copy_in(arr, 0, &v, 1), -ENODEV);
	dma_test_expect_report_end();
}

/* Attributes that describe streaming or MMIO mappings are refused. */
static void attrs_refused(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct safe_dma_buf *buf;

	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_alloc(ctx->dev, 4, 4, GFP_KERNEL,
						     DMA_ATTR_SKIP_CPU_SYNC)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(safe_dma_alloc(ctx->dev, 4, 4, GFP_KERNEL,
						     1UL << 30)),
			-EINVAL);
	buf = safe_dma_alloc(ctx->dev, 4, 4, GFP_KERNEL,
			     DMA_ATTR_NO_WARN | DMA_ATTR_WEAK_ORDERING);
	KUNIT_EXPECT_FALSE(test, IS_ERR(buf));
	safe_dma_free(buf);
	dma_test_expect_clean(test, ctx);
}

/* One copy between user memory and the buffer, bounds checked. */
static void copy_iter(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;
	struct safe_dma_buf *buf;
	char in[16] = "0123456789abcde", out[16] = {};
	struct iov_iter it;
	struct kvec kv;

	buf = safe_dma_alloc(ctx->dev, 1, 64, GFP_KERNEL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(buf));
	kv = (struct kvec){ .iov_base = in, .iov_len = sizeof(in) };
	iov_iter_kvec(&it, ITER_SOURCE, &kv, 1, sizeof(in));
	KUNIT_EXPECT_EQ(test, safe_dma_copy_from_iter(buf, 48, 16, &it), 16L);
	kv = (struct kvec){ .iov_base = out, .iov_len = sizeof(out) };
	iov_iter_kvec(&it, ITER_DEST, &kv, 1, sizeof(out));
	KUNIT_EXPECT_EQ(test, safe_dma_copy_to_iter(buf, 48, 16, &it), 16L);
	KUNIT_EXPECT_STREQ(test, out, in);
	KUNIT_EXPECT_EQ(test, safe_dma_memset(buf, 50, 'z', 2), 0);
	iov_iter_kvec(&it, ITER_DEST, &kv, 1, sizeof(out));
	KUNIT_EXPECT_EQ(test, safe_dma_copy_to_iter(buf, 48, 4, &it), 4L);
	KUNIT_EXPECT_EQ(test, memcmp(out, "01zz", 4), 0);
	iov_iter_kvec(&it, ITER_DEST, &kv, 1, sizeof(out));
	dma_test_expect_report_begin();
	KUNIT_EXPECT_EQ(test, safe_dma_copy_to_iter(buf, 49, 16, &it), -ERANGE);
	KUNIT_EXPECT_EQ(test, safe_dma_memset(buf, 60, 0, 5), -ERANGE);
	dma_test_expect_report_end();
	safe_dma_free(buf);
	dma_test_expect_clean(test, ctx);
}

/* -------------------------------------------------------------------- */
/* A real PCI device: the DMA-API debug unbind check                     */
/* -------------------------------------------------------------------- */

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8

struct pci_probe {
	struct dma_test_rec rec;
	bool leak_raw;
	void *raw;
	dma_addr_t raw_handle;
	int probe_err;
};

static struct pci_probe *pci_probe_ctx;

static void pci_quiesce(void *arg)
{
	struct pci_probe *c = arg;

	c->rec.quiesced++;
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pci_probe *c = pci_probe_ctx;
	struct safe_dma_buf *buf;
	int ret;

	/* The edu device decodes 28 address bits. */
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(28));
	if (!ret && c->leak_raw) {
		c->raw = dma_alloc_coherent(&pdev->dev, 4096, &c->raw_handle,
					    GFP_KERNEL);
		if (!c->raw)
			ret = -ENOMEM;
	}
	if (!ret) {
		buf = devm_safe_dma_alloc(&pdev->dev, 16, 256, GFP_KERNEL, 0);
		if (IS_ERR(buf))
			ret = PTR_ERR(buf);
		else
			safe_dma_set_quiesce(buf, pci_quiesce, c);
	}
	c->probe_err = ret;
	return ret;
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{}
};

static struct pci_driver edu_driver = {
	.name = "safe-dma-edu-test",
	.id_table = edu_ids,
	.probe = edu_probe,
};

/*
 * With a device on a bus that DMA-API debug watches, unbinding with a
 * coherent allocation left is reported ("device driver has pending DMA
 * allocations while released").  devm_safe_dma_alloc() leaves none; a
 * raw dma_alloc_coherent() without its free does, which proves the check
 * is live.
 */
static void pci_unbind_dma_api_check(struct kunit *test)
{
	struct pci_probe c = {};
	struct pci_dev *pdev;
	long errors0;
	int round, ret;

	pdev = pci_get_device(EDU_VENDOR, EDU_DEVICE, NULL);
	if (!pdev)
		kunit_skip(test, "no QEMU edu device (-device edu)");
	pci_probe_ctx = &c;

	for (round = 0; round < 2; round++) {
		c = (struct pci_probe) { .leak_raw = round == 1 };
		errors0 = dma_test_debugfs_long(DMA_ERROR_COUNT);
		ret = pci_register_driver(&edu_driver);
		KUNIT_ASSERT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, c.probe_err, 0);
		KUNIT_EXPECT_PTR_EQ(test, pdev->dev.driver, &edu_driver.driver);

		if (c.leak_raw)
			dma_test_expect_report_begin();
		pci_unregister_driver(&edu_driver);
		if (c.leak_raw)
			dma_test_expect_report_end();
		KUNIT_EXPECT_EQ(test, c.rec.quiesced, 1);
		KUNIT_EXPECT_EQ_MSG(test, dma_test_debugfs_long(DMA_ERROR_COUNT),
				    errors0 + c.leak_raw, "round %d", round);
		if (c.raw)
			dma_free_coherent(&pdev->dev, 4096, c.raw, c.raw_handle);
	}
	pci_probe_ctx = NULL;
	pci_dev_put(pdev);
}

static struct kunit_case safe_dma_cases[] = {
	KUNIT_CASE(alloc_free_round_trip),
	KUNIT_CASE(alloc_array_typed),
	KUNIT_CASE(alloc_errors),
	KUNIT_CASE(alloc_without_mask),
	KUNIT_CASE(free_null_err_and_cleanup),
	KUNIT_CASE(phases),
	KUNIT_CASE(accessors_in_range),
	KUNIT_CASE(accessors_out_of_range),
	KUNIT_CASE(init_checks),
	KUNIT_CASE(free_from_atomic),
	KUNIT_CASE(free_in_process_context_is_synchronous),
	KUNIT_CASE(free_while_another_thread_holds_mmap_lock),
	KUNIT_CASE(devm_free_at_unbind),
	KUNIT_CASE(attach_revoke_quiesce_free),
	KUNIT_CASE(attach_errors),
	KUNIT_CASE(scope_type_mismatch),
	KUNIT_CASE(pool_buffers),
	KUNIT_CASE(pci_unbind_dma_api_check),
	KUNIT_CASE(memory_freed_at_unbind),
	KUNIT_CASE(memory_freed_at_device_del),
	KUNIT_CASE(no_alloc_during_unbind),
	KUNIT_CASE(attrs_refused),
	KUNIT_CASE(copy_iter),
	KUNIT_CASE(mmap_zapped_at_unbind),
	KUNIT_CASE(mmap_zaps_its_own_mappings),
	KUNIT_CASE(mmap_failed_then_freed_under_mmap_lock),
	KUNIT_CASE(mmap_freed_by_close_at_exit),
	KUNIT_CASE(mmap_no_kernel_mapping_refused),
	KUNIT_CASE_SLOW(mmap_racing_unbind),
	KUNIT_CASE_SLOW(mmap_lock_holder_cannot_hold_unbind),
	KUNIT_CASE_SLOW(mmap_lock_holder_waits_once_per_device),
	KUNIT_CASE(bound_atomic_caller_outlasts_unbind),
	/* Last: before the fix it dereferenced NULL. */
	KUNIT_CASE(unbound_handle_refused),
	{}
};

static struct kunit_suite safe_dma_suite = {
	.name = "safe_dma",
	.init = dma_test_init,
	.exit = dma_test_exit,
	.test_cases = safe_dma_cases,
};
kunit_test_suite(safe_dma_suite);

MODULE_DESCRIPTION("KUnit tests for safe's owned DMA-coherent buffers");
MODULE_LICENSE("GPL");
