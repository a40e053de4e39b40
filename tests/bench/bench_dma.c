// SPDX-License-Identifier: GPL-2.0
/*
 * Owned DMA buffers against the raw DMA API.
 *
 * 1. Code: bench_raw_<op> and bench_safe_<op> are pairs of small functions
 *    doing one access the traditional way (a descriptor pointer kept next
 *    to its dma_addr_t, READ_ONCE()/WRITE_ONCE()) and through a
 *    SAFE_DMA_ARRAY() handle.  scripts/bench-code.sh diffs their
 *    disassembly.
 *
 * 2. Element access (group "dma_access"), raw and safe on the same memory:
 *    reads and writes of one field at run-time indices taken from a table
 *    the compiler cannot see through, and at a constant index; "loop"
 *    variants keep the ring in registers where the compiler can, "reload"
 *    ones find it through an opaque private-data pointer on every access.
 *    The accessor code does not care what memory it runs on: where the
 *    kernel has no DMA (UML), the ring is kmalloc() memory bound to a
 *    handle exactly as safe_dma_init() binds a buffer.
 *
 * 3. Allocation (groups "dma_alloc_<size>"): dma_alloc_coherent() +
 *    dma_free_coherent() against safe_dma_alloc() + safe_dma_free(), and
 *    dmam_alloc_coherent() + dmam_free_coherent() against
 *    devm_safe_dma_alloc() + safe_dma_free(); for 64 bytes also the parts
 *    of safe's fixed cost, each timed alone: the descriptor's kzalloc() and
 *    kfree(), the device reference, the binding lookup (with none and with
 *    32 devres entries after it), and the binding's lock round trips.
 */
#include <linux/dma-mapping.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/safe/dma.h>
#include "internal.h"
#include "bench.h"

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
/* Element access                                                        */
/* -------------------------------------------------------------------- */

#define NIDX	1024	/* a power of two */

struct dma_bench {
	struct raw_priv raw;
	struct safe_priv sp;
	u16 idx[NIDX];
};

#define IDX(d, n)	((d)->idx[(n) & (NIDX - 1)])

/*
 * One loop per variant.  BODY sees the bench as "d", the iteration as "n",
 * and adds what it reads to "sum"; with RELOAD, "d" is opaque to the
 * compiler on every iteration.
 */
#define DMA_LOOP(fname, RELOAD, body...)				\
	static noinline u64 fname(void *arg, unsigned int iters)	\
	{								\
		struct dma_bench *d = arg;				\
		unsigned long sum = 0;					\
		unsigned int n;						\
		u64 t = ktime_get_ns();					\
									\
		for (n = 0; n < iters; n++) {				\
			if (RELOAD)					\
				OPTIMIZER_HIDE_VAR(d);			\
			body;						\
		}							\
		t = ktime_get_ns() - t;					\
		safe_bench_sink += sum;					\
		return t;						\
	}

#define RAW_READ(i)	(sum += le32_to_cpu(READ_ONCE(d->raw.ring[i].len)))
#define SAFE_READ(i)							\
	do {								\
		__le32 v;						\
									\
		safe_dma_get_field(d->sp.ring, i, len, &v);		\
		sum += le32_to_cpu(v);					\
	} while (0)
#define RAW_WRITE(i)	WRITE_ONCE(d->raw.ring[i].len, cpu_to_le32(n))
#define SAFE_WRITE(i)	safe_dma_set_field(d->sp.ring, i, len, cpu_to_le32(n))

DMA_LOOP(raw_read_loop, 0, RAW_READ(IDX(d, n)))
DMA_LOOP(safe_read_loop, 0, SAFE_READ(IDX(d, n)))
DMA_LOOP(raw_write_loop, 0, RAW_WRITE(IDX(d, n)))
DMA_LOOP(safe_write_loop, 0, SAFE_WRITE(IDX(d, n)))
DMA_LOOP(raw_read_reload, 1, RAW_READ(IDX(d, n)))
DMA_LOOP(safe_read_reload, 1, SAFE_READ(IDX(d, n)))
DMA_LOOP(raw_write_reload, 1, RAW_WRITE(IDX(d, n)))
DMA_LOOP(safe_write_reload, 1, SAFE_WRITE(IDX(d, n)))
DMA_LOOP(raw_read_const, 1, RAW_READ(3))
DMA_LOOP(safe_read_const, 1, SAFE_READ(3))
DMA_LOOP(raw_write_const, 1, RAW_WRITE(RING - 1))
DMA_LOOP(safe_write_const, 1, SAFE_WRITE(RING - 1))

static const struct safe_bench_variant dma_access_variants[] = {
	{ "raw_read_loop", raw_read_loop },
	{ "safe_read_loop", safe_read_loop },
	{ "raw_write_loop", raw_write_loop },
	{ "safe_write_loop", safe_write_loop },
	{ "raw_read_reload", raw_read_reload },
	{ "safe_read_reload", safe_read_reload },
	{ "raw_write_reload", raw_write_reload },
	{ "safe_write_reload", safe_write_reload },
	{ "raw_read_const", raw_read_const },
	{ "safe_read_const", safe_read_const },
	{ "raw_write_const", raw_write_const },
	{ "safe_write_const", safe_write_const },
};

int safe_bench_dma_access(struct device *dev)
{
	struct safe_dma_buf *buf, stand_in = { };
	struct dma_bench *d;
	void *mem = NULL;
	int i, ret;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	for (i = 0; i < NIDX; i++)
		d->idx[i] = get_random_u32() % RING;

	/* One ring, reached both ways. */
	buf = safe_dma_alloc_array(dev, struct bench_desc, RING, GFP_KERNEL);
	if (IS_ERR(buf)) {
		/*
		 * No DMA here (UML): the same accessors on kmalloc() memory,
		 * through a descriptor that only says where it is.
		 */
		mem = kcalloc(RING, sizeof(struct bench_desc), GFP_KERNEL);
		if (!mem) {
			ret = -ENOMEM;
			goto out;
		}
		stand_in.cpu = mem;
		stand_in.elem_size = sizeof(struct bench_desc);
		stand_in.count = RING;
		stand_in.size = RING * sizeof(struct bench_desc);
		buf = &stand_in;
		safe_bench_info("dma_access_memory", "kmalloc");
	} else {
		safe_bench_info("dma_access_memory", "dma_alloc_coherent");
	}
	d->raw.ring = buf->cpu;
	d->raw.ring_size = buf->size;
	ret = safe_dma_init(d->sp.ring, buf);
	if (ret)
		goto out;

	safe_bench_group("dma_access", dma_access_variants,
			 ARRAY_SIZE(dma_access_variants), d, 2000);
out:
	if (buf != &stand_in && !IS_ERR(buf))
		safe_dma_free(buf);
	kfree(mem);
	kfree(d);
	return ret;
}

/* -------------------------------------------------------------------- */
/* Allocation                                                            */
/* -------------------------------------------------------------------- */

struct dma_alloc_bench {
	struct device *dev;
	struct device *busy;	/* the same, with 32 devres entries */
	struct safe_binding *binding;
	size_t size;
	int err;
};

#define ALLOC_LOOP(fname, body...)					\
	static noinline u64 fname(void *arg, unsigned int iters)	\
	{								\
		struct dma_alloc_bench *a __maybe_unused = arg;	\
		unsigned int n;						\
		u64 t = ktime_get_ns();					\
									\
		for (n = 0; n < iters; n++) {				\
			body;						\
		}							\
		return ktime_get_ns() - t;				\
	}

ALLOC_LOOP(alloc_raw, {
	dma_addr_t h;
	void *cpu = dma_alloc_coherent(a->dev, a->size, &h, GFP_KERNEL);

	if (!cpu) {
		a->err = -ENOMEM;
		break;
	}
	dma_free_coherent(a->dev, a->size, cpu, h);
})

ALLOC_LOOP(alloc_safe, {
	struct safe_dma_buf *b = safe_dma_alloc(a->dev, 1, a->size,
						GFP_KERNEL, 0);

	if (IS_ERR(b)) {
		a->err = PTR_ERR(b);
		break;
	}
	safe_dma_free(b);
})

ALLOC_LOOP(alloc_dmam, {
	dma_addr_t h;
	void *cpu = dmam_alloc_coherent(a->dev, a->size, &h, GFP_KERNEL);

	if (!cpu) {
		a->err = -ENOMEM;
		break;
	}
	dmam_free_coherent(a->dev, a->size, cpu, h);
})

ALLOC_LOOP(alloc_devm_safe, {
	struct safe_dma_buf *b = devm_safe_dma_alloc(a->dev, 1, a->size,
						     GFP_KERNEL, 0);

	if (IS_ERR(b)) {
		a->err = PTR_ERR(b);
		break;
	}
	safe_dma_free(b);
})

/* The same pairs on a device with 32 devres entries after its binding. */
ALLOC_LOOP(alloc_raw_devres32, {
	dma_addr_t h;
	void *cpu = dma_alloc_coherent(a->busy, a->size, &h, GFP_KERNEL);

	if (!cpu) {
		a->err = -ENOMEM;
		break;
	}
	dma_free_coherent(a->busy, a->size, cpu, h);
})

ALLOC_LOOP(alloc_safe_devres32, {
	struct safe_dma_buf *b = safe_dma_alloc(a->busy, 1, a->size,
						GFP_KERNEL, 0);

	if (IS_ERR(b)) {
		a->err = PTR_ERR(b);
		break;
	}
	safe_dma_free(b);
})

/* The parts of safe's fixed cost, each alone. */
ALLOC_LOOP(part_desc, {
	struct safe_dma_buf *b = kzalloc(sizeof(*b), GFP_KERNEL);

	OPTIMIZER_HIDE_VAR(b);
	kfree(b);
})

ALLOC_LOOP(part_devref, {
	put_device(get_device(a->dev));
})

ALLOC_LOOP(part_binding, {
	struct safe_binding *b = safe_binding_get(a->dev, GFP_KERNEL);

	if (IS_ERR(b)) {
		a->err = PTR_ERR(b);
		break;
	}
	safe_binding_put(b);
})

ALLOC_LOOP(part_binding_devres32, {
	struct safe_binding *b = safe_binding_get(a->busy, GFP_KERNEL);

	if (IS_ERR(b)) {
		a->err = PTR_ERR(b);
		break;
	}
	safe_binding_put(b);
})

/*
 * An allocation and a free take the binding's lock seven times (the
 * lookup's once, counted above) and wake its wait queue twice.
 */
ALLOC_LOOP(part_locks, {
	struct safe_binding *b = a->binding;
	int k;

	for (k = 0; k < 6; k++) {
		spin_lock(&b->lock);
		OPTIMIZER_HIDE_VAR(b);
		spin_unlock(&b->lock);
	}
	wake_up_all(&b->wq);
	wake_up_all(&b->wq);
})

static const struct safe_bench_variant dma_alloc_variants[] = {
	{ "raw", alloc_raw },
	{ "safe", alloc_safe },
	{ "dmam", alloc_dmam },
	{ "devm_safe", alloc_devm_safe },
};

static const struct safe_bench_variant dma_alloc_parts[] = {
	{ "raw", alloc_raw },
	{ "safe", alloc_safe },
	{ "dmam", alloc_dmam },
	{ "devm_safe", alloc_devm_safe },
	{ "raw_devres32", alloc_raw_devres32 },
	{ "safe_devres32", alloc_safe_devres32 },
	{ "part_desc", part_desc },
	{ "part_devref", part_devref },
	{ "part_binding", part_binding },
	{ "part_binding_devres32", part_binding_devres32 },
	{ "part_locks", part_locks },
};

static void dma_noop_action(void *data)
{
}

int safe_bench_dma_alloc(struct device *dev)
{
	static const size_t sizes[] = { 64, 4096, 65536 };
	struct dma_alloc_bench a = { .dev = dev };
	struct platform_device *busy;
	struct safe_dma_buf *first;
	struct safe_binding *b;
	char group[32];
	int i, ret;

	/* The first allocation creates the device's binding. */
	first = safe_dma_alloc(dev, 1, 64, GFP_KERNEL, 0);
	if (IS_ERR(first)) {
		safe_bench_info("dma_alloc", "unavailable");
		return 0;
	}
	a.binding = first->binding;

	busy = platform_device_register_simple("safe-bench-busy", -1, NULL, 0);
	if (IS_ERR(busy)) {
		ret = PTR_ERR(busy);
		goto out_first;
	}
	a.busy = &busy->dev;
	/* Its binding first, then 32 entries the lookup walks past. */
	b = safe_binding_get(a.busy, GFP_KERNEL);
	ret = PTR_ERR_OR_ZERO(b);
	if (ret)
		goto out_busy;
	safe_binding_put(b);
	for (i = 0; i < 32 && !ret; i++)
		ret = devm_add_action(a.busy, dma_noop_action, NULL);
	if (ret)
		goto out_busy;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		a.size = sizes[i];
		snprintf(group, sizeof(group), "dma_alloc_%zu", sizes[i]);
		if (i == 0)
			safe_bench_group(group, dma_alloc_parts,
					 ARRAY_SIZE(dma_alloc_parts), &a, 2000);
		else
			safe_bench_group(group, dma_alloc_variants,
					 ARRAY_SIZE(dma_alloc_variants), &a, 2000);
		if (a.err) {
			ret = a.err;
			break;
		}
	}
out_busy:
	platform_device_unregister(busy);
out_first:
	safe_dma_free(first);
	return ret;
}
