/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runtime PM usage as a guard: the device is resumed and kept active for the
 * scope, and the usage count is dropped on every exit.
 */
#ifndef _LINUX_SAFE_PM_RUNTIME_H
#define _LINUX_SAFE_PM_RUNTIME_H

#include <linux/safe/cleanup.h>
#include <linux/pm_runtime.h>

/*
 * safe_pm_runtime_active: pm_runtime_resume_and_get() on entry, which drops
 * the usage count itself when resuming fails; pm_runtime_put() on exit.
 * ACQUIRE_ERR() reports the resume error.
 *
 *	ACQUIRE(safe_pm_runtime_active, pm)(dev);
 *	ret = ACQUIRE_ERR(safe_pm_runtime_active, &pm);
 *	if (ret)
 *		return ret;
 */
SAFE_DEFINE_ERR_GUARD(safe_pm_runtime_active, struct device *,
		      pm_runtime_resume_and_get(_T), pm_runtime_put(_T))

static inline void __safe_pm_runtime_put_busy(struct device *dev)
{
	pm_runtime_mark_last_busy(dev);
	pm_runtime_put_autosuspend(dev);
}

/*
 * safe_pm_runtime_active_auto: the same, but the exit marks the device busy
 * and drops the count with pm_runtime_put_autosuspend().
 */
SAFE_DEFINE_ERR_GUARD(safe_pm_runtime_active_auto, struct device *,
		      pm_runtime_resume_and_get(_T),
		      __safe_pm_runtime_put_busy(_T))

#endif /* _LINUX_SAFE_PM_RUNTIME_H */
