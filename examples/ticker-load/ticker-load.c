// SPDX-License-Identifier: GPL-2.0
/*
 * ticker-load: read /dev/ticker from several threads until it goes away.
 *
 *   ticker-load [-t THREADS] [-d DEVICE]
 *
 * Each thread reads samples and checks that the sequence numbers it sees
 * only grow.  The run ends when every thread has seen ENODEV, i.e. the
 * device was unbound.  Prints one summary line; exits 0 when the samples
 * were in order and every error was ENODEV.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/types.h>
#include "../include/ticker_ioctl.h"

static int fd;
static atomic_ulong n_samples, n_reads, n_bad, n_enodev, n_err;

static void *reader(void *arg)
{
	__u64 buf[16], last = 0;
	int have_last = 0;

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		size_t i;

		if (n < 0) {
			if (errno == ENODEV) {
				atomic_fetch_add(&n_enodev, 1);
				break;
			}
			atomic_fetch_add(&n_err, 1);
			if (atomic_load(&n_err) > 100)
				break;
			continue;
		}
		atomic_fetch_add(&n_reads, 1);
		for (i = 0; i < n / sizeof(__u64); i++) {
			if (have_last && buf[i] <= last)
				atomic_fetch_add(&n_bad, 1);
			last = buf[i];
			have_last = 1;
		}
		atomic_fetch_add(&n_samples, n / sizeof(__u64));
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/ticker";
	int threads = 4, opt, i;
	pthread_t tid[64];
	__u32 ms = 1;

	while ((opt = getopt(argc, argv, "t:d:")) != -1) {
		if (opt == 't')
			threads = atoi(optarg);
		else if (opt == 'd')
			dev = optarg;
		else
			return 2;
	}
	if (threads < 1 || threads > 64)
		threads = 4;
	fd = open(dev, O_RDONLY);
	if (fd < 0) {
		perror(dev);
		return 2;
	}
	if (ioctl(fd, TICKER_IOC_PERIOD, &ms))
		perror("TICKER_IOC_PERIOD");
	for (i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, reader, NULL);
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	/* The device is gone; the open file must fail cleanly, not crash. */
	if (ioctl(fd, TICKER_IOC_PERIOD, &ms) == 0 || errno != ENODEV)
		atomic_fetch_add(&n_err, 1);
	close(fd);
	printf("ticker-load: %d threads: %lu reads, %lu samples, ",
	       threads, atomic_load(&n_reads), atomic_load(&n_samples));
	printf("%lu out of order, %lu ENODEV, %lu other errors\n",
	       atomic_load(&n_bad), atomic_load(&n_enodev), atomic_load(&n_err));
	return atomic_load(&n_bad) || atomic_load(&n_err) ? 1 : 0;
}
