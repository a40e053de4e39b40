// SPDX-License-Identifier: GPL-2.0
/*
 * es1370: an ALSA driver for QEMU's ENSONIQ AudioPCI ES1370, written with
 * safe.  Playback on DAC2, capture on the ADC, one mixer control.
 *
 * A sound card is the hard case for hot-unplug: a stream keeps a DMA
 * engine running into a ring buffer that user space may have mapped, the
 * interrupt handler and the ALSA core call in from atomic context, and
 * ALSA keeps the card (and so this driver's data) alive after unbind until
 * the last file is closed, calling back into the driver when it is.
 * Compare with Debian's sound/pci/ens1370.c, which solves this by making
 * unbind wait until every user has closed the device.  This one never
 * waits for user space, for four reasons you will meet below:
 *
 *  1. The I/O ports and both rings are revocable resources of one
 *     per-device domain.  Every PCM and mixer callback reaches them through
 *     an access; after unbind the access fails and the callback returns an
 *     error instead of touching hardware or freed memory.
 *  2. The rings are owned DMA buffers.  The domain frees them at unbind,
 *     after every access has ended, after the quiesce callback stopped
 *     the engine, and after safe removed the user mappings of the ring,
 *     so the device never writes freed memory and user space never reads
 *     it.
 *  3. The DMA engine is only started inside an access to its ring: a start
 *     either finishes before the quiesce callback runs (which then stops
 *     it) or fails.
 *  4. ALSA's own disconnect runs first: it stops the streams, wakes
 *     sleepers and turns every later file operation into -ENODEV.  The
 *     card is freed when its last file is closed, not at unbind.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/iopoll.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/uio.h>
#include <sound/core.h>
#include <sound/control.h>
#include <sound/initval.h>
#include <sound/pcm.h>
#include <sound/tlv.h>
#include <linux/safe/dma.h>
#include <linux/safe/guard.h>
#include <linux/safe/revocable.h>
#include "es1370_hw.h"

/* One ring per direction, allocated at probe: 64 KiB, about 0.37 s. */
#define ES1370_RING_BYTES	SZ_64K

/* Registers and bits that differ between the two DMA channels. */
struct es1370_chan_hw {
	const char *name;
	u32 ctrl_en;		/* CONTROL: engine enable */
	u32 stat;		/* STATUS: interrupt pending */
	u32 int_en;		/* SERIAL: interrupt enable */
	u32 sctrl_clear;	/* SERIAL: bits prepare() rewrites */
	u32 mode_shift;		/* SERIAL: sample format field */
	u8 page;		/* MEMPAGE of the frame registers */
	u8 frameadr;
	u8 framecnt;
	u8 scount;
};

static const struct es1370_chan_hw es1370_chan_hw[] = {
	[SNDRV_PCM_STREAM_PLAYBACK] = {
		.name = "DAC2",
		.ctrl_en = ES1370_CTRL_DAC2_EN,
		.stat = ES1370_STAT_DAC2,
		.int_en = ES1370_SCTRL_P2_INT_EN,
		.sctrl_clear = ES1370_SCTRL_P2_LOOP_SEL | ES1370_SCTRL_P2_PAUSE |
			       ES1370_SCTRL_P2_DAC_SEN | ES1370_SCTRL_P2_END_INC |
			       ES1370_SCTRL_P2_ST_INC | ES1370_SCTRL_P2_MODE,
		.mode_shift = ES1370_SCTRL_P2_MODE_SHIFT,
		.page = ES1370_PAGE_DAC,
		.frameadr = ES1370_REG_DAC2_FRAMEADR,
		.framecnt = ES1370_REG_DAC2_FRAMECNT,
		.scount = ES1370_REG_DAC2_SCOUNT,
	},
	[SNDRV_PCM_STREAM_CAPTURE] = {
		.name = "ADC",
		.ctrl_en = ES1370_CTRL_ADC_EN,
		.stat = ES1370_STAT_ADC,
		.int_en = ES1370_SCTRL_R1_INT_EN,
		.sctrl_clear = ES1370_SCTRL_R1_LOOP_SEL | ES1370_SCTRL_R1_MODE,
		.mode_shift = ES1370_SCTRL_R1_MODE_SHIFT,
		.page = ES1370_PAGE_ADC,
		.frameadr = ES1370_REG_ADC_FRAMEADR,
		.framecnt = ES1370_REG_ADC_FRAMECNT,
		.scount = ES1370_REG_ADC_SCOUNT,
	},
};

struct es1370;

/* One DMA channel: DAC2 for playback, the ADC for capture. */
struct es1370_chan {
	struct es1370 *chip;
	const struct es1370_chan_hw *hw;
	/* The ring, owned by the domain; a constant index past it fails the build. */
	SAFE_DMA_REVOCABLE(SAFE_DMA_ARRAY(u8, ES1370_RING_BYTES)) ring;
	dma_addr_t ring_dma;	/* a number for the device, not a pointer */
	/* Under the chip lock: */
	struct snd_pcm_substream *substream;	/* open, for the IRQ handler */
	unsigned int pos;	/* last position read from the device, bytes */
};

/*
 * The chip lives in card->private_data, so it lives as long as the card:
 * until the last file is closed, which may be long after unbind.  Nothing
 * here may therefore point at memory that unbind frees, except through
 * the domain.
 */
struct es1370 {
	struct snd_card *card;
	struct pci_dev *pdev;
	struct safe_revocable_domain *domain;	/* a reference, put with the card */
	SAFE_DECLARE_REVOCABLE(void __iomem, regs);
	int irq;

	spinlock_t lock;	/* the shadows below, MEMPAGE and the paged registers */
	u32 ctrl;		/* shadow of CONTROL */
	u32 sctrl;		/* shadow of SERIAL */
	unsigned int clock_users;	/* channels that set PCLKDIV, by stream */
	unsigned int rate;	/* the rate PCLKDIV is set to */

	struct mutex codec_lock;	/* one codec write at a time; @master */
	u8 master[2];		/* master volume, 0 (-62 dB) to 31 (0 dB) */

	struct es1370_chan chan[2];	/* indexed by SNDRV_PCM_STREAM_* */
};

static struct es1370_chan *es1370_chan_of(struct snd_pcm_substream *ss)
{
	struct es1370 *chip = snd_pcm_substream_chip(ss);

	return &chip->chan[ss->stream];
}

/* ------------------------------------------------------------------------ */
/* The ring: every CPU access goes through the domain                       */
/* ------------------------------------------------------------------------ */

/* -ENODEV once the device is gone. */
static int es1370_ring_write(struct es1370_chan *chan, unsigned long pos,
			     const u8 *src, size_t n)
{
	int ret = -ENODEV;

	safe_dma_scope(ring, chan->ring)
		ret = safe_dma_copy_in(ring, pos, src, n);
	return ret;
}

static const u8 es1370_zeros[256];

/* S16_LE silence is all zero bytes. */
static int es1370_ring_clear(struct es1370_chan *chan, unsigned long pos,
			     unsigned long bytes)
{
	int ret = 0;

	while (bytes && !ret) {
		size_t n = min_t(size_t, bytes, sizeof(es1370_zeros));

		ret = es1370_ring_write(chan, pos, es1370_zeros, n);
		pos += n;
		bytes -= n;
	}
	return ret;
}

/*
 * Move @bytes between user space (@iter) and the ring at @pos, in one
 * copy.  The copy inside the access runs with page faults disabled: a
 * fault on a user page may sleep for as long as user space likes
 * (userfaultfd, FUSE), and unbind would wait for it.  A page that is not
 * resident ends it early; it is faulted in outside the access, and the
 * copy goes on.
 */
static int es1370_copy(struct snd_pcm_substream *ss, int channel,
		       unsigned long pos, struct iov_iter *iter,
		       unsigned long bytes)
{
	struct es1370_chan *chan = es1370_chan_of(ss);
	bool playback = ss->stream == SNDRV_PCM_STREAM_PLAYBACK;

	while (bytes) {
		ssize_t n = -ENODEV;

		safe_dma_scope(ring, chan->ring)
			n = playback ?
			    safe_dma_copy_from_iter(ring.buf, pos, bytes, iter) :
			    safe_dma_copy_to_iter(ring.buf, pos, bytes, iter);
		if (n > 0) {
			pos += n;
			bytes -= n;
		} else if (n != -EFAULT) {
			return n ?: -EFAULT;
		} else if ((playback ? fault_in_iov_iter_readable(iter, bytes) :
			    fault_in_iov_iter_writeable(iter, bytes)) == bytes) {
			return -EFAULT;
		}
	}
	return 0;
}

#ifdef ES1370_PCM_COPY_USER
/* Before 6.6, ALSA passed a user or a kernel pointer instead of an iov_iter. */
static int es1370_copy_user(struct snd_pcm_substream *ss, int channel,
			    unsigned long pos, void __user *buf,
			    unsigned long bytes)
{
	struct iov_iter iter;

	iov_iter_ubuf(&iter, ss->stream == SNDRV_PCM_STREAM_PLAYBACK ?
		      ITER_SOURCE : ITER_DEST, buf, bytes);
	return es1370_copy(ss, channel, pos, &iter, bytes);
}

static int es1370_copy_kernel(struct snd_pcm_substream *ss, int channel,
			      unsigned long pos, void *buf, unsigned long bytes)
{
	struct kvec kv = { .iov_base = buf, .iov_len = bytes };
	struct iov_iter iter;

	iov_iter_kvec(&iter, ss->stream == SNDRV_PCM_STREAM_PLAYBACK ?
		      ITER_SOURCE : ITER_DEST, &kv, 1, bytes);
	return es1370_copy(ss, channel, pos, &iter, bytes);
}
#endif

static int es1370_fill_silence(struct snd_pcm_substream *ss, int channel,
			       unsigned long pos, unsigned long bytes)
{
	return es1370_ring_clear(es1370_chan_of(ss), pos, bytes);
}

/*
 * Map the ring into user space.  The mapping outlives this call;
 * safe_dma_mmap() records it, and the domain's teardown zaps it before the
 * memory is freed, so a later touch gets SIGBUS instead of freed pages.
 */
static int es1370_ring_mmap(struct es1370_chan *chan,
			    struct vm_area_struct *vma)
{
	int ret = -ENODEV;

	safe_dma_scope(ring, chan->ring)
		ret = safe_dma_mmap(ring.buf, vma);
	return ret;
}

/* ------------------------------------------------------------------------ */
/* Stopping the engine before its ring is freed                             */
/* ------------------------------------------------------------------------ */

/*
 * The rings' quiesce callback: stop @arg's DMA engine before its ring is
 * freed.  It runs once, from the domain's teardown, after every access
 * ended: the ports are no longer reachable through an access, but the
 * teardown hands them to quiesce callbacks.
 */
static void es1370_ring_quiesce(void *arg)
{
	struct es1370_chan *chan = arg;
	struct es1370 *chip = chan->chip;
	void __iomem *regs = safe_revocable_teardown_ptr(chip->regs);

	if (!regs)
		return;
	guard(spinlock_irqsave)(&chip->lock);
	chip->ctrl &= ~chan->hw->ctrl_en;
	chip->sctrl &= ~chan->hw->int_en;
	iowrite32(chip->ctrl, regs + ES1370_REG_CONTROL);
	iowrite32(chip->sctrl, regs + ES1370_REG_SERIAL);
	/* Flush the posted writes: the engine is stopped when this returns. */
	ioread32(regs + ES1370_REG_CONTROL);
}

/* ------------------------------------------------------------------------ */
/* Interrupts                                                               */
/* ------------------------------------------------------------------------ */

/*
 * The handler is freed at unbind before the domain is revoked (devres
 * order, see es1370_probe()), so it always runs while the device is bound:
 * the ports are one pointer load away.  It takes the chip lock with
 * interrupts saved, as the process-context code does; the spinlock is
 * enough here, the irqsave form is simply the one that is right in both.
 */
static irqreturn_t es1370_irq(int irq, void *data)
{
	struct es1370 *chip = data;
	void __iomem *regs = safe_revocable_bound_ptr(chip->regs, &chip->pdev->dev);
	struct snd_pcm_substream *elapsed[ARRAY_SIZE(chip->chan)] = { };
	u32 status = ioread32(regs + ES1370_REG_STATUS);
	unsigned int i;

	/* All ones: the device is gone (surprise removal). */
	if (!(status & ES1370_STAT_INTR) || status == ~0U)
		return IRQ_NONE;

	scoped_guard(spinlock_irqsave, &chip->lock) {
		u32 ack = chip->sctrl;

		for (i = 0; i < ARRAY_SIZE(chip->chan); i++) {
			struct es1370_chan *chan = &chip->chan[i];

			if (status & chan->hw->stat) {
				ack &= ~chan->hw->int_en;
				elapsed[i] = chan->substream;
			}
		}
		/* Dropping a channel's interrupt enable acknowledges it. */
		iowrite32(ack, regs + ES1370_REG_SERIAL);
		iowrite32(chip->sctrl, regs + ES1370_REG_SERIAL);
	}

	/*
	 * Outside the chip lock: the ALSA core takes the stream lock, and it
	 * calls trigger() with that lock held, which takes the chip lock.
	 * es1370_close() waits for this handler after clearing the pointer.
	 */
	for (i = 0; i < ARRAY_SIZE(elapsed); i++)
		if (elapsed[i])
			snd_pcm_period_elapsed(elapsed[i]);
	return IRQ_HANDLED;
}

/* ------------------------------------------------------------------------ */
/* PCM operations                                                           */
/* ------------------------------------------------------------------------ */

static const struct snd_pcm_hardware es1370_pcm_hw = {
	.info = SNDRV_PCM_INFO_MMAP | SNDRV_PCM_INFO_MMAP_VALID |
		SNDRV_PCM_INFO_INTERLEAVED | SNDRV_PCM_INFO_BLOCK_TRANSFER,
	.formats = SNDRV_PCM_FMTBIT_S16_LE,
	/* The rates the DAC2/ADC clock divider makes exactly. */
	.rates = SNDRV_PCM_RATE_11025 | SNDRV_PCM_RATE_22050 |
		 SNDRV_PCM_RATE_44100,
	.rate_min = 11025,
	.rate_max = 44100,
	.channels_min = 1,
	.channels_max = 2,
	.buffer_bytes_max = ES1370_RING_BYTES,
	.period_bytes_min = 256,
	.period_bytes_max = ES1370_RING_BYTES / 2,
	.periods_min = 2,
	.periods_max = 256,
};

static int es1370_open(struct snd_pcm_substream *ss)
{
	struct es1370_chan *chan = es1370_chan_of(ss);
	struct snd_pcm_runtime *runtime = ss->runtime;
	int ret;

	runtime->hw = es1370_pcm_hw;
	/* The frame count register counts 32-bit words. */
	ret = snd_pcm_hw_constraint_step(runtime, 0,
					 SNDRV_PCM_HW_PARAM_BUFFER_BYTES, 4);
	if (ret < 0)
		return ret;
	ret = snd_pcm_hw_constraint_step(runtime, 0,
					 SNDRV_PCM_HW_PARAM_PERIOD_BYTES, 4);
	if (ret < 0)
		return ret;

	guard(spinlock_irqsave)(&chan->chip->lock);
	chan->substream = ss;
	return 0;
}

static void es1370_clock_put(struct es1370_chan *chan)
{
	struct es1370 *chip = chan->chip;

	guard(spinlock_irqsave)(&chip->lock);
	chip->clock_users &= ~BIT(chan - chip->chan);
}

/*
 * Runs when the file is released, which may be after unbind: it touches no
 * hardware.
 */
static int es1370_close(struct snd_pcm_substream *ss)
{
	struct es1370_chan *chan = es1370_chan_of(ss);
	struct es1370 *chip = chan->chip;

	es1370_clock_put(chan);
	scoped_guard(spinlock_irqsave, &chip->lock)
		chan->substream = NULL;
	/* A handler that read the pointer before it was cleared is done. */
	synchronize_irq(chip->irq);
	return 0;
}

/*
 * The ring is the channel's owned buffer: the ALSA core is told its bus
 * address and size, but not its CPU address (runtime->dma_area stays
 * NULL).  Every CPU access is then one of this driver's operations (copy,
 * fill_silence, mmap), and goes through the domain.
 */
static int es1370_hw_params(struct snd_pcm_substream *ss,
			    struct snd_pcm_hw_params *params)
{
	struct es1370_chan *chan = es1370_chan_of(ss);
	struct es1370 *chip = chan->chip;
	struct snd_pcm_runtime *runtime = ss->runtime;
	unsigned int rate = params_rate(params);
	size_t bytes = params_buffer_bytes(params);

	if (bytes > ES1370_RING_BYTES)
		return -EINVAL;
	/* DAC2 and the ADC share one clock. */
	scoped_guard(spinlock_irqsave, &chip->lock) {
		if ((chip->clock_users & ~BIT(chan - chip->chan)) &&
		    chip->rate != rate)
			return -EBUSY;
		chip->clock_users |= BIT(chan - chip->chan);
		chip->rate = rate;
	}

	runtime->dma_area = NULL;
	runtime->dma_addr = chan->ring_dma;
	runtime->dma_bytes = bytes;
	/* What the previous user left in the ring must not leak through mmap. */
	return es1370_ring_clear(chan, 0, PAGE_ALIGN(bytes));
}

static int es1370_hw_free(struct snd_pcm_substream *ss)
{
	es1370_clock_put(es1370_chan_of(ss));
	return 0;
}

static int es1370_prepare(struct snd_pcm_substream *ss)
{
	struct es1370_chan *chan = es1370_chan_of(ss);
	const struct es1370_chan_hw *hw = chan->hw;
	struct es1370 *chip = chan->chip;
	struct snd_pcm_runtime *runtime = ss->runtime;
	u32 mode = ES1370_MODE_16BIT;
	u32 sctrl_set;

	if (runtime->channels > 1)
		mode |= ES1370_MODE_STEREO;
	sctrl_set = hw->int_en | mode << hw->mode_shift;
	/* Upstream programs DAC2's loop end increment to 2 for 16-bit data. */
	if (ss->stream == SNDRV_PCM_STREAM_PLAYBACK)
		sctrl_set |= FIELD_PREP(ES1370_SCTRL_P2_END_INC, 2);

	safe_revocable_guard_or_return(regs, chip->regs);

	guard(spinlock_irqsave)(&chip->lock);
	chip->ctrl &= ~hw->ctrl_en;
	iowrite32(chip->ctrl, regs + ES1370_REG_CONTROL);
	iowrite32(hw->page, regs + ES1370_REG_MEMPAGE);
	iowrite32(lower_32_bits(chan->ring_dma), regs + hw->frameadr);
	iowrite32(snd_pcm_lib_buffer_bytes(ss) / 4 - 1, regs + hw->framecnt);
	chip->sctrl = (chip->sctrl & ~hw->sctrl_clear) | sctrl_set;
	iowrite32(chip->sctrl, regs + ES1370_REG_SERIAL);
	iowrite32(runtime->period_size - 1, regs + hw->scount);
	chip->ctrl &= ~ES1370_CTRL_PCLKDIV_MASK;
	chip->ctrl |= FIELD_PREP(ES1370_CTRL_PCLKDIV_MASK,
				 ES1370_CLOCK / runtime->rate - 2);
	iowrite32(chip->ctrl, regs + ES1370_REG_CONTROL);
	chan->pos = 0;
	return 0;
}

/*
 * Start or stop the engine.  It starts only inside an access to its ring:
 * either the start completes before the quiesce callback runs, which then
 * stops the engine, or it fails.  The device can never be left writing a
 * ring that is freed.
 */
static int es1370_engine(struct es1370_chan *chan, bool run)
{
	struct es1370 *chip = chan->chip;
	int ret = -ENODEV;

	safe_dma_scope(ring, chan->ring) {
		safe_revocable_scope(regs, chip->regs) {
			guard(spinlock_irqsave)(&chip->lock);
			if (run)
				chip->ctrl |= chan->hw->ctrl_en;
			else
				chip->ctrl &= ~chan->hw->ctrl_en;
			iowrite32(chip->ctrl, regs + ES1370_REG_CONTROL);
			ret = 0;
		}
	}
	/* A device that is gone has stopped: quiesce did it. */
	return run ? ret : 0;
}

/* Called with the stream lock held, interrupts off. */
static int es1370_trigger(struct snd_pcm_substream *ss, int cmd)
{
	struct es1370_chan *chan = es1370_chan_of(ss);

	switch (cmd) {
	case SNDRV_PCM_TRIGGER_START:
		return es1370_engine(chan, true);
	case SNDRV_PCM_TRIGGER_STOP:
		return es1370_engine(chan, false);
	default:
		return -EINVAL;
	}
}

/*
 * Called with the stream lock held, from the interrupt handler too.  Once
 * the device is gone the last position stands; the ALSA core only asks
 * while the stream runs, and disconnect stopped it first.
 */
static snd_pcm_uframes_t es1370_pointer(struct snd_pcm_substream *ss)
{
	struct es1370_chan *chan = es1370_chan_of(ss);
	struct es1370 *chip = chan->chip;
	unsigned int pos;

	scoped_guard(spinlock_irqsave, &chip->lock) {
		safe_revocable_scope(regs, chip->regs) {
			iowrite32(chan->hw->page, regs + ES1370_REG_MEMPAGE);
			chan->pos = FIELD_GET(ES1370_FRAMECNT_POS,
					      ioread32(regs + chan->hw->framecnt)) * 4;
		}
		pos = chan->pos;
	}
	/* Past the ring: the device reads all ones, it was surprise-removed. */
	if (pos >= snd_pcm_lib_buffer_bytes(ss))
		return SNDRV_PCM_POS_XRUN;
	return bytes_to_frames(ss->runtime, pos);
}

static int es1370_mmap(struct snd_pcm_substream *ss,
		       struct vm_area_struct *vma)
{
	return es1370_ring_mmap(es1370_chan_of(ss), vma);
}

static const struct snd_pcm_ops es1370_pcm_ops = {
	.open = es1370_open,
	.close = es1370_close,
	.hw_params = es1370_hw_params,
	.hw_free = es1370_hw_free,
	.prepare = es1370_prepare,
	.trigger = es1370_trigger,
	.pointer = es1370_pointer,
#ifdef ES1370_PCM_COPY_USER
	.copy_user = es1370_copy_user,
	.copy_kernel = es1370_copy_kernel,
#else
	.copy = es1370_copy,
#endif
	.fill_silence = es1370_fill_silence,
	.mmap = es1370_mmap,
};

/* ------------------------------------------------------------------------ */
/* The codec and the mixer control                                          */
/* ------------------------------------------------------------------------ */

/* Write an AK4531 register once the codec interface is idle (bounded wait). */
static int es1370_codec_write(void __iomem *regs, u8 reg, u8 val)
{
	u32 status;
	int ret;

	ret = read_poll_timeout(ioread32, status, !(status & ES1370_STAT_CSTAT),
				10, 10000, false, regs + ES1370_REG_STATUS);
	if (ret)
		return ret;
	iowrite32(ES1370_CODEC(reg, val), regs + ES1370_REG_CODEC);
	return 0;
}

static int es1370_master_write(struct es1370 *chip, void __iomem *regs)
{
	int ret;

	lockdep_assert_held(&chip->codec_lock);
	ret = es1370_codec_write(regs, AK4531_LMASTER,
				 AK4531_ATT_MAX - chip->master[0]);
	if (!ret)
		ret = es1370_codec_write(regs, AK4531_RMASTER,
					 AK4531_ATT_MAX - chip->master[1]);
	return ret;
}

static int es1370_master_info(struct snd_kcontrol *kctl,
			      struct snd_ctl_elem_info *uinfo)
{
	uinfo->type = SNDRV_CTL_ELEM_TYPE_INTEGER;
	uinfo->count = 2;
	uinfo->value.integer.min = 0;
	uinfo->value.integer.max = AK4531_ATT_MAX;
	return 0;
}

static int es1370_master_get(struct snd_kcontrol *kctl,
			     struct snd_ctl_elem_value *uval)
{
	struct es1370 *chip = snd_kcontrol_chip(kctl);

	guard(mutex)(&chip->codec_lock);
	uval->value.integer.value[0] = chip->master[0];
	uval->value.integer.value[1] = chip->master[1];
	return 0;
}

/*
 * ALSA's disconnect waits for element writes in flight and refuses later
 * ones, so this runs while bound; the access makes it independent of that.
 */
static int es1370_master_put(struct snd_kcontrol *kctl,
			     struct snd_ctl_elem_value *uval)
{
	struct es1370 *chip = snd_kcontrol_chip(kctl);
	long l = uval->value.integer.value[0];
	long r = uval->value.integer.value[1];
	u8 old[2];
	int ret;

	if (l < 0 || l > AK4531_ATT_MAX || r < 0 || r > AK4531_ATT_MAX)
		return -EINVAL;

	guard(mutex)(&chip->codec_lock);
	if (chip->master[0] == l && chip->master[1] == r)
		return 0;

	safe_revocable_guard_or_return(regs, chip->regs);

	memcpy(old, chip->master, sizeof(old));
	chip->master[0] = l;
	chip->master[1] = r;
	ret = es1370_master_write(chip, regs);
	if (ret) {
		memcpy(chip->master, old, sizeof(old));
		return ret;
	}
	return 1;
}

static const DECLARE_TLV_DB_SCALE(es1370_master_tlv, -6200, 200, 0);

static const struct snd_kcontrol_new es1370_master_ctl = {
	.iface = SNDRV_CTL_ELEM_IFACE_MIXER,
	.name = "Master Playback Volume",
	.access = SNDRV_CTL_ELEM_ACCESS_READWRITE |
		  SNDRV_CTL_ELEM_ACCESS_TLV_READ,
	.info = es1370_master_info,
	.get = es1370_master_get,
	.put = es1370_master_put,
	.tlv = { .p = es1370_master_tlv },
};

/* ------------------------------------------------------------------------ */
/* Probe and teardown                                                       */
/* ------------------------------------------------------------------------ */

/* The codec out of reset, master volume at 0 dB.  While bound, from probe. */
static int es1370_chip_init(struct es1370 *chip)
{
	void __iomem *regs = safe_revocable_bound_ptr(chip->regs, &chip->pdev->dev);
	int ret;

	chip->ctrl = ES1370_CTRL_CDC_EN |
		     FIELD_PREP(ES1370_CTRL_PCLKDIV_MASK, ES1370_CLOCK / 44100 - 2);
	chip->sctrl = 0;
	iowrite32(chip->ctrl, regs + ES1370_REG_CONTROL);
	iowrite32(chip->sctrl, regs + ES1370_REG_SERIAL);

	guard(mutex)(&chip->codec_lock);
	ret = es1370_codec_write(regs, AK4531_RESET, AK4531_RESET_RUN);
	if (!ret)
		ret = es1370_codec_write(regs, AK4531_CLOCK, 0);
	chip->master[0] = AK4531_ATT_MAX;
	chip->master[1] = AK4531_ATT_MAX;
	if (!ret)
		ret = es1370_master_write(chip, regs);
	return ret;
}

/*
 * Allocate @chan's ring and hand it to the domain.  From then on the
 * domain frees it at unbind: revoke (accesses drain), es1370_ring_quiesce(),
 * free.
 */
static int es1370_chan_init(struct es1370 *chip, int stream)
{
	struct es1370_chan *chan = &chip->chan[stream];

	chan->chip = chip;
	chan->hw = &es1370_chan_hw[stream];

	struct safe_dma_buf *buf __free(safe_dma) =
		safe_dma_alloc_array(&chip->pdev->dev, u8, ES1370_RING_BYTES,
				     GFP_KERNEL);

	if (IS_ERR(buf))
		return PTR_ERR(no_free_ptr(buf));
	safe_dma_set_quiesce(buf, es1370_ring_quiesce, chan);
	chan->ring_dma = safe_dma_handle(buf);
	chan->ring.rev = safe_dma_attach(buf, chip->domain);
	if (IS_ERR(chan->ring.rev))
		return PTR_ERR(chan->ring.rev);
	retain_and_null_ptr(buf);
	return 0;
}

static int es1370_pcm_new(struct es1370 *chip)
{
	struct snd_pcm *pcm;
	int ret;

	ret = snd_pcm_new(chip->card, "ES1370", 0, 1, 1, &pcm);
	if (ret < 0)
		return ret;
	snd_pcm_set_ops(pcm, SNDRV_PCM_STREAM_PLAYBACK, &es1370_pcm_ops);
	snd_pcm_set_ops(pcm, SNDRV_PCM_STREAM_CAPTURE, &es1370_pcm_ops);
	pcm->private_data = chip;
	strscpy(pcm->name, "ES1370 DAC2/ADC", sizeof(pcm->name));
	return 0;
}

/* Runs when the card is freed: at the last close, maybe long after unbind. */
static void es1370_card_free(struct snd_card *card)
{
	struct es1370 *chip = card->private_data;

	safe_revocable_domain_put(chip->domain);
}

static void es1370_card_disconnect(void *card)
{
	snd_card_disconnect(card);
}

static void es1370_card_put(void *card)
{
	snd_card_free_when_closed(card);
}

static int es1370_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct snd_card *card;
	struct es1370 *chip;
	int ret;

	/*
	 * Devres undoes all this in reverse order at unbind:
	 *
	 *  1. snd_card_disconnect(): ALSA stops the streams (our trigger
	 *     still reaches the hardware), wakes every sleeper, and turns
	 *     every later file operation into -ENODEV;
	 *  2. the interrupt is freed;
	 *  3. the domain is revoked: callbacks in flight finish, later ones
	 *     fail; each ring is quiesced (engine stopped, user mappings
	 *     removed) and freed;
	 *  4. the ports are unmapped and the device disabled;
	 *  5. snd_card_free_when_closed(): the card, with this driver's data,
	 *     is freed now or at the last close, whichever comes later.
	 */
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		return ret;
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;

	ret = snd_card_new(dev, SNDRV_DEFAULT_IDX1, SNDRV_DEFAULT_STR1,
			   THIS_MODULE, sizeof(*chip), &card);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(dev, es1370_card_put, card);
	if (ret)
		return ret;
	chip = card->private_data;
	chip->card = card;
	chip->pdev = pdev;
	chip->irq = pdev->irq;
	spin_lock_init(&chip->lock);
	mutex_init(&chip->codec_lock);

	chip->domain = devm_safe_revocable_domain_create(dev);
	if (IS_ERR(chip->domain))
		return PTR_ERR(chip->domain);
	/* The card outlives the binding; its callbacks need the handles. */
	safe_revocable_domain_get(chip->domain);
	card->private_free = es1370_card_free;
	ret = safe_revocable_init(chip->regs, chip->domain,
				  pcim_iomap_table(pdev)[0], NULL);
	if (ret)
		return ret;
	ret = es1370_chan_init(chip, SNDRV_PCM_STREAM_PLAYBACK);
	if (ret)
		return ret;
	ret = es1370_chan_init(chip, SNDRV_PCM_STREAM_CAPTURE);
	if (ret)
		return ret;

	ret = es1370_chip_init(chip);
	if (ret)
		return ret;
	ret = devm_request_irq(dev, pdev->irq, es1370_irq, IRQF_SHARED,
			       KBUILD_MODNAME, chip);
	if (ret)
		return ret;
	/* ALSA waits for the handler in hw_free(), prepare() and disconnect. */
	card->sync_irq = pdev->irq;

	ret = es1370_pcm_new(chip);
	if (ret)
		return ret;
	ret = snd_ctl_add(card, snd_ctl_new1(&es1370_master_ctl, chip));
	if (ret)
		return ret;

	strscpy(card->driver, "ES1370", sizeof(card->driver));
	strscpy(card->shortname, "ES1370 (safe)", sizeof(card->shortname));
	snprintf(card->longname, sizeof(card->longname),
		 "ENSONIQ AudioPCI ES1370 at %s, irq %d, written with safe",
		 pci_name(pdev), pdev->irq);
	ret = snd_card_register(card);
	if (ret)
		return ret;
	return devm_add_action_or_reset(dev, es1370_card_disconnect, card);
}

static const struct pci_device_id es1370_ids[] = {
	{ PCI_DEVICE(ES1370_VENDOR, ES1370_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, es1370_ids);

/* No remove(): devres undoes probe() in the right order. */
static struct pci_driver es1370_driver = {
	.name = "es1370",
	.id_table = es1370_ids,
	.probe = es1370_probe,
};
module_pci_driver(es1370_driver);

MODULE_DESCRIPTION("ENSONIQ ES1370 (QEMU) ALSA driver written with safe: survives hot-unplug");
MODULE_LICENSE("GPL");
