/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registers of QEMU's edu device (docs/specs/edu.rst in QEMU).
 */
#ifndef _EDU_HW_H
#define _EDU_HW_H

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8

#define EDU_REG_ID		0x00
#define EDU_REG_LIVENESS	0x04
#define EDU_REG_FACTORIAL	0x08
#define EDU_REG_STATUS		0x20
#define   EDU_STATUS_COMPUTING	0x01
#define   EDU_STATUS_IRQ_FACT	0x80
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_COUNT	0x90
#define EDU_REG_DMA_CMD		0x98
#define   EDU_DMA_START		0x01
#define   EDU_DMA_TO_RAM	0x02
#define   EDU_DMA_IRQ		0x04

#define EDU_IRQ_FACT		0x001
#define EDU_IRQ_DMA		0x100

/* The device's own buffer, in its DMA address space. */
#define EDU_DEV_BUF		0x40000

/* The device only reaches 28 bits of bus address. */
#define EDU_DMA_BITS		28

#endif /* _EDU_HW_H */
