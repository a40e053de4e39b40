/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the owned-DMA-buffer suites.
 */
#ifndef _SAFE_DMA_TEST_H
#define _SAFE_DMA_TEST_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/platform_device.h>
#include <linux/safe/dma.h>
#include "../kunit/testutil.h"

/* The DMA-API debug counters read through debugfs. */
#define DMA_FREE_ENTRIES	"dma-api/num_free_entries"
#define DMA_ERROR_COUNT		"dma-api/error_count"

/*
 * A fresh platform device per test (with the 32-bit masks platform
 * devices get), and what must be the same when the test ends: the
 * device's reference count, the DMA-API debug entries in use (one per
 * coherent allocation) and its error count.
 */
struct dma_test_ctx {
	struct platform_device *pdev;
	struct device *dev;
	unsigned int refs0;
	long entries0;
	long errors0;
};

long dma_test_debugfs_long(const char *path);
int dma_test_ctx_init(struct kunit *test, struct dma_test_ctx *ctx,
		      const char *name);
void dma_test_ctx_exit(struct dma_test_ctx *ctx);
void dma_test_expect_clean(struct kunit *test, struct dma_test_ctx *ctx);

/*
 * Another thread of a process holding its mmap lock for reading (a page
 * fault, a reader of /proc/PID/maps), from mm_holder_start(), which
 * returns once it holds the lock, to mm_holder_stop().
 */
struct mm_holder {
	struct mm_struct *mm;
	struct completion held;
	struct completion release;
	struct completion done;
};

int mm_holder_start(struct mm_holder *h, struct mm_struct *mm);
void mm_holder_stop(struct mm_holder *h);

/* Live coherent allocations since the start of the test. */
static inline long dma_test_live(struct dma_test_ctx *ctx)
{
	return ctx->entries0 - dma_test_debugfs_long(DMA_FREE_ENTRIES);
}

static inline unsigned int dma_test_refs(struct device *dev)
{
	return kref_read(&dev->kobj.kref);
}

/* Tells scripts/check-dma.sh that the report in between is wanted. */
#define dma_test_expect_report_begin() pr_info("safe-test: expect report begin\n")
#define dma_test_expect_report_end() pr_info("safe-test: expect report end\n")

#ifndef KUNIT_CASE_SLOW
#define KUNIT_CASE_SLOW KUNIT_CASE
#endif

#endif /* _SAFE_DMA_TEST_H */
