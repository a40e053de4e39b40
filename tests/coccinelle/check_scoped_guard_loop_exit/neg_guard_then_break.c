// SPDX-License-Identifier: GPL-2.0
#include <linux/cleanup.h>
#include <linux/spinlock.h>

/*
 * The shape of hid-msi.c and sound/core/control.c in 7.3: the guard is
 * followed by the case's own break, so leaving the guard leaves the case.
 */
static int claw_raw_event(struct claw_drvdata *drvdata, int profile, int f_idx)
{
	switch (profile) {
	case CLAW_RGB_PENDING:
		scoped_guard(spinlock_irqsave, &drvdata->frame_lock) {
			drvdata->frames[f_idx] = 1;
			/* only frame 0 sets the rest */
			if (f_idx != 0)
				break;
			drvdata->speed = 2;
		}
		break;
	default:
		return -EINVAL;
	}
	return 0;
}
