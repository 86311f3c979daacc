// SPDX-License-Identifier: GPL-2.0
/*
 * hmm-bench: HMM throughput through lib/test_hmm's ioctls.
 *
 * Runs on the stock 6.12 base and on the patched kernel alike: the metrics
 * that are compared use only ioctls that 6.12's test_hmm has. Every metric
 * is measured --reps times, after one unrecorded warm-up iteration; each
 * sample is printed as one line
 *
 *   HMM-BENCH {"metric": M, "backing": B, "size_mib": S, "unit": U,
 *              "value": V}
 *
 * and a metric that this kernel cannot do prints "value": null with the
 * errno in "error". The host (scripts/bench-report.py) takes medians.
 *
 * With -y DEV (a serial port), two guests, one per kernel, take turns: the
 * program writes 'r' to DEV and waits for a 'g' before its first sample
 * and after each sample (warm-ups included), and writes 'e' when it is
 * done. The host (scripts/bench-pair.py) lets one guest run at a time,
 * alternately, so that the two kernels' samples of the same metric are
 * taken seconds apart and under the same host load.
 *
 * Metrics, each for 4 KiB-backed (MADV_NOHUGEPAGE) and THP-backed
 * (2 MiB aligned, MADV_HUGEPAGE) anonymous memory:
 *   read_fault     HMM_DMIRROR_READ of a range the CPU populated: the device
 *                  faults every page through hmm_range_fault(), pages/s
 *   migrate_to_dev HMM_DMIRROR_MIGRATE_TO_DEV, GB/s
 *   migrate_to_sys HMM_DMIRROR_MIGRATE_TO_SYS, GB/s
 *   memcpy         CPU memcpy of the same size, GB/s: the bound for a
 *                  migration, which copies every byte once
 *   fault_1page    HMM_DMIRROR_READ of one page at a time, each a fault, in
 *                  a window of -w seconds, pages/s: the shape of a device
 *                  fault (16 MiB, 4 KiB-backed only)
 *   fault_1page_contended  the same while another thread takes mmap_lock
 *                  for write on unrelated memory (mmap(), madvise() of vma
 *                  flags, one munmap() per 64 rounds), pages/s; not with
 *                  -a (alone), for a guest with one CPU, where the writer
 *                  could only run instead of the faults, not beside them
 *   exclusive      HMM_DMIRROR_EXCLUSIVE, pages/s (the stock base fails it
 *                  on THP-backed memory)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <lib/test_hmm_uapi.h>

#define MIB		(1UL << 20)
#define TWOMEG		(2 * MIB)

static unsigned long page_size;
static int reps = 5;
static int alone;
static int turn_fd = -1;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* With -y: say this guest is ready, and wait for its turn (or say 'e'). */
static void take_turn(char say)
{
	char c = 0;

	if (turn_fd < 0)
		return;
	if (write(turn_fd, &say, 1) != 1) {
		perror("hmm-bench: turn: write");
		exit(1);
	}
	if (say == 'e')
		return;
	while (read(turn_fd, &c, 1) == 1 && c != 'g')
		;
	if (c != 'g') {
		fprintf(stderr, "hmm-bench: turn: the host went away\n");
		exit(1);
	}
}

static int turn_open(const char *dev)
{
	struct termios t;

	turn_fd = open(dev, O_RDWR | O_NOCTTY);
	if (turn_fd < 0 || tcgetattr(turn_fd, &t))
		return -1;
	cfmakeraw(&t);
	return tcsetattr(turn_fd, TCSANOW, &t);
}

/* Print one sample (not a warm-up's), and let the other guest take a turn. */
static void emit(const char *metric, const char *backing, unsigned long size,
		 const char *unit, double value, int err, int rep)
{
	/* The warm-up iteration (rep -1) is not recorded. */
	if (rep >= 0 && err)
		printf("HMM-BENCH {\"metric\": \"%s\", \"backing\": \"%s\", \"size_mib\": %lu, \"unit\": \"%s\", \"value\": null, \"error\": \"%s\"}\n",
		       metric, backing, size / MIB, unit, strerror(err));
	else if (rep >= 0)
		printf("HMM-BENCH {\"metric\": \"%s\", \"backing\": \"%s\", \"size_mib\": %lu, \"unit\": \"%s\", \"value\": %.6g}\n",
		       metric, backing, size / MIB, unit, value);
	fflush(stdout);
	take_turn('r');
}

struct region {
	void *map;		/* what mmap() returned */
	size_t map_size;
	void *ptr;		/* aligned start */
	size_t size;
};

/* Map and populate @size bytes, THP-backed or 4 KiB-backed. */
static int region_get(struct region *r, size_t size, int thp)
{
	size_t i;

	r->map_size = size + TWOMEG;
	r->map = mmap(NULL, r->map_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->map == MAP_FAILED)
		return errno;
	r->ptr = (void *)(((uintptr_t)r->map + TWOMEG - 1) & ~(TWOMEG - 1));
	r->size = size;
	if (madvise(r->ptr, size, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		return errno;
	for (i = 0; i < size; i += page_size)
		((volatile char *)r->ptr)[i] = (char)(i / page_size);
	return 0;
}

static void region_put(struct region *r)
{
	munmap(r->map, r->map_size);
}

static int dmirror(int fd, unsigned long req, void *addr, void *buf,
		   size_t size, double *secs)
{
	struct hmm_dmirror_cmd cmd = {
		.addr = (uintptr_t)addr,
		.ptr = (uintptr_t)buf,
		.npages = size / page_size,
	};
	double t0 = now();
	int ret;

	do {
		ret = ioctl(fd, req, &cmd);
	} while (ret && errno == EINTR);
	*secs = now() - t0;
	if (ret)
		return errno;
	if (cmd.cpages != size / page_size)
		return EAGAIN;
	return 0;
}

/* A device read of a freshly populated range: every page is a fault. */
static int bench_read(int fd, size_t size, int thp, void *buf, double *secs)
{
	struct region r;
	int err;

	err = region_get(&r, size, thp);
	if (!err)
		err = dmirror(fd, HMM_DMIRROR_READ, r.ptr, buf, size, secs);
	region_put(&r);
	return err;
}

static void metric_read(int fd, size_t size, int thp, void *buf)
{
	const char *b = thp ? "thp" : "4k";
	double secs;
	int i, err;

	for (i = -1; i < reps; i++) {
		err = bench_read(fd, size, thp, buf, &secs);
		emit("read_fault", b, size, "pages/s", size / page_size / secs, err, i);
	}
}

static void metric_migrate(int fd, size_t size, int thp, void *buf)
{
	const char *b = thp ? "thp" : "4k";
	double t_dev, t_sys;
	struct region r;
	int i, err;

	for (i = -1; i < reps; i++) {
		err = region_get(&r, size, thp);
		if (!err)
			err = dmirror(fd, HMM_DMIRROR_MIGRATE_TO_DEV, r.ptr, buf,
				      size, &t_dev);
		emit("migrate_to_dev", b, size, "GB/s", size / t_dev / 1e9, err, i);
		if (!err)
			err = dmirror(fd, HMM_DMIRROR_MIGRATE_TO_SYS, r.ptr, buf,
				      size, &t_sys);
		emit("migrate_to_sys", b, size, "GB/s", size / t_sys / 1e9, err, i);
		region_put(&r);
	}
}

static void metric_memcpy(size_t size)
{
	struct region a, b;
	double t0;
	int i, err;

	err = region_get(&a, size, 1);
	if (!err)
		err = region_get(&b, size, 1);
	for (i = -1; i < reps; i++) {
		t0 = now();
		if (!err)
			memcpy(b.ptr, a.ptr, size);
		emit("memcpy", "thp", size, "GB/s", size / (now() - t0) / 1e9, err, i);
	}
	region_put(&a);
	region_put(&b);
}

static void metric_exclusive(int fd, size_t size, int thp, void *buf)
{
	const char *b = thp ? "thp" : "4k";
	struct region r;
	double secs;
	int i, err;

	for (i = -1; i < reps; i++) {
		err = region_get(&r, size, thp);
		if (!err)
			err = dmirror(fd, HMM_DMIRROR_EXCLUSIVE, r.ptr, buf, size,
				      &secs);
		emit("exclusive", b, size, "pages/s", size / page_size / secs, err, i);
		region_put(&r);
	}
}

struct writer {
	void *ptr;		/* an unpopulated region to madvise() */
	size_t size;
	volatile int stop;
	unsigned long rounds;
};

/*
 * An mmap_lock writer on memory no device touches, which calls no mmu
 * notifier: test_hmm's covers the whole address space, so an invalidation
 * anywhere would make the device faults in flight retry, on either kernel,
 * which is not what this measures. Each round maps a page and flips
 * MADV_RANDOM on an unpopulated region, which changes only vma flags
 * (mprotect() would call the notifiers for every populated PUD of its
 * range). The pages go into a 64-page hole found at the start and are
 * unmapped in one call when it is full, as munmap() calls the notifiers
 * even when nothing was touched. The same writer as hmm-tests'
 * fault_mmap_lock_contention.
 */
static void *writer_fn(void *arg)
{
	struct writer *w = arg;
	size_t hole = 64 * page_size;
	char *base;
	int n = 0;

	base = mmap(NULL, hole, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	munmap(base, hole);
	while (!w->stop) {
		if (mmap(base + n * page_size, page_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			 -1, 0) != MAP_FAILED)
			n++;
		if (n == 64) {
			munmap(base, hole);
			n = 0;
		}
		madvise(w->ptr, w->size, MADV_RANDOM);
		madvise(w->ptr, w->size, MADV_NORMAL);
		w->rounds++;
	}
	if (n)
		munmap(base, n * page_size);
	return NULL;
}

/*
 * One-page device reads, the shape of a device fault, for @window seconds:
 * returns pages per second of ioctl time, or 0 with *err set. The range is
 * dropped with MADV_DONTNEED first and each time the reads reach its end, so
 * that every read faults.
 */
static double fault_pages(int fd, struct region *r, void *buf, double window,
			  int *err)
{
	struct hmm_dmirror_cmd cmd = {
		.ptr = (uintptr_t)buf,
		.npages = 1,
	};
	unsigned long pages = 0, n = r->size / page_size, i = n;
	double busy = 0, t0 = now(), t;
	int ret;

	while (now() - t0 < window) {
		if (i == n) {
			madvise(r->ptr, r->size, MADV_DONTNEED);
			i = 0;
		}
		cmd.addr = (uintptr_t)r->ptr + i * page_size;
		t = now();
		do {
			ret = ioctl(fd, HMM_DMIRROR_READ, &cmd);
		} while (ret && errno == EINTR);
		busy += now() - t;
		if (ret) {
			*err = errno;
			return 0;
		}
		pages++;
		i++;
	}
	*err = 0;
	return pages / busy;
}

/*
 * fault_1page: one-page device reads alone, and fault_1page_contended: the
 * same while writer_fn() takes mmap_lock for write, in alternating windows
 * of @window seconds (with -a, the first only). On the stock kernel every
 * device fault takes mmap_lock; with the series a fault inside one vma
 * takes only its lock.
 */
static void metric_contended(int fd, double window, void *buf)
{
	struct writer w = { .size = 32 * MIB };
	size_t size = 16 * MIB;
	pthread_t thread;
	struct region r;
	int i, err;
	double rate;

	err = region_get(&r, size, 0);
	w.ptr = mmap(NULL, w.size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w.ptr == MAP_FAILED && !err)
		err = errno;
	for (i = -1; i < reps; i++) {
		rate = err ? 0 : fault_pages(fd, &r, buf, window, &err);
		emit("fault_1page", "4k", size, "pages/s", rate, err, i);
		if (alone)
			continue;
		rate = 0;
		if (!err) {
			w.stop = 0;
			err = pthread_create(&thread, NULL, writer_fn, &w);
			if (!err) {
				rate = fault_pages(fd, &r, buf, window, &err);
				w.stop = 1;
				pthread_join(thread, NULL);
			}
		}
		emit("fault_1page_contended", "4k", size, "pages/s", rate,
		     err, i);
	}
	if (!alone)
		printf("# hmm-bench: the mmap_lock writer did %lu rounds\n",
		       w.rounds);
	if (w.ptr != MAP_FAILED)
		munmap(w.ptr, w.size);
	region_put(&r);
}

int main(int argc, char **argv)
{
	unsigned long sizes[16];
	int nsizes = 0, fd, i, opt;
	double window = 1.0;
	size_t max = 0;
	void *buf;

	page_size = sysconf(_SC_PAGESIZE);
	while ((opt = getopt(argc, argv, "as:r:w:y:")) != -1) {
		switch (opt) {
		case 's':
			if (nsizes < 16)
				sizes[nsizes++] = strtoul(optarg, NULL, 0) * MIB;
			break;
		case 'a':
			alone = 1;
			break;
		case 'r':
			reps = atoi(optarg);
			break;
		case 'w':
			window = atof(optarg);
			break;
		case 'y':
			if (turn_open(optarg)) {
				perror(optarg);
				return 1;
			}
			break;
		default:
			fprintf(stderr, "usage: %s [-a] [-s MiB]... [-r reps] [-w seconds] [-y tty]\n",
				argv[0]);
			return 2;
		}
	}
	if (!nsizes) {
		sizes[nsizes++] = 2 * MIB;
		sizes[nsizes++] = 32 * MIB;
	}
	for (i = 0; i < nsizes; i++) {
		if (sizes[i] < TWOMEG || sizes[i] % TWOMEG) {
			fprintf(stderr, "sizes must be multiples of 2 MiB\n");
			return 2;
		}
		if (sizes[i] > max)
			max = sizes[i];
	}
	fd = open("/dev/hmm_dmirror0", O_RDWR);
	if (fd < 0) {
		perror("/dev/hmm_dmirror0");
		return 1;
	}
	buf = malloc(max);
	if (!buf)
		return 1;
	memset(buf, 0, max);

	printf("TAP version 13\n1..1\n");
	printf("# hmm-bench: %d sizes, %d reps, fault window %.2fs%s%s\n",
	       nsizes, reps, window, alone ? ", no writer" : "",
	       turn_fd < 0 ? "" : ", taking turns");
	fflush(stdout);
	take_turn('r');
	for (i = 0; i < nsizes; i++) {
		metric_read(fd, sizes[i], 0, buf);
		metric_read(fd, sizes[i], 1, buf);
		metric_migrate(fd, sizes[i], 0, buf);
		metric_migrate(fd, sizes[i], 1, buf);
		metric_memcpy(sizes[i]);
		metric_exclusive(fd, sizes[i], 0, buf);
		metric_exclusive(fd, sizes[i], 1, buf);
	}
	metric_contended(fd, window, buf);
	take_turn('e');
	printf("ok 1 hmm-bench\n");
	close(fd);
	free(buf);
	return 0;
}
