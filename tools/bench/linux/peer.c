/*
 * peer.c - the Linux side of `make bench`: the operations Pagoda's rows
 * measure, run by Debian's kernel on the same QEMU machine. Built on the host
 * with `gcc -static` and started by the initramfs's /init.
 *
 *   peer sys               system-call and memory costs, TSC cycles per operation
 *   peer disk DEV BYTES    O_DIRECT sequential reads at 4K/64K/1M/4M, queue depth 1
 *   peer fs DIR            64 MiB file write+fsync, cold and cached reads; 1000 small files
 *
 * Every figure is one line "LINUX <key> <value> <unit>" (tools/bench/side_by_side.py
 * pairs the keys with Pagoda's). Cycles are rdtsc, as Pagoda's in-kernel
 * benchmarks use, so the two columns share a unit under the same TCG; MB is
 * 10^6 bytes, as dbench prints it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report(const char *key, double value, const char *unit)
{
	printf("LINUX %s %.2f %s\n", key, value, unit);
	fflush(stdout);
}

static void die(const char *what)
{
	printf("LINUX-ERROR %s: %s\n", what, strerror(errno));
	fflush(stdout);
	exit(1);
}

/* Both processes of a ping-pong on one CPU, so every hand-over is a switch. */
static void pin_to_cpu0(void)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

/* ---- system calls and memory ------------------------------------------------ */

static void null_syscall(void)
{
	const int n = 200000;
	uint64_t t = rdtsc();
	for (int i = 0; i < n; i++)
		syscall(SYS_getppid);   /* getppid: no vDSO shortcut, no caching in libc */
	report("sys.null_syscall", (double)(rdtsc() - t) / n, "cycles");
}

/* len bytes there and one back through two pipes: the IPC round trip of a
 * monolithic kernel (two system calls and one switch each way). With 4 KiB
 * it pairs with ipcbench's 4 KiB request (an empty reply, as a write's). */
static void pipe_round_trip(const char *key, size_t len, int n)
{
	static char buf[4096];
	int there[2], back[2];
	if (pipe(there) || pipe(back))
		die("pipe");
	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		for (int i = 0; i < n; i++) {
			size_t got = 0;
			while (got < len) {
				ssize_t r = read(there[0], buf + got, len - got);
				if (r <= 0)
					_exit(1);
				got += (size_t)r;
			}
			if (write(back[1], buf, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	uint64_t t = rdtsc();
	for (int i = 0; i < n; i++)
		if (write(there[1], buf, len) != (ssize_t)len || read(back[0], buf, 1) != 1)
			die("pipe round trip");
	report(key, (double)(rdtsc() - t) / n, "cycles");
	waitpid(child, NULL, 0);
	close(there[0]); close(there[1]); close(back[0]); close(back[1]);
}

/* 16 MiB one way through a pipe in 4 KiB writes, read in 4 KiB reads:
 * the throughput row beside Pagoda's kernel pipe (ipcbench). */
static void pipe_stream(void)
{
	static char buf[4096];
	const size_t total = 16 << 20;
	int fd[2];
	if (pipe(fd))
		die("pipe");
	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		close(fd[1]);
		while (read(fd[0], buf, sizeof(buf)) > 0)
			;
		_exit(0);
	}
	close(fd[0]);
	double t = now_s();
	for (size_t done = 0; done < total; done += sizeof(buf))
		if (write(fd[1], buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			die("pipe stream");
	close(fd[1]);
	waitpid(child, NULL, 0);
	report("sys.pipe_stream_4k.mbs", total / (now_s() - t) / 1e6, "MB/s");
}

/* Two processes on one CPU hand a turn back and forth with sched_yield():
 * each waits (yielding) until the shared word says it is its turn. The
 * figure is per switch: half a round. */
static void yield_pingpong(void)
{
	const int rounds = 20000;
	volatile int *turn = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (turn == MAP_FAILED)
		die("mmap shared");
	*turn = 0;
	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		for (int i = 0; i < rounds; i++) {
			while (*turn != 1)
				sched_yield();
			*turn = 0;
		}
		_exit(0);
	}
	uint64_t t = rdtsc();
	for (int i = 0; i < rounds; i++) {
		*turn = 1;
		while (*turn != 0)
			sched_yield();
	}
	report("sys.yield_switch", (double)(rdtsc() - t) / (2.0 * rounds), "cycles");
	waitpid(child, NULL, 0);
	munmap((void *)turn, 4096);
}

static void fork_exit_wait(void)
{
	const int n = 500;
	uint64_t t = rdtsc();
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		if (p < 0)
			die("fork");
		if (p == 0)
			_exit(0);
		waitpid(p, NULL, 0);
	}
	report("sys.fork_exit_wait", (double)(rdtsc() - t) / n, "cycles");
}

/* First touch of fresh anonymous pages, then a write to each page of the
 * same area in a child: a copy-on-write fault per page. */
static void page_faults(void)
{
	const size_t pages = 8192, len = pages * 4096;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		die("mmap");
	madvise(m, len, MADV_NOHUGEPAGE);   /* 4 KiB faults, as the row says */
	uint64_t t = rdtsc();
	for (size_t k = 0; k < pages; k++)
		m[k * 4096] = 1;
	report("sys.anon_fault", (double)(rdtsc() - t) / pages, "cycles");

	pid_t p = fork();
	if (p < 0)
		die("fork");
	if (p == 0) {
		t = rdtsc();
		for (size_t k = 0; k < pages; k++)
			m[k * 4096] = 2;
		report("sys.cow_fault", (double)(rdtsc() - t) / pages, "cycles");
		_exit(0);
	}
	waitpid(p, NULL, 0);
	munmap(m, len);
}

static void mmap_munmap_64k(void)
{
	const int n = 5000;
	uint64_t t = rdtsc();
	for (int i = 0; i < n; i++) {
		void *x = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (x == MAP_FAILED)
			die("mmap 64k");
		munmap(x, 65536);
	}
	report("sys.mmap_munmap_64k", (double)(rdtsc() - t) / n, "cycles");
}

static int run_sys(void)
{
	pin_to_cpu0();
	null_syscall();
	pipe_round_trip("sys.pipe_round_trip", 1, 20000);
	pipe_round_trip("sys.pipe_round_trip_4k", 4096, 2000);
	pipe_stream();
	yield_pingpong();
	fork_exit_wait();
	page_faults();
	mmap_munmap_64k();
	return 0;
}

/* ---- the raw disk --------------------------------------------------------------- */

/* dbench's QD1 rows: `bytes` read from offset 0 in requests of `size`, one
 * at a time, bypassing the page cache (O_DIRECT), so each request is a
 * command to the AHCI disk as it is for dbench. */
static int run_disk(const char *dev, long long bytes)
{
	static const struct { const char *name; size_t size; } sizes[] = {
		{ "4K", 4096 }, { "64K", 65536 }, { "1M", 1 << 20 }, { "4M", 4 << 20 },
	};
	int fd = open(dev, O_RDONLY | O_DIRECT);
	if (fd < 0)
		die(dev);
	void *buf;
	if (posix_memalign(&buf, 4096, 4 << 20))
		die("posix_memalign");
	for (unsigned int s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t size = sizes[s].size;
		long long n = bytes / (long long)size;
		double t = now_s();
		for (long long i = 0; i < n; i++)
			if (pread(fd, buf, size, i * (off_t)size) != (ssize_t)size)
				die("O_DIRECT read");
		t = now_s() - t;
		char key[32];
		snprintf(key, sizeof(key), "disk.%s.mbs", sizes[s].name);
		report(key, n * (double)size / t / 1e6, "MB/s");
		snprintf(key, sizeof(key), "disk.%s.iops", sizes[s].name);
		report(key, n / t, "IOPS");
	}
	free(buf);
	close(fd);
	return 0;
}

/* ---- the file system ------------------------------------------------------------ */

static void drop_caches(void)
{
	sync();
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd < 0 || write(fd, "3", 1) != 1)
		die("drop_caches");
	close(fd);
}

static double read_file(const char *path, char *buf, size_t chunk)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	double total = 0;
	ssize_t r;
	while ((r = read(fd, buf, chunk)) > 0)
		total += r;
	if (r < 0)
		die("read");
	close(fd);
	return total;
}

/* The rows of issue 16: a 64 MiB file written and fsync'ed, read back cold
 * (after dropping the page cache) and cached, in 1 MiB read()s as dd or
 * cat would; then 1000 files of 4 KiB created (one sync at the end) and
 * read back cold. */
static int run_fs(const char *dir)
{
	const size_t chunk = 1 << 20, big = 64u << 20;
	const int files = 1000;
	char path[256], *buf = malloc(chunk);
	if (!buf)
		die("malloc");
	memset(buf, 0x5a, chunk);

	snprintf(path, sizeof(path), "%s/big", dir);
	double t = now_s();
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(path);
	for (size_t done = 0; done < big; done += chunk)
		if (write(fd, buf, chunk) != (ssize_t)chunk)
			die("write");
	if (fsync(fd))
		die("fsync");
	close(fd);
	report("fs.write_sync_64M.mbs", big / (now_s() - t) / 1e6, "MB/s");

	drop_caches();
	t = now_s();
	double got = read_file(path, buf, chunk);
	report("fs.read_64M_cold.mbs", got / (now_s() - t) / 1e6, "MB/s");
	t = now_s();
	got = read_file(path, buf, chunk);
	report("fs.read_64M_cached.mbs", got / (now_s() - t) / 1e6, "MB/s");

	snprintf(path, sizeof(path), "%s/small", dir);
	if (mkdir(path, 0755) && errno != EEXIST)
		die(path);
	t = now_s();
	for (int i = 0; i < files; i++) {
		snprintf(path, sizeof(path), "%s/small/f%04d", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, buf, 4096) != 4096)
			die(path);
		close(fd);
	}
	sync();
	report("fs.create_1000x4K.us", (now_s() - t) * 1e6 / files, "us/file");

	drop_caches();
	t = now_s();
	for (int i = 0; i < files; i++) {
		snprintf(path, sizeof(path), "%s/small/f%04d", dir, i);
		if (read_file(path, buf, chunk) != 4096)
			die("short small file");
	}
	report("fs.read_1000x4K_cold.us", (now_s() - t) * 1e6 / files, "us/file");
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "sys"))
		return run_sys();
	if (argc == 4 && !strcmp(argv[1], "disk"))
		return run_disk(argv[2], atoll(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "fs"))
		return run_fs(argv[2]);
	fprintf(stderr, "usage: peer sys | peer disk DEV BYTES | peer fs DIR\n");
	return 2;
}
