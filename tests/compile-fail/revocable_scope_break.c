// SPDX-License-Identifier: GPL-2.0
/*
 * break in safe_revocable_scope() would leave only the scope and carry on
 * with the caller's loop.  Nested scopes share no hidden names, so the
 * control (no break) builds with -Wshadow too.
 */
// expect-gcc: break in a safe scoped statement leaves only that statement
// expect-clang: break in a safe scoped statement leaves only that statement
#include <linux/safe/revocable.h>

struct cf_regs {
	u32 ctrl;
};

struct cf_priv {
	SAFE_DECLARE_REVOCABLE(struct cf_regs, regs);
	SAFE_DECLARE_REVOCABLE(struct cf_regs, other);
};

int cf_revocable_scope_break(struct cf_priv *p, int n);

#pragma GCC diagnostic error "-Wshadow"
int cf_revocable_scope_break(struct cf_priv *p, int n)
{
	int i, found = -1;

	for (i = 0; i < n; i++) {
		safe_revocable_scope(regs, p->regs) {
			safe_revocable_scope(other, p->other) {
				if (regs->ctrl == other->ctrl) {
					found = i;
#ifndef SAFE_CF_CONTROL
					break;
#endif
				}
			}
		}
	}
	return found;
}
