// SPDX-License-Identifier: GPL-2.0
#include <linux/spinlock.h>

struct kona {
	raw_spinlock_t lock;
	void __iomem *base;
};

static void kona_set(struct kona *k, unsigned int gpio, int value)
{
	unsigned long flags;
	u32 val;

	raw_spin_lock_irqsave(&k->lock, flags);

	/* this function only applies to output pins */
	if (kona_is_input(k, gpio))
		goto out;

	val = readl(k->base);
	val |= BIT(gpio);
	writel(val, k->base);

out:
	raw_spin_unlock_irqrestore(&k->lock, flags);
}
