/*
 * Instruction counts per operation of the buddy allocator, counted by
 * callgrind on the host: the very same mm/page_alloc.c (through the fake
 * RAM arena of tests/host/mm_arena.h), beside glibc malloc/free of the same
 * sizes and beside the floor, an xv6-style singly linked free list of pages.
 *
 *   bench_buddy <name> <iterations>
 *
 * runs the loop bench_<name>(iterations) once; bench.sh runs it under
 * valgrind --tool=callgrind --toggle-collect=bench_<name>, so only the loop
 * is counted, and divides by the iterations.
 */
#include <pagoda/gfp.h>
/* In the kernel these are calls into another file; here the allocator is in
 * the same file, and a fast path small enough would be inlined into the
 * loop. Keep them calls, so that the counts are of the kernel's shape. */
__attribute__((noinline)) struct page *alloc_pages(gfp_t gfp, unsigned int order);
__attribute__((noinline)) void __free_pages(struct page *page, unsigned int order);
#include "../../tests/host/mm_arena.h"

#define NOINLINE __attribute__((noinline))

/* Memory barrier for the compiler: the result of each malloc is used. */
static void *volatile sink;

/* ---- the floor: xv6's kalloc, minus the junk-filling of freed pages ------ */

struct run { struct run *next; };
static struct run *kfreelist;

static void kfree(void *pa)
{
	struct run *r = pa;
	r->next = kfreelist;
	kfreelist = r;
}

static void *kalloc(void)
{
	struct run *r = kfreelist;
	if (r)
		kfreelist = r->next;
	return r;
}

/* ---- measured loops: one alloc + free pair per iteration ----------------- */

NOINLINE void bench_pcp_order0(long n)
{
	for (long i = 0; i < n; i++)
		__free_pages(alloc_pages(GFP_KERNEL, 0), 0);
}

NOINLINE void bench_buddy_order0(long n)
{
	for (long i = 0; i < n; i++)
		__free_pages(alloc_pages(GFP_KERNEL, 0), 0);
}

NOINLINE void bench_order3(long n)
{
	for (long i = 0; i < n; i++)
		__free_pages(alloc_pages(GFP_KERNEL, 3), 3);
}

NOINLINE void bench_order9(long n)
{
	for (long i = 0; i < n; i++)
		__free_pages(alloc_pages(GFP_KERNEL, 9), 9);
}

NOINLINE void bench_get_free_page(long n)
{
	for (long i = 0; i < n; i++)
		free_pages(__get_free_pages(GFP_KERNEL, 0), 0);
}

static NOINLINE void malloc_loop(long n, size_t size)
{
	for (long i = 0; i < n; i++) {
		sink = malloc(size);
		free(sink);
	}
}
NOINLINE void bench_malloc_4k(long n) { malloc_loop(n, 4096); }
NOINLINE void bench_malloc_32k(long n) { malloc_loop(n, 32768); }
NOINLINE void bench_malloc_2m(long n) { malloc_loop(n, 2 << 20); }

NOINLINE void bench_kalloc(long n)
{
	for (long i = 0; i < n; i++) {
		sink = kalloc();
		kfree(sink);
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s <pcp_order0|buddy_order0|order3|order9|get_free_page|malloc_4k|malloc_32k|malloc_2m|kalloc> <iterations>\n",
			argv[0]);
		return 2;
	}
	long n = atol(argv[2]);
	fake_machine_boot(&x86_64_like);
	for (int i = 0; i < 64; i++)            /* the floor's free list: 64 arena pages */
		kfree(page_address(alloc_page(GFP_KERNEL)));
	/* Warm every path once outside the counted loop. */
	__free_pages(alloc_pages(GFP_KERNEL, 0), 0);
	const char *b = argv[1];
	if (!strcmp(b, "pcp_order0")) bench_pcp_order0(n);
	else if (!strcmp(b, "buddy_order0")) { pcp_set_high_batch(1, 1); bench_buddy_order0(n); }
	else if (!strcmp(b, "order3")) bench_order3(n);
	else if (!strcmp(b, "order9")) bench_order9(n);
	else if (!strcmp(b, "get_free_page")) bench_get_free_page(n);
	else if (!strcmp(b, "malloc_4k")) bench_malloc_4k(n);
	else if (!strcmp(b, "malloc_32k")) bench_malloc_32k(n);
	else if (!strcmp(b, "malloc_2m")) bench_malloc_2m(n);
	else if (!strcmp(b, "kalloc")) bench_kalloc(n);
	else { fprintf(stderr, "unknown benchmark %s\n", b); return 2; }
	if (buddy_check()) {
		fprintf(stderr, "%s\nbuddy_check failed after %s\n", host_log, b);
		return 1;
	}
	return 0;
}
