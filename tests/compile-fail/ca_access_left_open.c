// SPDX-License-Identifier: GPL-2.0
/*
 * A revocable access left open on an error path: the early return skips
 * safe_revocable_end(), so unbind waits for this reader forever.  The
 * scoped forms cannot do this; the explicit pair needs Clang's context
 * analysis to see it.
 */
// expect-ca: 'safe_revocable_ctx' is (not held on every path|still held at the end of function)
#include <linux/safe/revocable.h>

struct cf_regs {
	u32 limit;
	u32 count;
};

int cf_access_left_open(struct safe_revocable *r);

int cf_access_left_open(struct safe_revocable *r)
{
	struct safe_revocable_access a;
	struct cf_regs *regs;

	regs = safe_revocable_try_access(r, &a);
	if (!regs) {
		safe_revocable_end(&a);
		return -ENODEV;
	}
	if (regs->count >= regs->limit) {
#ifdef SAFE_CF_CONTROL
		safe_revocable_end(&a);
#endif
		return -EBUSY;
	}
	regs->count++;
	safe_revocable_end(&a);
	return 0;
}
