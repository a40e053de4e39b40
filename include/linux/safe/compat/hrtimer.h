/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrtimer_setup() on kernels before 6.13, which have hrtimer_init() and a
 * callback assigned by hand instead; 7.x has only hrtimer_setup().
 */
#ifndef _LINUX_SAFE_COMPAT_HRTIMER_H
#define _LINUX_SAFE_COMPAT_HRTIMER_H

#include <linux/safe/compat/features.h>
#include <linux/hrtimer.h>

#ifndef SAFE_HAVE_FN_hrtimer_setup
/**
 * hrtimer_setup() - initialise a timer and set its callback
 * @timer: the timer
 * @function: its callback
 * @clock_id: the clock, e.g. ``CLOCK_MONOTONIC``
 * @mode: the timer mode, e.g. ``HRTIMER_MODE_REL_HARD``
 *
 * Backfill of the 6.13 function, installed only when the feature probe
 * did not find it.
 *
 * Context: any context that may initialise @timer (it must not be queued).
 * Return: nothing.
 */
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*function)(struct hrtimer *),
				 clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

#endif /* _LINUX_SAFE_COMPAT_HRTIMER_H */
