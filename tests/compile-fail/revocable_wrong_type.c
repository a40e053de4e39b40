// SPDX-License-Identifier: GPL-2.0
/* A typed revocable handle only takes a pointer of its declared type. */
// expect-gcc: incompatible pointer type|incompatible-pointer-types
// expect-clang: incompatible pointer types
#include <linux/safe/revocable.h>

struct cf_regs {
	u32 ctrl;
};

struct cf_state {
	u64 count;
};

struct cf_priv {
	SAFE_DECLARE_REVOCABLE(struct cf_regs, regs);
};

int cf_revocable_wrong_type(struct cf_priv *p, struct safe_revocable_domain *d,
			    struct cf_state *st, struct cf_regs *regs);

int cf_revocable_wrong_type(struct cf_priv *p, struct safe_revocable_domain *d,
			    struct cf_state *st, struct cf_regs *regs)
{
#ifndef SAFE_CF_CONTROL
	return safe_revocable_init(p->regs, d, st, NULL);
#else
	return safe_revocable_init(p->regs, d, regs, NULL);
#endif
}
