/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runtime PM usage as a guard: the device is resumed and kept active for the
 * scope, and the usage count is dropped on every exit.  The upstream
 * classes (pm_runtime_active, pm_runtime_active_auto and their
 * _try_enabled variants) are backfilled by <linux/safe/compat/classes.h>.
 */
#ifndef _LINUX_SAFE_PM_RUNTIME_H
#define _LINUX_SAFE_PM_RUNTIME_H

#include <linux/safe/cleanup.h>
#include <linux/safe/compat/classes.h>
#include <linux/pm_runtime.h>

/*
 * safe's names for what upstream (6.17) calls pm_runtime_active_try_enabled
 * and pm_runtime_active_auto_try_enabled: pm_runtime_resume_and_get() on
 * entry, which drops the usage count itself when resuming fails, and
 * ACQUIRE_ERR() reports the resume error; on exit pm_runtime_put(), or for
 * the _auto one the device is marked busy and the count dropped with
 * autosuspend.  Prefer the upstream names.
 *
 *	ACQUIRE(pm_runtime_active_try_enabled, pm)(dev);
 *	ret = ACQUIRE_ERR(pm_runtime_active_try_enabled, &pm);
 *	if (ret)
 *		return ret;
 */
#define class_safe_pm_runtime_active_t		class_pm_runtime_active_try_enabled_t
#define class_safe_pm_runtime_active_constructor \
	class_pm_runtime_active_try_enabled_constructor
#define class_safe_pm_runtime_active_destructor \
	class_pm_runtime_active_try_enabled_destructor
#define class_safe_pm_runtime_active_lock_ptr \
	class_pm_runtime_active_try_enabled_lock_ptr
#define class_safe_pm_runtime_active_lock_err \
	class_pm_runtime_active_try_enabled_lock_err
#define class_safe_pm_runtime_active_is_conditional \
	class_pm_runtime_active_try_enabled_is_conditional

#define class_safe_pm_runtime_active_auto_t \
	class_pm_runtime_active_auto_try_enabled_t
#define class_safe_pm_runtime_active_auto_constructor \
	class_pm_runtime_active_auto_try_enabled_constructor
#define class_safe_pm_runtime_active_auto_destructor \
	class_pm_runtime_active_auto_try_enabled_destructor
#define class_safe_pm_runtime_active_auto_lock_ptr \
	class_pm_runtime_active_auto_try_enabled_lock_ptr
#define class_safe_pm_runtime_active_auto_lock_err \
	class_pm_runtime_active_auto_try_enabled_lock_err
#define class_safe_pm_runtime_active_auto_is_conditional \
	class_pm_runtime_active_auto_try_enabled_is_conditional

#endif /* _LINUX_SAFE_PM_RUNTIME_H */
