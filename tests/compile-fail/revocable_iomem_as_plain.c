// SPDX-License-Identifier: GPL-2.0
/*
 * A typed revocable handle keeps the resource's address space: an __iomem
 * mapping given to a handle declared for plain memory is reported.
 */
// expect-sparse: different address spaces
#include <linux/safe/revocable.h>

struct cf_priv {
	SAFE_DECLARE_REVOCABLE(u32, counter);
	SAFE_DECLARE_REVOCABLE(void __iomem, regs);
};

int cf_revocable_iomem_as_plain(struct cf_priv *p,
				struct safe_revocable_domain *d,
				void __iomem *base);

int cf_revocable_iomem_as_plain(struct cf_priv *p,
				struct safe_revocable_domain *d,
				void __iomem *base)
{
#ifndef SAFE_CF_CONTROL
	return safe_revocable_init(p->counter, d, base, NULL);
#else
	return safe_revocable_init(p->regs, d, base, NULL);
#endif
}
