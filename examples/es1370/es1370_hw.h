/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Registers of the ENSONIQ AudioPCI ES1370 as QEMU models it
 * (hw/audio/es1370.c), and of its AK4531 codec.
 *
 * BAR 0 is 256 bytes of I/O ports.  Registers 0x30-0x3f are a window into
 * a paged memory selected by ES1370_REG_MEMPAGE: each DMA channel's frame
 * address and frame count live there.
 */
#ifndef _ES1370_HW_H
#define _ES1370_HW_H

#include <linux/bits.h>

#define ES1370_VENDOR			0x1274
#define ES1370_DEVICE			0x5000

#define ES1370_REG_CONTROL		0x00
#define   ES1370_CTRL_PCLKDIV_MASK	GENMASK(28, 16)	/* DAC2 and ADC clock */
#define   ES1370_CTRL_DAC2_EN		BIT(5)
#define   ES1370_CTRL_ADC_EN		BIT(4)
#define   ES1370_CTRL_CDC_EN		BIT(1)		/* codec interface */
#define ES1370_REG_STATUS		0x04
#define   ES1370_STAT_INTR		BIT(31)		/* any interrupt pending */
#define   ES1370_STAT_CSTAT		BIT(10)		/* codec write in progress */
#define   ES1370_STAT_DAC2		BIT(1)
#define   ES1370_STAT_ADC		BIT(0)
#define ES1370_REG_MEMPAGE		0x0c
#define   ES1370_PAGE_DAC		0x0c
#define   ES1370_PAGE_ADC		0x0d
#define ES1370_REG_CODEC		0x10
#define   ES1370_CODEC(reg, val)	((reg) << 8 | (val))
#define ES1370_REG_SERIAL		0x20
#define   ES1370_SCTRL_P2_END_INC	GENMASK(21, 19)
#define   ES1370_SCTRL_P2_ST_INC	GENMASK(18, 16)
#define   ES1370_SCTRL_R1_LOOP_SEL	BIT(15)		/* 0: loop over the ring */
#define   ES1370_SCTRL_P2_LOOP_SEL	BIT(14)
#define   ES1370_SCTRL_P2_PAUSE		BIT(12)
#define   ES1370_SCTRL_R1_INT_EN	BIT(10)
#define   ES1370_SCTRL_P2_INT_EN	BIT(9)
#define   ES1370_SCTRL_P2_DAC_SEN	BIT(6)
#define   ES1370_SCTRL_R1_MODE		GENMASK(5, 4)
#define   ES1370_SCTRL_R1_MODE_SHIFT	4
#define   ES1370_SCTRL_P2_MODE		GENMASK(3, 2)
#define   ES1370_SCTRL_P2_MODE_SHIFT	2
#define     ES1370_MODE_STEREO		BIT(0)
#define     ES1370_MODE_16BIT		BIT(1)
#define ES1370_REG_DAC2_SCOUNT		0x28		/* frames per period - 1 */
#define ES1370_REG_ADC_SCOUNT		0x2c

/* In the memory page of the channel (ES1370_PAGE_DAC or ES1370_PAGE_ADC). */
#define ES1370_REG_DAC2_FRAMEADR	0x38		/* bus address of the ring */
#define ES1370_REG_DAC2_FRAMECNT	0x3c
#define ES1370_REG_ADC_FRAMEADR		0x30
#define ES1370_REG_ADC_FRAMECNT		0x34
/* Frame count: low half ring size in 32-bit words - 1, high half position. */
#define   ES1370_FRAMECNT_POS		GENMASK(31, 16)

/* DAC2 and ADC run at ES1370_CLOCK / (PCLKDIV + 2) frames per second. */
#define ES1370_CLOCK			1411200

/* AK4531 codec registers, written through ES1370_REG_CODEC. */
#define AK4531_LMASTER			0x00
#define AK4531_RMASTER			0x01
#define   AK4531_MUTE			BIT(7)
#define   AK4531_ATT_MAX		31		/* 2 dB steps */
#define AK4531_RESET			0x16
#define   AK4531_RESET_RUN		0x03		/* out of reset, powered */
#define AK4531_CLOCK			0x17

#endif /* _ES1370_HW_H */
