// SPDX-License-Identifier: GPL-2.0
/*
 * edu-stall: stall /dev/edu's read, write and ioctls on user pages that
 * userfaultfd never fills, until told to.
 *
 *   edu-stall [-d DEVICE]
 *
 * One thread per way the driver touches user memory - write() reading
 * its buffer, EDU_IOC_READBACK and read() writing theirs, EDU_IOC_FACTORIAL
 * reading and writing its argument, EDU_IOC_ROUNDTRIP reading its input
 * and its argument structure - passes a page registered with userfaultfd
 * (missing-page mode).  The kernel's copy faults and waits for us.  Once
 * every thread is stalled so, or after 20 s, it prints
 *
 *   edu-stall: N of 6 stalled: NAME...
 *
 * and waits for SIGUSR1.  Then it fills the pages (UFFDIO_COPY), lets the
 * calls finish, and prints what each returned:
 *
 *   edu-stall: write=ENODEV readback=ok ...
 *
 * Exit status: 0 when every call returned success or ENODEV, 1 otherwise,
 * 2 when userfaultfd could not be set up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "../../examples/include/edu_ioctl.h"

enum { S_WRITE, S_READBACK, S_READ, S_FACTORIAL, S_RT_IN, S_RT_ARG, NR };

static const char *const name[NR] = {
	"write", "readback", "read", "factorial", "roundtrip-in",
	"roundtrip-arg",
};

static long page;
static char *area;		/* NR pages, registered with userfaultfd */
static int fd;
static int ret[NR];		/* 0, or the errno */
static int done[NR];

static void *stall(void *arg)
{
	int i = (intptr_t)arg;
	char *p = area + i * page;
	struct edu_xfer x = { .buf = (uintptr_t)p, .len = 64 };
	struct edu_roundtrip rt = { .in = (uintptr_t)p, .len = 64 };
	static char out[NR][64];
	long r = 0;

	rt.out = (uintptr_t)out[i];
	switch (i) {
	case S_WRITE:
		r = write(fd, p, 64);
		break;
	case S_READBACK:
		r = ioctl(fd, EDU_IOC_READBACK, &x);
		break;
	case S_READ:
		r = read(fd, p, 8);
		break;
	case S_FACTORIAL:
		r = ioctl(fd, EDU_IOC_FACTORIAL, p);
		break;
	case S_RT_IN:
		r = ioctl(fd, EDU_IOC_ROUNDTRIP, &rt);
		break;
	case S_RT_ARG:
		r = ioctl(fd, EDU_IOC_ROUNDTRIP, p);
		break;
	}
	ret[i] = r < 0 ? errno : 0;
	__atomic_store_n(&done[i], 1, __ATOMIC_RELEASE);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/edu";
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	pthread_t tid[NR];
	int uffd, i, opt, stalled = 0, bad = 0, sig;
	int faulted[NR] = { 0 };
	char *fill;
	sigset_t set;
	time_t end;

	while ((opt = getopt(argc, argv, "d:")) != -1) {
		if (opt != 'd')
			return 2;
		dev = optarg;
	}
	page = sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		perror("edu-stall: userfaultfd");
		return 2;
	}
	area = mmap(NULL, NR * page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return 2;
	reg.range.start = (uintptr_t)area;
	reg.range.len = NR * page;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		perror("edu-stall: UFFDIO_REGISTER");
		return 2;
	}
	fd = open(dev, O_RDWR);
	if (fd < 0) {
		perror(dev);
		return 2;
	}

	/* Only the main thread takes SIGUSR1. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	/* read() first: it waits for the completion of readback's DMA. */
	pthread_create(&tid[S_READ], NULL, stall, (void *)(intptr_t)S_READ);
	usleep(200000);
	for (i = 0; i < NR; i++)
		if (i != S_READ)
			pthread_create(&tid[i], NULL, stall, (void *)(intptr_t)i);

	/* Count the faults as they come; nothing resolves them yet. */
	end = time(NULL) + 20;
	while (stalled < NR && time(NULL) < end) {
		struct pollfd pfd = { .fd = uffd, .events = POLLIN };
		struct uffd_msg msg;

		if (poll(&pfd, 1, 200) <= 0)
			continue;
		while (read(uffd, &msg, sizeof(msg)) == sizeof(msg)) {
			if (msg.event != UFFD_EVENT_PAGEFAULT)
				continue;
			i = (msg.arg.pagefault.address - (uintptr_t)area) / page;
			if (i >= 0 && i < NR && !faulted[i]) {
				faulted[i] = 1;
				stalled++;
			}
		}
	}
	printf("edu-stall: %d of %d stalled:", stalled, NR);
	for (i = 0; i < NR; i++)
		if (faulted[i])
			printf(" %s", name[i]);
	for (i = 0; i < NR; i++)
		if (!faulted[i] && __atomic_load_n(&done[i], __ATOMIC_ACQUIRE))
			printf(" (%s returned %s)", name[i],
			       ret[i] ? strerror(ret[i]) : "0");
	printf("\n");

	sigwait(&set, &sig);

	/* Fill every page with what its call expects: the copies go on. */
	fill = malloc(page);
	for (i = 0; i < NR; i++) {
		struct uffdio_copy c = {
			.dst = (uintptr_t)area + i * page,
			.src = (uintptr_t)fill,
			.len = page,
		};
		static char in[64], out[64];
		struct edu_roundtrip rt = {
			.in = (uintptr_t)in, .out = (uintptr_t)out, .len = 64,
		};
		__u32 n = 5;

		memset(fill, 0x3c, page);
		if (i == S_FACTORIAL)
			memcpy(fill, &n, sizeof(n));
		if (i == S_RT_ARG)
			memcpy(fill, &rt, sizeof(rt));
		if (ioctl(uffd, UFFDIO_COPY, &c) && errno != EEXIST)
			perror("edu-stall: UFFDIO_COPY");
	}
	for (i = 0; i < NR; i++)
		pthread_join(tid[i], NULL);
	printf("edu-stall:");
	for (i = 0; i < NR; i++) {
		printf(" %s=%s", name[i], !ret[i] ? "ok" :
		       ret[i] == ENODEV ? "ENODEV" : strerror(ret[i]));
		if (ret[i] && ret[i] != ENODEV)
			bad = 1;
	}
	printf("\n");
	return bad;
}
