// SPDX-License-Identifier: GPL-2.0
/*
 * es1370-load: play a known tone and record through raw ALSA ioctls, from
 * several threads, and report how every stream ended.  Static, no
 * alsa-lib: it runs in the test VMs' busybox initramfs.
 *
 *   es1370-load [-c CARD] [-s SECONDS] [-u] [-H FILE] [-z] [-r RATE]
 *               [-p FRAMES] [-n PERIODS] [-a AMPLITUDE] [-L HZ] [-R HZ]
 *               ROLE...
 *
 * Each ROLE is one thread:
 *
 *   play, play-mmap        a sine, HZ (-L, default 1000) on the left
 *                          channel and HZ (-R, default 1500) on the right,
 *                          at AMPLITUDE (-a, default 0.5) of full scale,
 *                          written with write() ioctls or into the mmap()ed
 *                          ring; S16_LE, stereo, RATE (-r, 44100),
 *                          PERIODS (-n, 16) of FRAMES (-p, 1024)
 *   capture, capture-mmap  record; with -z every sample must be zero
 *   status                 status, delay and hwsync ioctls on the fd of
 *                          the last stream named before it
 *   mixer                  write and read back "Master Playback Volume"
 *   open                   open and close the card's devices
 *
 * Streams recover from an underrun or overrun (EPIPE) and from ALSA's
 * "no period for a buffer's time" (EIO, which a starved QEMU causes) with
 * a prepare, and count them; the recorded tone then has a break.
 *
 * Without -u, the streams run SECONDS (default 2) and drain, and every
 * role must end without error.  With -u, every role runs until the device
 * goes away (at most SECONDS, default 60) and must end with what ALSA
 * gives a stream whose device is gone: ENODEV, EBADFD (state
 * DISCONNECTED), ENOENT (device node removed), or SIGBUS for a touch of a
 * ring mapping the driver removed.
 *
 * -H FILE: once every role has ended, create FILE and keep every file
 * open and every ring mapped until FILE is removed (at most SECONDS), like
 * an application that is slow to notice: a driver whose unbind waits for
 * user space waits that long.  Then try a read of each mapped ring and
 * print whether it faulted ("ring mapping after the end: SIGBUS").
 *
 * Prints one line per role, "end[ROLE]=HOW@WHERE" and a verdict; exits 0
 * when the run passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <linux/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <sound/asound.h>

/* How a role ended, besides 0 (finished) and a positive errno. */
#define END_SIGBUS	(-1)	/* touched a ring mapping that was removed */
#define END_TIMEOUT	(-2)	/* -u: the device never went away */
#define END_BADCHECK	(-3)	/* a check failed */

#define MAX_ROLES	16
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define CHANNELS	2

struct stream {
	int fd;
	int capture;
	int mmap;
	unsigned int rate, period, periods;
	snd_pcm_uframes_t buffer, boundary;
	__s16 *ring;
	size_t ring_bytes;
	int open_err;		/* why stream_open() failed */
	atomic_int done;
};

struct worker {
	pthread_t tid;
	int started;
	const char *role;
	struct stream *st;	/* stream roles and status */
	unsigned long ops;	/* frames, or calls */
	unsigned long xruns;	/* EPIPE: the user was late */
	unsigned long stalls;	/* EIO: no period came for a buffer's time */
	unsigned long bad;	/* failed checks: samples, readbacks */
	int end;		/* 0, errno, or END_* */
	const char *where;
	double t_end;		/* when it ended, seconds since the start */
	double t_idle;		/* how long it had made no progress then */
	double t_progress;	/* last progress, seconds since the start */
	char stall[96];		/* where the last stall left the stream */
};

static int card;
static double seconds = -1;
static int until_unplug;
static int expect_silence;
static const char *hold;
static unsigned int rate = 44100, period = 1024, periods = 16;
static double amplitude = 0.5, freq[CHANNELS] = { 1000, 1500 };
static atomic_int streams_running;

static __thread sigjmp_buf ring_jmp;
static __thread atomic_int in_ring;

static void on_sigbus(int sig)
{
	if (in_ring)
		siglongjmp(ring_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pause_ms(unsigned int ms)
{
	usleep(ms * 1000);
}

static double t_start;

static void progress(struct worker *w, unsigned long n)
{
	w->ops += n;
	w->t_progress = now() - t_start;
}

static int end(struct worker *w, int how, const char *where)
{
	w->end = how;
	w->where = where;
	w->t_end = now() - t_start;
	w->t_idle = w->t_end - w->t_progress;
	return how;
}

/* A role thread returns: record when, if it ended without error. */
static void *finish(struct worker *w)
{
	if (!w->where)
		end(w, 0, "-");
	return NULL;
}

static const char *end_name(int how)
{
	static __thread char buf[32];

	switch (how) {
	case 0:
		return "ok";
	case END_SIGBUS:
		return "SIGBUS";
	case END_TIMEOUT:
		return "timeout";
	case END_BADCHECK:
		return "badcheck";
	case ENODEV:
		return "ENODEV";
	case EBADFD:
		return "EBADFD";
	case ENOENT:
		return "ENOENT";
	case EPIPE:
		return "EPIPE";
	case EIO:
		return "EIO";
	case EBUSY:
		return "EBUSY";
	case ENXIO:
		return "ENXIO";
	case EBADF:
		return "EBADF";
	default:
		snprintf(buf, sizeof(buf), "errno%d", how);
		return buf;
	}
}

/* What ALSA gives a user of a device that is gone. */
static int unplug_ending(int how)
{
	return how == ENODEV || how == EBADFD || how == ENOENT ||
	       how == END_SIGBUS;
}

/*
 * sin(2 pi @turns), within 1e-7: reduced to [-1/4, 1/4] turn, then a
 * Taylor polynomial.  No libm, so the static binary builds anywhere.
 */
static double sine_turns(double turns)
{
	double x, x2, term, sum;
	int k;

	turns -= (long)turns;			/* (-1, 1) */
	if (turns > 0.5)
		turns -= 1;
	else if (turns < -0.5)
		turns += 1;
	if (turns > 0.25)			/* sin(pi - x) = sin(x) */
		turns = 0.5 - turns;
	else if (turns < -0.25)
		turns = -0.5 - turns;
	x = 2 * 3.14159265358979323846 * turns;
	x2 = x * x;
	term = x;
	sum = x;
	for (k = 1; k <= 6; k++) {
		term *= -x2 / ((2 * k) * (2 * k + 1));
		sum += term;
	}
	return sum;
}

/* The tone: sample @n of channel @ch. */
static __s16 tone(unsigned int ch, unsigned long n)
{
	double v = amplitude * 32767.0 *
		   sine_turns(freq[ch] * (double)(n % rate) / rate);

	return (__s16)(v < 0 ? v - 0.5 : v + 0.5);
}

static void fill_tone(__s16 *buf, unsigned long first, unsigned long frames)
{
	unsigned long i;
	unsigned int ch;

	for (i = 0; i < frames; i++)
		for (ch = 0; ch < CHANNELS; ch++)
			buf[i * CHANNELS + ch] = tone(ch, first + i);
}

static unsigned long count_noise(const __s16 *buf, unsigned long frames)
{
	unsigned long i, n = 0;

	for (i = 0; i < frames * CHANNELS; i++)
		n += buf[i] != 0;
	return n;
}

/* -------------------------------------------------------------------- */
/* Opening and configuring a stream                                      */
/* -------------------------------------------------------------------- */

static struct snd_mask *param_mask(struct snd_pcm_hw_params *p, int n)
{
	return &p->masks[n - SNDRV_PCM_HW_PARAM_FIRST_MASK];
}

static struct snd_interval *param_interval(struct snd_pcm_hw_params *p, int n)
{
	return &p->intervals[n - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL];
}

static void param_set_mask(struct snd_pcm_hw_params *p, int n, unsigned int bit)
{
	struct snd_mask *m = param_mask(p, n);

	memset(m, 0, sizeof(*m));
	m->bits[bit / 32] = 1U << (bit % 32);
}

static void param_set_int(struct snd_pcm_hw_params *p, int n, unsigned int v)
{
	struct snd_interval *i = param_interval(p, n);

	memset(i, 0, sizeof(*i));
	i->min = v;
	i->max = v;
	i->integer = 1;
}

static void params_any(struct snd_pcm_hw_params *p)
{
	int n;

	memset(p, 0, sizeof(*p));
	for (n = SNDRV_PCM_HW_PARAM_FIRST_MASK; n <= SNDRV_PCM_HW_PARAM_LAST_MASK; n++)
		memset(param_mask(p, n), 0xff, sizeof(struct snd_mask));
	for (n = SNDRV_PCM_HW_PARAM_FIRST_INTERVAL;
	     n <= SNDRV_PCM_HW_PARAM_LAST_INTERVAL; n++)
		param_interval(p, n)->max = ~0U;
	p->rmask = ~0U;
	p->info = ~0U;
}

/* Open and configure; returns 0 or an errno, with *where set. */
static int stream_open(struct stream *st, const char **where)
{
	char path[64];
	struct snd_pcm_hw_params hw;
	struct snd_pcm_sw_params sw;

	snprintf(path, sizeof(path), "/dev/snd/pcmC%dD0%c", card,
		 st->capture ? 'c' : 'p');
	*where = "open";
	st->fd = open(path, O_RDWR | O_CLOEXEC);
	if (st->fd < 0)
		return errno;

	params_any(&hw);
	param_set_mask(&hw, SNDRV_PCM_HW_PARAM_ACCESS,
		       st->mmap ? SNDRV_PCM_ACCESS_MMAP_INTERLEAVED :
				  SNDRV_PCM_ACCESS_RW_INTERLEAVED);
	param_set_mask(&hw, SNDRV_PCM_HW_PARAM_FORMAT, SNDRV_PCM_FORMAT_S16_LE);
	param_set_mask(&hw, SNDRV_PCM_HW_PARAM_SUBFORMAT,
		       SNDRV_PCM_SUBFORMAT_STD);
	param_set_int(&hw, SNDRV_PCM_HW_PARAM_CHANNELS, CHANNELS);
	param_set_int(&hw, SNDRV_PCM_HW_PARAM_RATE, st->rate);
	param_set_int(&hw, SNDRV_PCM_HW_PARAM_PERIOD_SIZE, st->period);
	param_set_int(&hw, SNDRV_PCM_HW_PARAM_PERIODS, st->periods);
	*where = "hw_params";
	if (ioctl(st->fd, SNDRV_PCM_IOCTL_HW_PARAMS, &hw) < 0)
		return errno;
	st->buffer = param_interval(&hw, SNDRV_PCM_HW_PARAM_BUFFER_SIZE)->min;

	memset(&sw, 0, sizeof(sw));
	sw.tstamp_mode = SNDRV_PCM_TSTAMP_NONE;
	sw.period_step = 1;
	sw.avail_min = st->period;
	sw.start_threshold = st->capture ? 1 : st->buffer;
	sw.stop_threshold = st->buffer;
	sw.proto = SNDRV_PCM_VERSION;
	*where = "sw_params";
	if (ioctl(st->fd, SNDRV_PCM_IOCTL_SW_PARAMS, &sw) < 0)
		return errno;
	st->boundary = sw.boundary;

	if (st->mmap) {
		*where = "mmap";
		st->ring_bytes = st->buffer * CHANNELS * sizeof(__s16);
		st->ring = mmap(NULL, st->ring_bytes,
				PROT_READ | (st->capture ? 0 : PROT_WRITE),
				MAP_SHARED, st->fd, SNDRV_PCM_MMAP_OFFSET_DATA);
		if (st->ring == MAP_FAILED) {
			st->ring = NULL;
			return errno;
		}
	}
	*where = "prepare";
	if (ioctl(st->fd, SNDRV_PCM_IOCTL_PREPARE) < 0)
		return errno;
	return 0;
}

static void stream_close(struct stream *st)
{
	if (st->ring)
		munmap(st->ring, st->ring_bytes);
	st->ring = NULL;
	if (st->fd >= 0)
		close(st->fd);
	st->fd = -1;
}

/* Pointer arithmetic modulo the boundary, as the kernel does it. */
static snd_pcm_uframes_t ptr_diff(struct stream *st, snd_pcm_uframes_t a,
				  snd_pcm_uframes_t b)
{
	return a >= b ? a - b : a + st->boundary - b;
}

static int sync_ptr(struct stream *st, struct snd_pcm_sync_ptr *sp,
		    unsigned int flags)
{
	sp->flags = flags;
	return ioctl(st->fd, SNDRV_PCM_IOCTL_SYNC_PTR, sp) < 0 ? errno : 0;
}

/* -------------------------------------------------------------------- */
/* Stream roles                                                          */
/* -------------------------------------------------------------------- */

static unsigned long target_frames(void)
{
	return (unsigned long)(seconds * rate);
}

/*
 * After an xrun (EPIPE) or ALSA's "no period for a buffer's time" (EIO:
 * under TCG on a loaded host QEMU or the reader can be starved that
 * long), start over as applications do.  The stream still runs after EIO:
 * note where it stood, and stop it first.  A device that is gone fails
 * here.
 */
static int recover(struct worker *w, struct stream *st, int err)
{
	struct snd_pcm_status s;

	if (err == EPIPE) {
		w->xruns++;
	} else {
		w->stalls++;
		if (ioctl(st->fd, SNDRV_PCM_IOCTL_STATUS, &s) == 0)
			snprintf(w->stall, sizeof(w->stall),
				 "state %d hw %lu appl %lu avail %lu at %.2fs",
				 s.state, s.hw_ptr, s.appl_ptr, s.avail,
				 now() - t_start);
		if (ioctl(st->fd, SNDRV_PCM_IOCTL_DROP) < 0)
			return end(w, errno, "drop");
	}
	if (ioctl(st->fd, SNDRV_PCM_IOCTL_PREPARE) < 0)
		return end(w, errno, "prepare");
	return 0;
}

/* Play what is queued; EIO there is the same stall as in recover(). */
static int play_out(struct worker *w, struct stream *st)
{
	if (ioctl(st->fd, SNDRV_PCM_IOCTL_DRAIN) == 0)
		return 0;
	if (errno != EIO)
		return end(w, errno, "drain");
	w->stalls++;
	snprintf(w->stall, sizeof(w->stall), "in drain at %.2fs",
		 now() - t_start);
	return 0;
}

/* write() a period at a time; recover from underruns. */
static int play_rw(struct worker *w, struct stream *st)
{
	__s16 *buf = calloc(st->period * CHANNELS, sizeof(*buf));
	unsigned long want = target_frames();
	double deadline = now() + seconds;
	int ret = 0;

	while (!ret && (until_unplug || w->ops < want)) {
		struct snd_xferi x = { .buf = buf, .frames = st->period };

		if (until_unplug && now() > deadline) {
			ret = end(w, END_TIMEOUT, "write");
			break;
		}
		fill_tone(buf, w->ops, st->period);
		if (ioctl(st->fd, SNDRV_PCM_IOCTL_WRITEI_FRAMES, &x) == 0)
			progress(w, x.result);
		else if (errno != EPIPE && errno != EIO)
			ret = end(w, errno, "write");
		else
			ret = recover(w, st, errno);
	}
	if (!ret)
		ret = play_out(w, st);
	free(buf);
	return ret;
}

static int read_rw(struct worker *w, struct stream *st)
{
	__s16 *buf = calloc(st->period * CHANNELS, sizeof(*buf));
	unsigned long want = target_frames();
	double deadline = now() + seconds;
	int ret = 0;

	while (!ret && (until_unplug || w->ops < want)) {
		struct snd_xferi x = { .buf = buf, .frames = st->period };

		if (until_unplug && now() > deadline) {
			ret = end(w, END_TIMEOUT, "read");
			break;
		}
		if (ioctl(st->fd, SNDRV_PCM_IOCTL_READI_FRAMES, &x) == 0) {
			progress(w, x.result);
			if (expect_silence)
				w->bad += count_noise(buf, x.result);
		} else if (errno != EPIPE && errno != EIO) {
			ret = end(w, errno, "read");
		} else {
			ret = recover(w, st, errno);
		}
	}
	if (!ret)
		ioctl(st->fd, SNDRV_PCM_IOCTL_DROP);
	free(buf);
	return ret;
}

/*
 * Copy between the ring and the tone or the checker.  A SIGBUS here means
 * the driver removed the mapping because the device went away.
 */
static int ring_copy(struct worker *w, struct stream *st,
		     snd_pcm_uframes_t appl, snd_pcm_uframes_t n)
{
	__s16 *p = st->ring + (appl % st->buffer) * CHANNELS;

	if (sigsetjmp(ring_jmp, 1)) {
		in_ring = 0;
		return END_SIGBUS;
	}
	in_ring = 1;
	if (st->capture) {
		if (expect_silence)
			w->bad += count_noise(p, n);
	} else {
		fill_tone(p, w->ops, n);
	}
	in_ring = 0;
	return 0;
}

/* The mmap()ed ring, driven with SYNC_PTR, START and poll(). */
static int stream_mmap(struct worker *w, struct stream *st)
{
	unsigned long want = target_frames();
	double deadline = now() + seconds;
	short event = st->capture ? POLLIN : POLLOUT;
	int started = 0;

	if (st->capture) {
		if (ioctl(st->fd, SNDRV_PCM_IOCTL_START) < 0)
			return end(w, errno, "start");
		started = 1;
	}
	while (until_unplug || w->ops < want) {
		struct snd_pcm_sync_ptr sp = { 0 };
		snd_pcm_uframes_t avail, appl, n;
		struct pollfd pfd = { .fd = st->fd, .events = event };
		int ret;

		if (until_unplug && now() > deadline)
			return end(w, END_TIMEOUT, "poll");
		ret = sync_ptr(st, &sp, SNDRV_PCM_SYNC_PTR_HWSYNC |
			       SNDRV_PCM_SYNC_PTR_APPL |
			       SNDRV_PCM_SYNC_PTR_AVAIL_MIN);
		if (ret == EPIPE || (!ret && sp.s.status.state == SNDRV_PCM_STATE_XRUN)) {
			w->xruns++;
			if (ioctl(st->fd, SNDRV_PCM_IOCTL_PREPARE) < 0)
				return end(w, errno, "prepare");
			started = 0;
			if (st->capture) {
				if (ioctl(st->fd, SNDRV_PCM_IOCTL_START) < 0)
					return end(w, errno, "start");
				started = 1;
			}
			continue;
		}
		if (ret)
			return end(w, ret, "sync_ptr");
		if (sp.s.status.state == SNDRV_PCM_STATE_DISCONNECTED)
			return end(w, EBADFD, "state");

		appl = sp.c.control.appl_ptr;
		if (st->capture)
			avail = ptr_diff(st, sp.s.status.hw_ptr, appl);
		else
			avail = st->buffer - ptr_diff(st, appl, sp.s.status.hw_ptr);
		n = avail;
		if (n > st->buffer - appl % st->buffer)
			n = st->buffer - appl % st->buffer;
		if (!until_unplug && n > want - w->ops)
			n = want - w->ops;

		if (n) {
			ret = ring_copy(w, st, appl, n);
			if (ret)
				return end(w, ret, "ring");
			progress(w, n);
			sp.c.control.appl_ptr = (appl + n) % st->boundary;
			sp.c.control.avail_min = st->period;
			ret = sync_ptr(st, &sp, 0);
			if (ret)
				return end(w, ret, "sync_ptr");
			if (!started && ptr_diff(st, sp.c.control.appl_ptr,
						 sp.s.status.hw_ptr) >= st->buffer) {
				if (ioctl(st->fd, SNDRV_PCM_IOCTL_START) < 0)
					return end(w, errno, "start");
				started = 1;
			}
			continue;
		}
		if (!started && !st->capture) {
			if (ioctl(st->fd, SNDRV_PCM_IOCTL_START) < 0)
				return end(w, errno, "start");
			started = 1;
		}
		if (poll(&pfd, 1, 1000) < 0 && errno != EINTR)
			return end(w, errno, "poll");
	}
	if (st->capture)
		ioctl(st->fd, SNDRV_PCM_IOCTL_DROP);
	else
		return play_out(w, st);
	return 0;
}

static void *stream_role(void *arg)
{
	struct worker *w = arg;
	struct stream *st = w->st;

	if (st->mmap)
		stream_mmap(w, st);
	else if (st->capture)
		read_rw(w, st);
	else
		play_rw(w, st);
	if (!w->end && w->bad)
		end(w, END_BADCHECK, st->capture ? "silence" : "tone");
	atomic_store(&st->done, 1);
	atomic_fetch_sub(&streams_running, 1);
	return finish(w);
}

/* -------------------------------------------------------------------- */
/* Roles that race the streams                                           */
/* -------------------------------------------------------------------- */

static int others_done(void)
{
	return !until_unplug && !atomic_load(&streams_running);
}

/*
 * Ioctls on a stream's fd from another thread: until the stream ends, or
 * with -u until they fail.
 */
static void *status_role(void *arg)
{
	struct worker *w = arg;
	struct stream *st = w->st;
	double deadline = now() + seconds;

	while (until_unplug || !atomic_load(&st->done)) {
		struct snd_pcm_status s;
		snd_pcm_sframes_t delay;

		if (until_unplug && now() > deadline) {
			end(w, END_TIMEOUT, "status");
			break;
		}
		if (ioctl(st->fd, SNDRV_PCM_IOCTL_STATUS, &s) < 0) {
			end(w, errno, "status");
			break;
		}
		/* These fail with EPIPE or EBADFD while not running: fine. */
		if (ioctl(st->fd, SNDRV_PCM_IOCTL_DELAY, &delay) < 0 &&
		    errno != EPIPE && errno != EBADFD) {
			end(w, errno, "delay");
			break;
		}
		if (ioctl(st->fd, SNDRV_PCM_IOCTL_HWSYNC) < 0 &&
		    errno != EPIPE && errno != EBADFD) {
			end(w, errno, "hwsync");
			break;
		}
		progress(w, 1);
		pause_ms(2);
	}
	return finish(w);
}

static int ctl_master(int fd, int write, long *v)
{
	struct snd_ctl_elem_value e;

	memset(&e, 0, sizeof(e));
	e.id.iface = SNDRV_CTL_ELEM_IFACE_MIXER;
	snprintf((char *)e.id.name, sizeof(e.id.name), "Master Playback Volume");
	if (write) {
		e.value.integer.value[0] = v[0];
		e.value.integer.value[1] = v[1];
	}
	if (ioctl(fd, write ? SNDRV_CTL_IOCTL_ELEM_WRITE :
		  SNDRV_CTL_IOCTL_ELEM_READ, &e) < 0)
		return errno;
	v[0] = e.value.integer.value[0];
	v[1] = e.value.integer.value[1];
	return 0;
}

/* Write the master volume and read it back. */
static void *mixer_role(void *arg)
{
	struct worker *w = arg;
	double deadline = now() + seconds;
	unsigned int seed = 1;
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/snd/controlC%d", card);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		end(w, errno, "open");
		return NULL;
	}
	while (!others_done()) {
		long set[2] = { rand_r(&seed) % 32, rand_r(&seed) % 32 };
		long got[2];
		int ret;

		if (now() > deadline) {
			if (until_unplug)
				end(w, END_TIMEOUT, "elem_write");
			break;
		}
		ret = ctl_master(fd, 1, set);
		if (!ret) {
			memcpy(got, set, sizeof(got));
			got[0] = -1;
			ret = ctl_master(fd, 0, got);
			if (ret) {
				end(w, ret, "elem_read");
				break;
			}
			if (got[0] != set[0] || got[1] != set[1])
				w->bad++;
		} else {
			end(w, ret, "elem_write");
			break;
		}
		progress(w, 1);
		pause_ms(5);
	}
	close(fd);
	return finish(w);
}

/* Open and close the card's devices; the PCM ones are busy while streaming. */
static void *open_role(void *arg)
{
	struct worker *w = arg;
	double deadline = now() + seconds;
	char pcm[64], ctl[64];

	snprintf(pcm, sizeof(pcm), "/dev/snd/pcmC%dD0p", card);
	snprintf(ctl, sizeof(ctl), "/dev/snd/controlC%d", card);
	while (!others_done()) {
		struct snd_ctl_card_info info;
		int fd;

		if (now() > deadline) {
			if (until_unplug)
				end(w, END_TIMEOUT, "open");
			break;
		}
		fd = open(pcm, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
		} else if (errno != EBUSY && errno != EAGAIN) {
			end(w, errno, "open-pcm");
			break;
		}
		fd = open(ctl, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			end(w, errno, "open-ctl");
			break;
		}
		if (ioctl(fd, SNDRV_CTL_IOCTL_CARD_INFO, &info) < 0) {
			end(w, errno, "card_info");
			close(fd);
			break;
		}
		close(fd);
		progress(w, 1);
		pause_ms(10);
	}
	return finish(w);
}

/* -------------------------------------------------------------------- */

static void print_help(void)
{
	fprintf(stderr, "es1370-load [-c CARD] [-s SECONDS] [-u] [-H FILE] [-z] [-r RATE]\n"
		"            [-p FRAMES] [-n PERIODS] [-a AMPLITUDE] [-L HZ] [-R HZ] ROLE...\n"
		"roles: play play-mmap capture capture-mmap status mixer open\n");
	exit(2);
}

/* Can the mapped ring still be read? */
static const char *ring_readable(struct stream *st)
{
	__s16 v;

	if (sigsetjmp(ring_jmp, 1)) {
		in_ring = 0;
		return "SIGBUS";
	}
	in_ring = 1;
	v = __atomic_load_n(st->ring, __ATOMIC_RELAXED);
	asm volatile("" : : "r" (v));	/* the load must happen */
	in_ring = 0;
	return "readable";
}

/*
 * Everything ended: hold the files open until the scenario removes the
 * file @hold names, then report what the rings' mappings give.
 */
static void hold_files(struct worker *w, struct stream *st, int nw)
{
	double deadline = now() + seconds;
	int i, fd;

	fd = open(hold, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	if (fd >= 0) {
		close(fd);
		while (access(hold, F_OK) == 0 && now() < deadline)
			pause_ms(10);
	}
	for (i = 0; i < nw; i++)
		if (w[i].st == &st[i] && st[i].ring)
			printf("es1370-load: %s: ring mapping after the end: %s\n",
			       w[i].role, ring_readable(&st[i]));
}

static const struct {
	const char *name;
	void *(*fn)(void *arg);
	int capture, mmap;
} roles[] = {
	{ .name = "play", .fn = stream_role },
	{ .name = "play-mmap", .fn = stream_role, .mmap = 1 },
	{ .name = "capture", .fn = stream_role, .capture = 1 },
	{ .name = "capture-mmap", .fn = stream_role, .capture = 1, .mmap = 1 },
	{ .name = "status", .fn = status_role },
	{ .name = "mixer", .fn = mixer_role },
	{ .name = "open", .fn = open_role },
};

int main(int argc, char **argv)
{
	struct worker w[MAX_ROLES];
	struct stream st[MAX_ROLES];
	struct stream *last = NULL;
	int nw = 0, ok = 1, opt, i, r;

	while ((opt = getopt(argc, argv, "c:s:uH:zr:p:n:a:L:R:")) != -1) {
		switch (opt) {
		case 'c':
			card = atoi(optarg);
			break;
		case 's':
			seconds = atof(optarg);
			break;
		case 'u':
			until_unplug = 1;
			break;
		case 'H':
			hold = optarg;
			break;
		case 'z':
			expect_silence = 1;
			break;
		case 'r':
			rate = atoi(optarg);
			break;
		case 'p':
			period = atoi(optarg);
			break;
		case 'n':
			periods = atoi(optarg);
			break;
		case 'a':
			amplitude = atof(optarg);
			break;
		case 'L':
			freq[0] = atof(optarg);
			break;
		case 'R':
			freq[1] = atof(optarg);
			break;
		default:
			print_help();
		}
	}
	if (optind >= argc || argc - optind > MAX_ROLES || !rate || !period)
		print_help();
	if (seconds < 0)
		seconds = until_unplug ? 60 : 2;
	signal(SIGBUS, on_sigbus);
	t_start = now();
	memset(w, 0, sizeof(w));
	memset(st, 0, sizeof(st));

	/* Open every stream first, so the other roles find them open. */
	for (nw = 0; nw < argc - optind; nw++) {
		const char *where;
		int ret;

		w[nw].role = argv[optind + nw];
		for (r = 0; r < (int)ARRAY_SIZE(roles); r++)
			if (!strcmp(w[nw].role, roles[r].name))
				break;
		if (r == (int)ARRAY_SIZE(roles))
			print_help();
		if (roles[r].fn == status_role) {
			if (!last)
				print_help();
			w[nw].st = last;
			continue;
		}
		if (roles[r].fn != stream_role)
			continue;
		last = &st[nw];
		last->fd = -1;
		last->capture = roles[r].capture;
		last->mmap = roles[r].mmap;
		last->rate = rate;
		last->period = period;
		last->periods = periods;
		w[nw].st = last;
		ret = stream_open(last, &where);
		if (ret) {
			end(&w[nw], ret, where);
			last->open_err = ret;
			atomic_store(&last->done, 1);
		}
	}

	for (i = 0; i < nw; i++) {
		for (r = 0; strcmp(w[i].role, roles[r].name); r++)
			;
		/*
		 * A stream that did not open (or configure) does not run, and
		 * the roles on it share its fate: its error, at "stream".
		 */
		if (w[i].st && atomic_load(&w[i].st->done)) {
			if (!w[i].where)
				end(&w[i], w[i].st->open_err, "stream");
			continue;
		}
		if (roles[r].fn == stream_role)
			atomic_fetch_add(&streams_running, 1);
		if (pthread_create(&w[i].tid, NULL, roles[r].fn, &w[i])) {
			perror("pthread_create");
			return 2;
		}
		w[i].started = 1;
	}
	for (i = 0; i < nw; i++)
		if (w[i].started)
			pthread_join(w[i].tid, NULL);
	if (hold)
		hold_files(w, st, nw);
	for (i = 0; i < nw; i++)
		if (w[i].st == &st[i])
			stream_close(&st[i]);

	for (i = 0; i < nw; i++) {
		int good = until_unplug ? unplug_ending(w[i].end) : !w[i].end;

		good = good && !w[i].bad;
		ok = ok && good;
		printf("es1370-load: %s: %lu %s, %lu xruns, %lu stalls, %lu bad, ",
		       w[i].role, w[i].ops, w[i].st == &st[i] ? "frames" : "calls",
		       w[i].xruns, w[i].stalls, w[i].bad);
		printf("end[%s]=%s@%s after %.2fs, %.2fs idle%s\n",
		       w[i].role, end_name(w[i].end), w[i].where ? w[i].where : "-",
		       w[i].t_end, w[i].t_idle, good ? "" : " FAILED");
		if (w[i].stalls)
			printf("es1370-load: %s: last stall: %s\n", w[i].role,
			       w[i].stall);
	}
	printf("es1370-load: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
