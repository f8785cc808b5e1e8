/*
 * Instruction counts per operation of kmalloc/kfree, counted by callgrind
 * on the host: the very same mm/slab*.c over the buddy allocator's fake RAM
 * arena (tests/host/slab_arena.h), beside glibc malloc/free of the same
 * sizes in the same program.
 *
 *   bench_slab <name> <iterations>
 *
 * runs bench_<name>(iterations) once; slab_bench.sh runs it under
 * valgrind --tool=callgrind --toggle-collect=bench_<name>, so only that
 * loop is counted, and divides by the iterations (the batch benchmarks
 * count one allocation plus one free as one iteration). The host has no
 * interrupt flag: the kernel's pushf/cli/popf around the per-CPU stack are
 * not in these counts (about 3 instructions each way).
 */
#include "../../tests/host/slab_arena.h"

#define NOINLINE __attribute__((noinline))

static void *volatile sink;
static void *batch[1000];

NOINLINE void bench_kmalloc64_pair(long n)
{
	for (long i = 0; i < n; i++) {
		sink = kmalloc(64, GFP_KERNEL);
		kfree(sink);
	}
}

NOINLINE void bench_malloc64_pair(long n)
{
	for (long i = 0; i < n; i++) {
		sink = malloc(64);
		free(sink);
	}
}

NOINLINE void bench_kmalloc64_batch(long n)
{
	for (long r = 0; r < n / 1000; r++) {
		for (int i = 0; i < 1000; i++)
			batch[i] = kmalloc(64, GFP_KERNEL);
		for (int i = 0; i < 1000; i++)
			kfree(batch[i]);
	}
}

NOINLINE void bench_malloc64_batch(long n)
{
	for (long r = 0; r < n / 1000; r++) {
		for (int i = 0; i < 1000; i++)
			batch[i] = malloc(64);
		for (int i = 0; i < 1000; i++)
			free(batch[i]);
	}
}

NOINLINE void bench_kmalloc4096_pair(long n)
{
	for (long i = 0; i < n; i++) {
		sink = kmalloc(4096, GFP_KERNEL);
		kfree(sink);
	}
}

NOINLINE void bench_malloc4096_pair(long n)
{
	for (long i = 0; i < n; i++) {
		sink = malloc(4096);
		free(sink);
	}
}

NOINLINE void bench_kmalloc150k_pair(long n)
{
	for (long i = 0; i < n; i++) {
		sink = kmalloc(150 * 1000, GFP_KERNEL);
		kfree(sink);
	}
}

NOINLINE void bench_malloc150k_pair(long n)
{
	for (long i = 0; i < n; i++) {
		sink = malloc(150 * 1000);
		free(sink);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s <kmalloc64_pair|malloc64_pair|kmalloc64_batch|malloc64_batch|"
			"kmalloc4096_pair|malloc4096_pair|kmalloc150k_pair|malloc150k_pair> <iterations>\n", argv[0]);
		return 2;
	}
	long n = atol(argv[2]);
	slab_arena_boot(&x86_64_like, false);
	/* Warm every path once outside the counted loop (glibc's too: its
	 * first 150 KB request is an mmap that raises its threshold). */
	for (int i = 0; i < 1000; i++)
		batch[i] = kmalloc(64, GFP_KERNEL);
	for (int i = 0; i < 1000; i++)
		kfree(batch[i]);
	kfree(kmalloc(4096, GFP_KERNEL));
	kfree(kmalloc(150 * 1000, GFP_KERNEL));
	free(malloc(64));
	free(malloc(4096));
	free(malloc(150 * 1000));
	const char *b = argv[1];
	if (!strcmp(b, "kmalloc64_pair")) bench_kmalloc64_pair(n);
	else if (!strcmp(b, "malloc64_pair")) bench_malloc64_pair(n);
	else if (!strcmp(b, "kmalloc64_batch")) bench_kmalloc64_batch(n);
	else if (!strcmp(b, "malloc64_batch")) bench_malloc64_batch(n);
	else if (!strcmp(b, "kmalloc4096_pair")) bench_kmalloc4096_pair(n);
	else if (!strcmp(b, "malloc4096_pair")) bench_malloc4096_pair(n);
	else if (!strcmp(b, "kmalloc150k_pair")) bench_kmalloc150k_pair(n);
	else if (!strcmp(b, "malloc150k_pair")) bench_malloc150k_pair(n);
	else { fprintf(stderr, "unknown benchmark %s\n", b); return 2; }
	if (buddy_check()) {
		fprintf(stderr, "%s\nbuddy_check failed after %s\n", host_log, b);
		return 1;
	}
	return 0;
}
