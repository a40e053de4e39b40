// SPDX-License-Identifier: GPL-2.0
/* A goto that jumps over a __free() variable: kfree() of stack garbage. */
// expect-gcc: jump skips variable initialization
// expect-clang: cannot jump from this goto statement to its label
#include <linux/safe/free.h>

int cf_goto_past_free(int x);

int cf_goto_past_free(int x)
{
#ifndef SAFE_CF_CONTROL
	if (x)
		goto out;
#endif
	char *buf __free(kfree) = kmalloc(16, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	x += buf[0];
#ifndef SAFE_CF_CONTROL
out:
#endif
	return x;
}
