/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The user interface shared by the edu example drivers (examples/edu,
 * examples/edu-legacy, examples/edu-migrated) and their load generator.
 *
 * QEMU's "edu" PCI device (1234:11e8) computes factorials and copies data
 * between guest memory and a 4 KiB buffer of its own by DMA.  Each driver
 * exposes it as /dev/edu:
 *
 *   write()              copy up to 4 KiB into the device's buffer (DMA)
 *   EDU_IOC_READBACK     copy it back out (DMA)
 *   EDU_IOC_ROUNDTRIP    both, as one operation: in -> device -> out
 *   EDU_IOC_FACTORIAL    compute n! on the device
 *   read()               wait for the next completed operation and return
 *                        a 64-bit count of completed operations
 *   mmap()               examples/edu only: a 4 KiB DMA buffer of this open
 *                        file, mapped at offset 0
 *   EDU_IOC_MAPPED       examples/edu only: send the first len bytes of the
 *                        mapped buffer to the device and back into it
 *
 * The pointers in struct edu_xfer and struct edu_roundtrip may point at
 * memory that is not resident yet: examples/edu faults it in before its
 * ioctl runs (edu_ioctl_prefault(), see Documentation/lifetime.rst).
 */
#ifndef _EDU_IOCTL_H
#define _EDU_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define EDU_BUF_SIZE	4096
/*
 * The longest transfer: QEMU's edu (up to at least 7.2) rejects a DMA that
 * ends on the last byte of its buffer with a "hardware error" that stops
 * the whole VM, so the drivers never ask for one.
 */
#define EDU_XFER_MAX	(EDU_BUF_SIZE - 1)

struct edu_xfer {
	__u64 buf;	/* user pointer: where READBACK writes */
	__u32 len;	/* bytes, at most EDU_XFER_MAX */
	__u32 pad;
};

struct edu_roundtrip {
	__u64 in;	/* user pointer: sent to the device */
	__u64 out;	/* user pointer: what came back */
	__u32 len;	/* bytes, at most EDU_XFER_MAX */
	__u32 pad;
};

#define EDU_IOC_FACTORIAL	_IOWR('E', 1, __u32)
#define EDU_IOC_READBACK	_IOW('E', 2, struct edu_xfer)
#define EDU_IOC_ROUNDTRIP	_IOW('E', 3, struct edu_roundtrip)
#define EDU_IOC_MAPPED		_IOW('E', 4, __u32)

#endif /* _EDU_IOCTL_H */
