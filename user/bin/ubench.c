/*
 * ubench: the user-mode rows of `make bench`, the same operations as the
 * Linux peer (tools/bench/linux/peer.c, run_sys) so the two columns compare:
 * TSC cycles per operation, one line "PAGODA <key> <value> cycles" each
 * (tools/bench/side_by_side.py pairs the keys). Run on one CPU, as Linux's
 * is pinned to one: every yield is then a switch between the two processes.
 * Raw system calls, so the figure is the kernel's and not the library's.
 *
 *   ubench          every row, then exit 0 (init=/bin/ubench powers off)
 */
#include <stdio.h>
#include <pagoda/mman.h>
#include <pagoda/wait.h>
#include "../lib/syscall.h"

static unsigned long long rdtsc(void)
{
	unsigned int lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((unsigned long long)hi << 32) | lo;
}

static void report(const char *key, unsigned long long cycles, unsigned long n)
{
	unsigned long long per100 = cycles * 100 / n;
	printf("PAGODA %s %llu.%02llu cycles\n", key, per100 / 100, per100 % 100);
}

static int failed;
static void die(const char *what, long r)
{
	printf("PAGODA-ERROR %s: %ld\n", what, r);
	failed = 1;
}

static long wait_child(long pid)
{
	int status = 0;
	return syscall4(__NR_wait4, pid, &status, 0, 0) == pid ? status : -1;
}

static void null_syscall(void)
{
	const unsigned long n = 200000;
	unsigned long long t = rdtsc();
	for (unsigned long i = 0; i < n; i++)
		syscall0(__NR_getppid);
	report("sys.null_syscall", rdtsc() - t, n);
}

/* Both sides yield a fixed number of times: with nothing else runnable on
 * the CPU, each yield hands it to the other process. Per switch. */
static void yield_pingpong(void)
{
	const unsigned long rounds = 20000;
	long child = syscall0(__NR_fork);
	if (child < 0)
		return die("fork", child);
	if (child == 0) {
		for (unsigned long i = 0; i < rounds; i++)
			syscall0(__NR_sched_yield);
		syscall1(__NR_exit, 0);
	}
	unsigned long long t = rdtsc();
	for (unsigned long i = 0; i < rounds; i++)
		syscall0(__NR_sched_yield);
	report("sys.yield_switch", rdtsc() - t, 2 * rounds);
	wait_child(child);
}

static void fork_exit_wait(void)
{
	const unsigned long n = 500;
	unsigned long long t = rdtsc();
	for (unsigned long i = 0; i < n; i++) {
		long p = syscall0(__NR_fork);
		if (p < 0)
			return die("fork", p);
		if (p == 0)
			syscall1(__NR_exit, 0);
		wait_child(p);
	}
	report("sys.fork_exit_wait", rdtsc() - t, n);
}

static void page_faults(void)
{
	const unsigned long pages = 8192, len = pages * 4096;
	long m = syscall6(__NR_mmap, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m < 0 && m > -4096)
		return die("mmap", m);
	volatile char *p = (volatile char *)m;
	unsigned long long t = rdtsc();
	for (unsigned long k = 0; k < pages; k++)
		p[k * 4096] = 1;
	report("sys.anon_fault", rdtsc() - t, pages);

	long child = syscall0(__NR_fork);
	if (child < 0)
		return die("fork", child);
	if (child == 0) {
		t = rdtsc();
		for (unsigned long k = 0; k < pages; k++)
			p[k * 4096] = 2;
		report("sys.cow_fault", rdtsc() - t, pages);
		syscall1(__NR_exit, 0);
	}
	wait_child(child);
	syscall2(__NR_munmap, m, len);
}

static void mmap_munmap_64k(void)
{
	const unsigned long n = 5000;
	unsigned long long t = rdtsc();
	for (unsigned long i = 0; i < n; i++) {
		long x = syscall6(__NR_mmap, 0, 65536, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (x < 0 && x > -4096)
			return die("mmap 64k", x);
		syscall2(__NR_munmap, x, 65536);
	}
	report("sys.mmap_munmap_64k", rdtsc() - t, n);
}

int main(void)
{
	null_syscall();
	yield_pingpong();
	fork_exit_wait();
	page_faults();
	mmap_munmap_64k();
	return failed;
}
