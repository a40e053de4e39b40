// SPDX-License-Identifier: GPL-2.0
/*
 * hostile-load: every file operation a character device can meet, from
 * several threads at once, racing the device's removal.
 *
 *   hostile-load -k edu|ticker [-d DEVICE] [-t THREADS] [-s SECONDS] [-u]
 *                [-r FILE]
 *
 * The threads share a few open files ("slots") and open their own, and
 * each picks at random among: open and close, replacing a shared file
 * under the others (dup2), dup and close (->flush), poll, epoll, fasync
 * (O_ASYNC set, cleared, or left set until the final close), mmap (the
 * mapping kept past the close and the removal), splice in both
 * directions, flock and POSIX locks, fsync, /proc fdinfo, and the
 * device's own read, write and ioctls with their answers checked.
 *
 * With -u the run ends when the device is gone: each thread stops after
 * it has seen that (ENODEV, or an open that finds no device) and done a
 * few more operations on the dead files.  Otherwise it ends after SECONDS
 * (default 5).  Then the mappings are checked and unmapped, and the
 * shared files are closed, with O_ASYNC still set on some.  With -r, FILE
 * is created once the shared files are open and the threads started: a
 * removal before that would find a load that never saw the device.
 *
 * Every outcome is counted, per operation.  An errno the kernel may
 * rightly return for an operation on a device that is gone or that does
 * not implement it (ENODEV, EINVAL, ENOTTY, EBADF, and a few per
 * operation) is fine; any other errno, a wrong answer, or a mapping that
 * changed under its owner is a failure.  A mapping that raises SIGBUS
 * after the removal is fine.  Prints one line per operation, then
 * "hostile-load: N operations, N failures, device gone: yes|no" and exits
 * 1 on any failure.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "../../examples/include/edu_ioctl.h"
#include "../../examples/include/ticker_ioctl.h"

#define SLOTS		4
#define MAX_THREADS	32
#define MAPS		4	/* mappings a thread keeps at once */
#define MAP_LEN		4096
#define AFTER_GONE	20	/* operations on dead files after "gone" */

enum op {
	OP_OPEN_CLOSE, OP_REPLACE, OP_DUP_CLOSE, OP_POLL, OP_EPOLL,
	OP_FASYNC, OP_MMAP, OP_SPLICE_READ, OP_SPLICE_WRITE, OP_FLOCK,
	OP_POSIX_LOCK, OP_FSYNC, OP_FDINFO, OP_READ, OP_WRITE, OP_IOCTL,
	OP_CHECKED, NR_OPS
};

static const char *const op_name[NR_OPS] = {
	"open+close", "replace(dup2)", "dup+close", "poll", "epoll",
	"fasync", "mmap", "splice-read", "splice-write", "flock",
	"posix-lock", "fsync", "fdinfo", "read", "write", "ioctl",
	"checked-io",
};

/* Outcomes: 0 is success, 1..NR_ERRNO an errno, then the special ones. */
#define NR_ERRNO	134
#define OUT_SIGBUS	(NR_ERRNO + 1)
#define OUT_WRONG	(NR_ERRNO + 2)
#define NR_OUT		(NR_ERRNO + 3)

static atomic_ulong count[NR_OPS][NR_OUT];
static atomic_ulong n_sigio;
static atomic_int failures;

static enum { DEV_EDU, DEV_TICKER } kind;
static const char *dev;
static int slot[SLOTS];
static int epfd;
static atomic_int stop;

struct thread {
	pthread_t tid;
	unsigned int seed;
	int saw_gone;		/* this thread has seen the device gone */
	int left;		/* operations left after that */
	void *map[MAPS];	/* mappings kept, with our pattern in them */
	unsigned char pattern[MAPS];
	sigjmp_buf bus;		/* where SIGBUS on a mapping lands */
	volatile sig_atomic_t touching;
};

static __thread struct thread *self;

/* Errnos that are a fine answer from this operation. */
static int acceptable(enum op op, int err)
{
	switch (err) {
	case ENODEV:
	case EINVAL:
	case ENOTTY:
	case EBADF:
		return 1;
	case ENOENT:
	case ENXIO:
		return op == OP_OPEN_CLOSE || op == OP_REPLACE || op == OP_MMAP;
	case EWOULDBLOCK:
		return op == OP_FLOCK || op == OP_POSIX_LOCK;
	case EINTR:	/* poll and epoll_wait do not restart after SIGIO */
		return op == OP_POLL || op == OP_EPOLL;
	case EACCES:	/* fcntl locks held by another open file */
		return op == OP_POSIX_LOCK;
	case ESPIPE:
		return op == OP_SPLICE_READ || op == OP_SPLICE_WRITE;
	}
	return 0;
}

static const char *out_name(int out)
{
	static char buf[16];

	if (out == 0)
		return "ok";
	if (out == OUT_SIGBUS)
		return "SIGBUS";
	if (out == OUT_WRONG)
		return "WRONG";
	/* strerrorname_np() is glibc 2.32; keep the common names here. */
	switch (out) {
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case EBADF: return "EBADF";
	case ENOENT: return "ENOENT";
	case ENXIO: return "ENXIO";
	case EWOULDBLOCK: return "EAGAIN";
	case EINTR: return "EINTR";
	case EACCES: return "EACCES";
	case ESPIPE: return "ESPIPE";
	case EFAULT: return "EFAULT";
	case EIO: return "EIO";
	case ENOMEM: return "ENOMEM";
	case EBUSY: return "EBUSY";
	case EPERM: return "EPERM";
	}
	snprintf(buf, sizeof(buf), "errno%d", out);
	return buf;
}

/* Count an outcome; note that the device is gone; flag failures. */
static void outcome(enum op op, int out)
{
	if (out < 0 || out >= NR_OUT)
		out = NR_ERRNO;
	atomic_fetch_add(&count[op][out], 1);
	if (out == OUT_WRONG || (out && out <= NR_ERRNO && !acceptable(op, out))) {
		if (atomic_fetch_add(&failures, 1) < 10)
			fprintf(stderr, "hostile-load: %s: %s\n", op_name[op],
				out_name(out));
	}
	/* mmap() of a file without ->mmap fails with ENODEV too. */
	if (self && !self->saw_gone &&
	    ((out == ENODEV && op != OP_MMAP) ||
	     ((op == OP_OPEN_CLOSE || op == OP_REPLACE || op == OP_MMAP) &&
	      (out == ENOENT || out == ENXIO)))) {
		self->saw_gone = 1;
		self->left = AFTER_GONE;
	}
}

static void result(enum op op, long ret)
{
	outcome(op, ret < 0 ? errno : 0);
}

static int open_dev(int flags)
{
	return open(dev, (kind == DEV_EDU ? O_RDWR : O_RDONLY) | flags);
}

static int pick_slot(void)
{
	return slot[rand_r(&self->seed) % SLOTS];
}

static void on_sigio(int sig)
{
	atomic_fetch_add(&n_sigio, 1);
}

static void on_sigbus(int sig)
{
	if (self && self->touching)
		siglongjmp(self->bus, 1);
	signal(SIGBUS, SIG_DFL);
	raise(SIGBUS);
}

/*
 * Write @pattern to a mapping, or check it is still there: the pages stay
 * what their owner wrote, or the access faults (SIGBUS) once the device
 * is gone.  Anything else means someone else's memory is mapped.
 */
static int touch_map(unsigned char *p, unsigned char pattern, int write)
{
	size_t i;

	self->touching = 1;
	if (sigsetjmp(self->bus, 1)) {
		self->touching = 0;
		return OUT_SIGBUS;
	}
	for (i = 0; i < MAP_LEN; i++) {
		if (write)
			p[i] = pattern ^ i;
		else if (p[i] != (unsigned char)(pattern ^ i))
			break;
	}
	self->touching = 0;
	return i == MAP_LEN ? 0 : OUT_WRONG;
}

static void op_mmap(void)
{
	unsigned int k = rand_r(&self->seed) % MAPS;
	void *p;
	int fd;

	if (self->map[k]) {		/* check and drop an old one */
		outcome(OP_MMAP, touch_map(self->map[k], self->pattern[k], 0));
		munmap(self->map[k], MAP_LEN);
		self->map[k] = NULL;
		return;
	}
	fd = open_dev(0);
	if (fd < 0) {
		result(OP_MMAP, -1);
		return;
	}
	p = mmap(NULL, MAP_LEN, PROT_READ | (kind == DEV_EDU ? PROT_WRITE : 0),
		 MAP_SHARED, fd, 0);
	close(fd);			/* the mapping keeps the file */
	if (p == MAP_FAILED) {
		result(OP_MMAP, -1);
		return;
	}
	if (kind != DEV_EDU) {		/* read-only: nothing to check */
		munmap(p, MAP_LEN);
		outcome(OP_MMAP, 0);
		return;
	}
	self->map[k] = p;
	self->pattern[k] = rand_r(&self->seed);
	outcome(OP_MMAP, touch_map(p, self->pattern[k], 1));
}

static void op_fasync(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0) {
		result(OP_FASYNC, -1);
		return;
	}
	if (fcntl(fd, F_SETOWN, getpid()) < 0) {
		result(OP_FASYNC, -1);
		return;
	}
	result(OP_FASYNC, fcntl(fd, F_SETFL, fl ^ O_ASYNC));
}

static void op_splice(int fd, int to_dev)
{
	char buf[64];
	int p[2];
	long n;

	if (pipe2(p, O_NONBLOCK) < 0) {
		result(to_dev ? OP_SPLICE_WRITE : OP_SPLICE_READ, -1);
		return;
	}
	if (to_dev) {
		memset(buf, 0x5a, sizeof(buf));
		if (write(p[1], buf, sizeof(buf)) != sizeof(buf))
			abort();
		n = splice(p[0], NULL, fd, NULL, sizeof(buf), 0);
		result(OP_SPLICE_WRITE, n);
	} else {
		n = splice(fd, NULL, p[1], NULL, kind == DEV_EDU ? 8 : 64, 0);
		result(OP_SPLICE_READ, n);
	}
	close(p[0]);
	close(p[1]);
}

static void op_fdinfo(int fd)
{
	char path[64], buf[512];
	int f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = open(path, O_RDONLY);
	if (f < 0) {
		result(OP_FDINFO, -1);
		return;
	}
	result(OP_FDINFO, read(f, buf, sizeof(buf)));
	close(f);
}

static __u32 factorial(__u32 n)
{
	__u32 r = 1;

	while (n > 1)
		r *= n--;
	return r;
}

/* The device's own operations, answers checked. */
static void op_checked(int fd)
{
	if (kind == DEV_EDU) {
		unsigned char in[256], out[256];
		struct edu_roundtrip rt = {
			.in = (uintptr_t)in, .out = (uintptr_t)out,
			.len = rand_r(&self->seed) % sizeof(in) + 1,
		};
		__u32 n = rand_r(&self->seed) % 12 + 1, v = n;
		unsigned int i;

		if (rand_r(&self->seed) & 1) {
			if (ioctl(fd, EDU_IOC_FACTORIAL, &v) < 0) {
				result(OP_CHECKED, -1);
			} else if (v != factorial(n)) {
				fprintf(stderr, "hostile-load: factorial(%u) = %u, not %u\n",
					n, v, factorial(n));
				outcome(OP_CHECKED, OUT_WRONG);
			} else {
				outcome(OP_CHECKED, 0);
			}
			return;
		}
		for (i = 0; i < rt.len; i++)
			in[i] = rand_r(&self->seed);
		memset(out, 0x77, sizeof(out));
		if (ioctl(fd, EDU_IOC_ROUNDTRIP, &rt) < 0) {
			result(OP_CHECKED, -1);
		} else if (memcmp(in, out, rt.len)) {
			for (i = 0; in[i] == out[i]; i++)
				;
			fprintf(stderr, "hostile-load: round trip of %u bytes: byte %u sent %#x, got %#x (%02x %02x %02x %02x ...)\n",
				rt.len, i, in[i], out[i], out[0], out[1], out[2], out[3]);
			outcome(OP_CHECKED, OUT_WRONG);
		} else {
			outcome(OP_CHECKED, 0);
		}
	} else {
		__u64 s[4];
		long n = read(fd, s, sizeof(s));
		unsigned int i;

		if (n < 0) {
			result(OP_CHECKED, -1);
			return;
		}
		/* One read's samples are consecutive ring entries: they grow. */
		for (i = 1; i < n / sizeof(s[0]); i++)
			if (s[i] <= s[i - 1])
				break;
		outcome(OP_CHECKED, n % sizeof(s[0]) || i < n / sizeof(s[0]) ?
			OUT_WRONG : 0);
	}
}

static void one_op(void)
{
	enum op op = rand_r(&self->seed) % NR_OPS;
	int fd = pick_slot(), nfd;
	struct pollfd pfd;
	struct epoll_event ev;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	__u32 v;

	switch (op) {
	case OP_OPEN_CLOSE:
		nfd = open_dev(0);
		result(op, nfd);
		if (nfd >= 0) {
			if (rand_r(&self->seed) & 1)
				op_fasync(nfd);	/* closed with O_ASYNC set */
			close(nfd);
		}
		break;
	case OP_REPLACE:
		nfd = open_dev(0);
		if (nfd < 0) {
			result(op, -1);
			break;
		}
		result(op, dup2(nfd, fd));
		close(nfd);
		break;
	case OP_DUP_CLOSE:
		nfd = dup(fd);
		result(op, nfd < 0 ? -1 : close(nfd));
		break;
	case OP_POLL:
		pfd.fd = fd;
		pfd.events = POLLIN | POLLOUT | POLLPRI;
		result(op, poll(&pfd, 1, rand_r(&self->seed) % 20));
		break;
	case OP_EPOLL:
		result(op, epoll_wait(epfd, &ev, 1, rand_r(&self->seed) % 20));
		break;
	case OP_FASYNC:
		op_fasync(fd);
		break;
	case OP_MMAP:
		op_mmap();
		break;
	case OP_SPLICE_READ:
	case OP_SPLICE_WRITE:
		op_splice(fd, op == OP_SPLICE_WRITE);
		break;
	case OP_FLOCK:
		result(op, flock(fd, (rand_r(&self->seed) & 1 ? LOCK_EX : LOCK_UN) |
				 LOCK_NB));
		break;
	case OP_POSIX_LOCK:
		/* Needs a writable file: edu only. */
		if (kind != DEV_EDU)
			fl.l_type = F_RDLCK;
		if (rand_r(&self->seed) & 1)
			fl.l_type = F_UNLCK;
		result(op, fcntl(fd, F_SETLK, &fl));
		break;
	case OP_FSYNC:
		result(op, fsync(fd));
		break;
	case OP_FDINFO:
		op_fdinfo(fd);
		break;
	case OP_READ:
		/* edu: waits for the next completion; ticker: the next tick. */
		if (kind == DEV_EDU) {
			__u64 c;

			result(op, read(fd, &c, sizeof(c)));
		} else {
			__u64 s;

			result(op, read(fd, &s, sizeof(s)));
		}
		break;
	case OP_WRITE:
		if (kind == DEV_EDU) {
			unsigned char b[128];

			memset(b, 0xa5, sizeof(b));
			result(op, write(fd, b, rand_r(&self->seed) % sizeof(b) + 1));
		} else {
			result(op, write(fd, "x", 1));
		}
		break;
	case OP_IOCTL:
		v = kind == DEV_EDU ? 5 : rand_r(&self->seed) % 5 + 1;
		result(op, ioctl(fd, rand_r(&self->seed) % 8 ? (kind == DEV_EDU ?
			EDU_IOC_FACTORIAL : TICKER_IOC_PERIOD) : _IO('Z', 99), &v));
		break;
	case OP_CHECKED:
		op_checked(fd);
		break;
	case NR_OPS:
		break;
	}
}

static void *thread_main(void *arg)
{
	self = arg;
	while (!atomic_load(&stop)) {
		one_op();
		if (self->saw_gone && --self->left == 0)
			break;
	}
	return NULL;
}

static void print_usage(const char *argv0)
{
	fprintf(stderr, "usage: %s -k edu|ticker [-d dev] [-t threads] [-s seconds] [-u] [-r file]\n",
		argv0);
	exit(2);
}

int main(int argc, char **argv)
{
	static struct thread th[MAX_THREADS];
	int threads = 6, seconds = 5, until_gone = 0, opt, i, k, o;
	const char *ready = NULL;
	unsigned long total = 0;
	int gone = 0;
	struct sigaction sa = { .sa_flags = SA_RESTART };
	struct thread main_self = { .seed = 1 };

	while ((opt = getopt(argc, argv, "k:d:t:s:ur:")) != -1) {
		switch (opt) {
		case 'k':
			if (!strcmp(optarg, "edu"))
				kind = DEV_EDU;
			else if (!strcmp(optarg, "ticker"))
				kind = DEV_TICKER;
			else
				print_usage(argv[0]);
			break;
		case 'd':
			dev = optarg;
			break;
		case 't':
			threads = atoi(optarg);
			break;
		case 's':
			seconds = atoi(optarg);
			break;
		case 'u':
			until_gone = 1;
			break;
		case 'r':
			ready = optarg;
			break;
		default:
			print_usage(argv[0]);
		}
	}
	if (!dev)
		dev = kind == DEV_EDU ? "/dev/edu" : "/dev/ticker";
	if (threads < 1 || threads > MAX_THREADS)
		threads = 6;

	sa.sa_handler = on_sigio;
	sigaction(SIGIO, &sa, NULL);
	sa.sa_handler = on_sigbus;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);

	epfd = epoll_create1(0);
	for (i = 0; i < SLOTS; i++) {
		struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT | EPOLLET };

		slot[i] = open_dev(0);
		if (slot[i] < 0) {
			perror(dev);
			return 2;
		}
		epoll_ctl(epfd, EPOLL_CTL_ADD, slot[i], &ev);
	}

	for (i = 0; i < threads; i++) {
		th[i].seed = i * 7919 + time(NULL);
		pthread_create(&th[i].tid, NULL, thread_main, &th[i]);
	}
	/* The files are open: the caller may take the device away now. */
	if (ready)
		close(open(ready, O_CREAT | O_WRONLY, 0644));
	if (!until_gone) {
		sleep(seconds);
		atomic_store(&stop, 1);
		/* Wake readers waiting for a completion. */
		if (kind == DEV_EDU) {
			__u32 v = 1;

			for (i = 0; i < threads; i++)
				ioctl(slot[0], EDU_IOC_FACTORIAL, &v);
		}
	}
	for (i = 0; i < threads; i++)
		pthread_join(th[i].tid, NULL);

	/* What the threads left behind: mappings, then files. */
	self = &main_self;
	for (i = 0; i < threads; i++)
		for (k = 0; k < MAPS; k++) {
			if (!th[i].map[k])
				continue;
			outcome(OP_MMAP, touch_map(th[i].map[k], th[i].pattern[k], 0));
			munmap(th[i].map[k], MAP_LEN);
		}
	for (i = 0; i < SLOTS; i++) {
		if (i & 1)
			op_fasync(slot[i]);	/* O_ASYNC at the final fput */
		result(OP_OPEN_CLOSE, close(slot[i]));
	}
	close(epfd);

	for (k = 0; k < NR_OPS; k++) {
		unsigned long n = 0;

		printf("hostile-load: %-13s", op_name[k]);
		for (o = 0; o < NR_OUT; o++) {
			unsigned long c = atomic_load(&count[k][o]);

			if (!c)
				continue;
			printf(" %s=%lu", out_name(o), c);
			n += c;
		}
		printf("\n");
		total += n;
	}
	for (i = 0; i < threads; i++)
		gone |= th[i].saw_gone;
	printf("hostile-load: %s, %d threads, %lu operations, %lu SIGIO, %d failures, device gone: %s\n",
	       dev, threads, total, atomic_load(&n_sigio),
	       atomic_load(&failures), gone ? "yes" : "no");
	return atomic_load(&failures) ? 1 : 0;
}
