/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The user interface of examples/ticker: /dev/ticker delivers one 64-bit
 * sequence number per timer tick.  read() blocks until at least one is
 * available and returns whole samples; TICKER_IOC_PERIOD sets the tick
 * period in milliseconds.
 */
#ifndef _TICKER_IOCTL_H
#define _TICKER_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define TICKER_IOC_PERIOD	_IOW('T', 1, __u32)

#endif /* _TICKER_IOCTL_H */
