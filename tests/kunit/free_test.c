// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for owned pointers: __free() runs in LIFO order, and
 * no_free_ptr()/return_ptr()/retain_and_null_ptr() really move ownership.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/safe/free.h>
#include <linux/safe/guard.h>

static char order[16];
static int order_len;

static void record(char c)
{
	if (order_len < (int)sizeof(order) - 1)
		order[order_len++] = c;
	order[order_len] = '\0';
}

struct t_obj {
	char tag;
	int *frees;
};

static void t_obj_free(struct t_obj *o)
{
	record(o->tag);
	(*o->frees)++;
	kfree(o);
}

DEFINE_FREE(t_obj, struct t_obj *, if (_T) t_obj_free(_T))

static struct t_obj *t_obj_new(char tag, int *frees)
{
	struct t_obj *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (o) {
		o->tag = tag;
		o->frees = frees;
	}
	return o;
}

static void free_order_is_lifo(struct kunit *test)
{
	int frees = 0;

	order_len = 0;
	{
		struct t_obj *a __free(t_obj) = t_obj_new('a', &frees);
		struct t_obj *b __free(t_obj) = t_obj_new('b', &frees);
		struct t_obj *c __free(t_obj) = t_obj_new('c', &frees);

		KUNIT_ASSERT_NOT_NULL(test, a);
		KUNIT_ASSERT_NOT_NULL(test, b);
		KUNIT_ASSERT_NOT_NULL(test, c);
	}
	KUNIT_EXPECT_STREQ(test, order, "cba");
	KUNIT_EXPECT_EQ(test, frees, 3);
}

DEFINE_LOCK_GUARD_0(t_rec_lock, record('L'), record('U'))

static void free_and_guard_interleave(struct kunit *test)
{
	int frees = 0;

	order_len = 0;
	{
		struct t_obj *a __free(t_obj) = t_obj_new('a', &frees);

		guard(t_rec_lock)();
		{
			struct t_obj *b __free(t_obj) = t_obj_new('b', &frees);

			KUNIT_ASSERT_NOT_NULL(test, b);
		}
		KUNIT_ASSERT_NOT_NULL(test, a);
	}
	/* b dies in the inner scope; then the guard; then a. */
	KUNIT_EXPECT_STREQ(test, order, "LbUa");
	KUNIT_EXPECT_EQ(test, frees, 2);
}

static struct t_obj *make_kept(int *frees, bool fail)
{
	struct t_obj *o __free(t_obj) = t_obj_new('k', frees);

	if (!o || fail)
		return NULL;
	return_ptr(o);
}

static void return_ptr_transfers(struct kunit *test)
{
	int frees = 0;
	struct t_obj *o;

	order_len = 0;
	o = make_kept(&frees, false);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_EXPECT_EQ(test, frees, 0);
	t_obj_free(o);
	KUNIT_EXPECT_EQ(test, frees, 1);

	/* The failure path frees. */
	KUNIT_EXPECT_NULL(test, make_kept(&frees, true));
	KUNIT_EXPECT_EQ(test, frees, 2);
}

static void no_free_ptr_transfers(struct kunit *test)
{
	int frees = 0;
	struct t_obj *kept;

	{
		struct t_obj *o __free(t_obj) = t_obj_new('n', &frees);

		KUNIT_ASSERT_NOT_NULL(test, o);
		kept = no_free_ptr(o);
		KUNIT_EXPECT_NULL(test, o);
	}
	KUNIT_EXPECT_EQ(test, frees, 0);
	KUNIT_EXPECT_EQ(test, kept->tag, 'n');
	t_obj_free(kept);
	KUNIT_EXPECT_EQ(test, frees, 1);
}

static int consume(struct t_obj *o, bool take, struct t_obj **sink)
{
	if (!take)
		return -EAGAIN;
	*sink = o;
	return 0;
}

static void retain_and_null_ptr_transfers(struct kunit *test)
{
	int frees = 0, ret;
	struct t_obj *sink = NULL;

	{
		struct t_obj *o __free(t_obj) = t_obj_new('r', &frees);

		ret = consume(o, true, &sink);
		if (!ret)
			retain_and_null_ptr(o);
		KUNIT_EXPECT_NULL(test, o);
	}
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, frees, 0);
	KUNIT_ASSERT_NOT_NULL(test, sink);
	t_obj_free(sink);

	{
		struct t_obj *o __free(t_obj) = t_obj_new('r', &frees);

		ret = consume(o, false, &sink);
		if (!ret)
			retain_and_null_ptr(o);
	}
	KUNIT_EXPECT_EQ(test, ret, -EAGAIN);
	KUNIT_EXPECT_EQ(test, frees, 2);
}

/* The allocator classes; kmemleak (leakcheck suite) checks nothing leaks. */
static void allocator_classes_free(struct kunit *test)
{
	void *k __free(kfree) = kmalloc(64, GFP_KERNEL);
	void *kv __free(kvfree) = kvmalloc(8192, GFP_KERNEL);
	void *ks __free(kfree_sensitive) = kzalloc(32, GFP_KERNEL);
	unsigned long *bm __free(bitmap) = bitmap_zalloc(100, GFP_KERNEL);
	void *v __free(safe_vfree) = vmalloc(PAGE_SIZE);
	void *err __free(kfree) = ERR_PTR(-ENOMEM);

	KUNIT_ASSERT_NOT_NULL(test, k);
	KUNIT_ASSERT_NOT_NULL(test, kv);
	KUNIT_ASSERT_NOT_NULL(test, ks);
	KUNIT_ASSERT_NOT_NULL(test, bm);
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_EXPECT_TRUE(test, IS_ERR(err));
	set_bit(99, bm);
	KUNIT_EXPECT_TRUE(test, test_bit(99, bm));
}

static int t_dev_released;

static void t_dev_release(struct device *dev)
{
	t_dev_released++;
	kfree(dev);
}

static void put_device_class_drops_ref(struct kunit *test)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, dev);
	device_initialize(dev);
	dev->release = t_dev_release;
	t_dev_released = 0;
	{
		struct device *ref __free(put_device) = get_device(dev);

		KUNIT_EXPECT_EQ(test, kref_read(&dev->kobj.kref), 2U);
		KUNIT_EXPECT_PTR_EQ(test, ref, dev);
	}
	KUNIT_EXPECT_EQ(test, kref_read(&dev->kobj.kref), 1U);
	KUNIT_EXPECT_EQ(test, t_dev_released, 0);
	{
		struct device *last __free(put_device) = dev;
	}
	KUNIT_EXPECT_EQ(test, t_dev_released, 1);
}

static struct kunit_case safe_free_cases[] = {
	KUNIT_CASE(free_order_is_lifo),
	KUNIT_CASE(free_and_guard_interleave),
	KUNIT_CASE(return_ptr_transfers),
	KUNIT_CASE(no_free_ptr_transfers),
	KUNIT_CASE(retain_and_null_ptr_transfers),
	KUNIT_CASE(allocator_classes_free),
	KUNIT_CASE(put_device_class_drops_ref),
	{}
};

static struct kunit_suite safe_free_suite = {
	.name = "safe_free",
	.test_cases = safe_free_cases,
};
kunit_test_suite(safe_free_suite);

MODULE_DESCRIPTION("KUnit tests for safe owned pointers");
MODULE_LICENSE("GPL");
