// SPDX-License-Identifier: GPL-2.0
/*
 * Owned DMA buffers against the raw DMA API, for "make bench"
 * (scripts/bench-dma.sh).
 *
 * 1. Code: bench_raw_<op> and bench_safe_<op> are pairs of small
 *    functions doing one access the traditional way (a descriptor pointer
 *    kept next to its dma_addr_t, READ_ONCE()/WRITE_ONCE()) and through a
 *    SAFE_DMA_ARRAY() handle.  The script disassembles and diffs them.
 *
 * 2. Speed, measured when the module loads, raw and safe interleaved in
 *    the same run on the same memory:
 *    - element reads and writes at run-time indices (from an index table
 *      the compiler cannot see through), READ_ONCE()/WRITE_ONCE() on the
 *      raw pointer vs safe_dma_get_field()/safe_dma_set_field();
 *    - dma_alloc_coherent() + dma_free_coherent() vs safe_dma_alloc() +
 *      safe_dma_free(), for several sizes.
 *    Each figure is the median of several rounds; results are printed as
 *    "safe-bench: <what> raw=<ns> safe=<ns> ratio=<safe/raw>".
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/safe/dma.h>

#define RING	256

struct bench_desc {
	__le32 ctrl;
	__le32 len;
	__le64 addr;
};

/* How drivers keep a ring today, and the same with safe. */
struct raw_priv {
	struct bench_desc *ring;
	dma_addr_t ring_dma;
	size_t ring_size;
};

struct safe_priv {
	SAFE_DMA_ARRAY(struct bench_desc, RING) ring;
};

/* -------------------------------------------------------------------- */
/* Code pairs (constant indices)                                         */
/* -------------------------------------------------------------------- */

/* Never called: __used keeps them in the object for objdump. */
static noinline __used u32 bench_raw_get_const(void *p)
{
	struct raw_priv *r = p;

	return le32_to_cpu(READ_ONCE(r->ring[3].len));
}

static noinline __used u32 bench_safe_get_const(void *p)
{
	struct safe_priv *s = p;
	__le32 v;

	safe_dma_get_field(s->ring, 3, len, &v);
	return le32_to_cpu(v);
}

static noinline __used void bench_raw_set_const(void *p, u32 v)
{
	struct raw_priv *r = p;

	WRITE_ONCE(r->ring[RING - 1].ctrl, cpu_to_le32(v));
}

static noinline __used void bench_safe_set_const(void *p, u32 v)
{
	struct safe_priv *s = p;

	safe_dma_set_field(s->ring, RING - 1, ctrl, cpu_to_le32(v));
}

static noinline __used u64 bench_raw_get64_const(void *p)
{
	struct raw_priv *r = p;

	return le64_to_cpu(READ_ONCE(r->ring[0].addr));
}

static noinline __used u64 bench_safe_get64_const(void *p)
{
	struct safe_priv *s = p;
	__le64 v;

	safe_dma_get_field(s->ring, 0, addr, &v);
	return le64_to_cpu(v);
}

/* Run-time index, for reference: the bounds check is the difference. */
static noinline __used u32 bench_raw_get_runtime(void *p, size_t i)
{
	struct raw_priv *r = p;

	return le32_to_cpu(READ_ONCE(r->ring[i].len));
}

static noinline __used u32 bench_safe_get_runtime(void *p, size_t i)
{
	struct safe_priv *s = p;
	__le32 v;

	safe_dma_get_field(s->ring, i, len, &v);
	return le32_to_cpu(v);
}

/* -------------------------------------------------------------------- */
/* Speed                                                                 */
/* -------------------------------------------------------------------- */

static unsigned int rounds = 15;
module_param(rounds, uint, 0444);
static unsigned int access_iters = 200000;
module_param(access_iters, uint, 0444);
static unsigned int alloc_iters = 2000;
module_param(alloc_iters, uint, 0444);

static u16 idx[RING * 4];

static noinline u32 loop_raw_read(struct raw_priv *r, unsigned int iters)
{
	u32 sum = 0;
	unsigned int n, k;

	for (n = 0; n < iters; n += ARRAY_SIZE(idx))
		for (k = 0; k < ARRAY_SIZE(idx); k++)
			sum += le32_to_cpu(READ_ONCE(r->ring[idx[k]].len));
	return sum;
}

static noinline u32 loop_safe_read(struct safe_priv *s, unsigned int iters)
{
	u32 sum = 0;
	unsigned int n, k;
	__le32 v;

	for (n = 0; n < iters; n += ARRAY_SIZE(idx))
		for (k = 0; k < ARRAY_SIZE(idx); k++) {
			safe_dma_get_field(s->ring, idx[k], len, &v);
			sum += le32_to_cpu(v);
		}
	return sum;
}

static noinline void loop_raw_write(struct raw_priv *r, unsigned int iters)
{
	unsigned int n, k;

	for (n = 0; n < iters; n += ARRAY_SIZE(idx))
		for (k = 0; k < ARRAY_SIZE(idx); k++)
			WRITE_ONCE(r->ring[idx[k]].len, cpu_to_le32(k));
}

static noinline void loop_safe_write(struct safe_priv *s, unsigned int iters)
{
	unsigned int n, k;

	for (n = 0; n < iters; n += ARRAY_SIZE(idx))
		for (k = 0; k < ARRAY_SIZE(idx); k++)
			safe_dma_set_field(s->ring, idx[k], len, cpu_to_le32(k));
}

static noinline int loop_raw_alloc(struct device *dev, size_t size,
				   unsigned int iters)
{
	dma_addr_t handle;
	unsigned int n;
	void *cpu;

	for (n = 0; n < iters; n++) {
		cpu = dma_alloc_coherent(dev, size, &handle, GFP_KERNEL);
		if (!cpu)
			return -ENOMEM;
		dma_free_coherent(dev, size, cpu, handle);
	}
	return 0;
}

static noinline int loop_safe_alloc(struct device *dev, size_t size,
				    unsigned int iters)
{
	struct safe_dma_buf *buf;
	unsigned int n;

	for (n = 0; n < iters; n++) {
		buf = safe_dma_alloc(dev, 1, size, GFP_KERNEL, 0);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
		safe_dma_free(buf);
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median(u64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), cmp_u64, NULL);
	return v[n / 2];
}

/* Nanoseconds per operation, x1000, as an integer. */
static u64 ps_per_op(u64 ns, unsigned int ops)
{
	return div_u64(ns * 1000, ops);
}

static void report(const char *what, u64 raw_ps, u64 safe_ps)
{
	u64 ratio = raw_ps ? div64_u64(safe_ps * 1000, raw_ps) : 0;

	pr_info("safe-bench: %-24s raw=%llu.%03llu ns safe=%llu.%03llu ns ratio=%llu.%03llu\n",
		what, raw_ps / 1000, raw_ps % 1000, safe_ps / 1000,
		safe_ps % 1000, ratio / 1000, ratio % 1000);
}

#define MAX_ROUNDS 101

static u64 t_raw[MAX_ROUNDS], t_safe[MAX_ROUNDS];
static u32 sink;

/* Time raw and safe alternately, first one then the other, @rounds times. */
#define TIME_PAIR(raw_expr, safe_expr)					\
	do {								\
		unsigned int __r;					\
		u64 __t;						\
									\
		for (__r = 0; __r < rounds; __r++) {			\
			if (__r & 1) {					\
				__t = ktime_get_ns();			\
				safe_expr;				\
				t_safe[__r] = ktime_get_ns() - __t;	\
				__t = ktime_get_ns();			\
				raw_expr;				\
				t_raw[__r] = ktime_get_ns() - __t;	\
			} else {					\
				__t = ktime_get_ns();			\
				raw_expr;				\
				t_raw[__r] = ktime_get_ns() - __t;	\
				__t = ktime_get_ns();			\
				safe_expr;				\
				t_safe[__r] = ktime_get_ns() - __t;	\
			}						\
			cond_resched();					\
		}							\
	} while (0)

static int bench_run(struct device *dev)
{
	static const size_t sizes[] = { 64, 4096, 16384, 65536 };
	struct safe_dma_buf *buf;
	struct raw_priv raw;
	struct safe_priv sp;
	char what[32];
	int i, ret;

	rounds = clamp(rounds, 3U, (unsigned int)MAX_ROUNDS);
	for (i = 0; i < ARRAY_SIZE(idx); i++)
		idx[i] = get_random_u32() % RING;

	/* One buffer, reached both ways. */
	buf = safe_dma_alloc_array(dev, struct bench_desc, RING, GFP_KERNEL);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	raw.ring = safe_dma_cpu_ptr(buf);
	raw.ring_size = safe_dma_size(buf);
	ret = safe_dma_init(sp.ring, buf);
	if (ret)
		goto out;
	raw.ring_dma = safe_dma_handle(buf);

	/* Warm up caches and the translation of both loops. */
	WRITE_ONCE(sink, loop_raw_read(&raw, access_iters) +
		   loop_safe_read(&sp, access_iters));

	TIME_PAIR(WRITE_ONCE(sink, loop_raw_read(&raw, access_iters)),
		  WRITE_ONCE(sink, loop_safe_read(&sp, access_iters)));
	report("read, runtime index", ps_per_op(median(t_raw, rounds), access_iters),
	       ps_per_op(median(t_safe, rounds), access_iters));

	TIME_PAIR(loop_raw_write(&raw, access_iters),
		  loop_safe_write(&sp, access_iters));
	report("write, runtime index", ps_per_op(median(t_raw, rounds), access_iters),
	       ps_per_op(median(t_safe, rounds), access_iters));

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		ret = loop_raw_alloc(dev, sizes[i], alloc_iters / 10) ?:
		      loop_safe_alloc(dev, sizes[i], alloc_iters / 10);
		if (ret)
			goto out;
		TIME_PAIR(ret |= loop_raw_alloc(dev, sizes[i], alloc_iters),
			  ret |= loop_safe_alloc(dev, sizes[i], alloc_iters));
		if (ret)
			goto out;
		snprintf(what, sizeof(what), "alloc+free %zu B", sizes[i]);
		report(what, ps_per_op(median(t_raw, rounds), alloc_iters),
		       ps_per_op(median(t_safe, rounds), alloc_iters));
	}
out:
	safe_dma_free(buf);
	return ret;
}

static int __init bench_dma_init(void)
{
	struct platform_device *pdev;
	int ret;

	/* A platform device gets 32-bit DMA masks; dma-direct allocates. */
	pdev = platform_device_register_simple("safe-dma-bench", -1, NULL, 0);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	pr_info("safe-bench: start: %u rounds, %u accesses, %u allocations per round\n",
		rounds, access_iters, alloc_iters);
	ret = bench_run(&pdev->dev);
	platform_device_unregister(pdev);
	pr_info("safe-bench: done (%d)\n", ret);
	return ret;
}
module_init(bench_dma_init);

static void __exit bench_dma_exit(void)
{
	safe_dma_flush_deferred();
}
module_exit(bench_dma_exit);

MODULE_DESCRIPTION("safe: owned DMA buffers vs the raw DMA API");
MODULE_LICENSE("GPL");
