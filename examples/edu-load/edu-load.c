// SPDX-License-Identifier: GPL-2.0
/*
 * edu-load: drive /dev/edu from several threads and check every answer.
 *
 *   edu-load [-t THREADS] [-s SECONDS] [-d DEVICE] [-u]
 *
 * THREADS workers (default 4) alternate factorials and DMA round trips
 * with random data, and check each result; one more thread sleeps in
 * read().  With -u, the run ends when the device goes away (every thread
 * has seen ENODEV); otherwise after SECONDS (default 5).
 *
 * Prints one summary line; exits 0 when every answer was right and every
 * error was ENODEV from a device that is gone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "../include/edu_ioctl.h"

static int fd;
static int until_unplug;
static atomic_int stop;
static atomic_ulong n_fact, n_dma, n_events, n_bad, n_enodev, n_err;
static atomic_int first_errno;

static void note_error(int err)
{
	int zero = 0;

	if (err == ENODEV) {
		atomic_fetch_add(&n_enodev, 1);
		return;
	}
	atomic_fetch_add(&n_err, 1);
	atomic_compare_exchange_strong(&first_errno, &zero, err);
}

static __u32 factorial(__u32 n)
{
	__u32 r = 1;

	while (n > 1)
		r *= n--;
	return r;
}

static int do_factorial(unsigned int seed)
{
	__u32 n = seed % 12 + 1, v = n;

	if (ioctl(fd, EDU_IOC_FACTORIAL, &v))
		return errno;
	if (v != factorial(n))
		atomic_fetch_add(&n_bad, 1);
	atomic_fetch_add(&n_fact, 1);
	return 0;
}

static int do_roundtrip(unsigned int *seed)
{
	unsigned char in[EDU_BUF_SIZE], out[EDU_BUF_SIZE];
	struct edu_roundtrip rt = {
		.in = (uintptr_t)in,
		.out = (uintptr_t)out,
		.len = rand_r(seed) % EDU_XFER_MAX + 1,
	};
	unsigned int i;

	for (i = 0; i < rt.len; i++)
		in[i] = rand_r(seed);
	if (ioctl(fd, EDU_IOC_ROUNDTRIP, &rt))
		return errno;
	if (memcmp(in, out, rt.len))
		atomic_fetch_add(&n_bad, 1);
	atomic_fetch_add(&n_dma, 1);
	return 0;
}

/* write() then EDU_IOC_READBACK: only meaningful with no other writer. */
static int do_write_readback(void)
{
	unsigned char in[EDU_XFER_MAX], out[EDU_XFER_MAX];
	struct edu_xfer x = { .buf = (uintptr_t)out, .len = sizeof(out) };
	unsigned int i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = i * 31 + 7;
	memset(out, 0, sizeof(out));
	if (write(fd, in, sizeof(in)) != sizeof(in))
		return errno ? errno : EIO;
	if (ioctl(fd, EDU_IOC_READBACK, &x))
		return errno;
	if (memcmp(in, out, sizeof(in)))
		atomic_fetch_add(&n_bad, 1);
	atomic_fetch_add(&n_dma, 1);
	return 0;
}

static void *worker(void *arg)
{
	unsigned int seed = (uintptr_t)arg * 7919 + time(NULL);
	unsigned long i;

	for (i = 0; !atomic_load(&stop); i++) {
		int err = i & 1 ? do_roundtrip(&seed) : do_factorial(seed + i);

		if (err) {
			note_error(err);
			if (err == ENODEV)
				break;
		}
	}
	return NULL;
}

static void *reader(void *arg)
{
	__u64 count;

	while (!atomic_load(&stop)) {
		ssize_t n = read(fd, &count, sizeof(count));

		if (n == sizeof(count)) {
			atomic_fetch_add(&n_events, 1);
			continue;
		}
		note_error(n < 0 ? errno : EIO);
		if (n < 0 && errno == ENODEV)
			break;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/edu";
	int threads = 4, seconds = 5, opt, i;
	pthread_t tid[65];

	while ((opt = getopt(argc, argv, "t:s:d:u")) != -1) {
		switch (opt) {
		case 't':
			threads = atoi(optarg);
			break;
		case 's':
			seconds = atoi(optarg);
			break;
		case 'd':
			dev = optarg;
			break;
		case 'u':
			until_unplug = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-t threads] [-s seconds] [-d dev] [-u]\n",
				argv[0]);
			return 2;
		}
	}
	if (threads < 1 || threads > 64)
		threads = 4;
	fd = open(dev, O_RDWR);
	if (fd < 0) {
		perror(dev);
		return 2;
	}
	i = do_write_readback();
	if (i)
		note_error(i);
	for (i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, worker, (void *)(uintptr_t)i);
	pthread_create(&tid[threads], NULL, reader, NULL);

	if (until_unplug) {
		/* Runs until the workers have all seen the device go. */
		for (i = 0; i < threads; i++)
			pthread_join(tid[i], NULL);
	} else {
		sleep(seconds);
		atomic_store(&stop, 1);
		for (i = 0; i < threads; i++)
			pthread_join(tid[i], NULL);
	}
	atomic_store(&stop, 1);
	/* The reader may still sleep in read(); a completion or ENODEV ends it. */
	if (!until_unplug) {
		__u32 v = 1;

		ioctl(fd, EDU_IOC_FACTORIAL, &v);
	}
	pthread_join(tid[threads], NULL);
	close(fd);

	printf("edu-load: %d threads: %lu factorials, %lu DMA round trips, ",
	       threads, atomic_load(&n_fact), atomic_load(&n_dma));
	printf("%lu events read, %lu wrong answers, %lu ENODEV, %lu other errors",
	       atomic_load(&n_events), atomic_load(&n_bad),
	       atomic_load(&n_enodev), atomic_load(&n_err));
	if (atomic_load(&first_errno))
		printf(" (first: %s)", strerror(atomic_load(&first_errno)));
	printf("\n");
	return atomic_load(&n_bad) || atomic_load(&n_err) ? 1 : 0;
}
