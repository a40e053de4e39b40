// SPDX-License-Identifier: GPL-2.0
/* Dropping no_free_ptr()'s result leaks the object. */
// expect-gcc: ignoring return value of .*__(safe_)?must_check
// expect-clang: ignoring return value of function declared with .*warn_unused_result
#include <linux/safe/free.h>

int cf_no_free_ptr_ignored(void **out);

int cf_no_free_ptr_ignored(void **out)
{
	void *p __free(kfree) = kmalloc(16, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
#ifndef SAFE_CF_CONTROL
	no_free_ptr(p);
#else
	*out = no_free_ptr(p);
#endif
	return 0;
}
