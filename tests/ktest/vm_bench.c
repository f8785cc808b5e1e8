/*
 * vm_bench: TSC cycles per page to get and give back the same size through
 * vmalloc+vfree, __get_free_pages+free_pages and kmalloc+kfree. Answers
 * "why is kmalloc cheaper than vmalloc" with numbers: vmalloc pays per page
 * (an allocation, a PTE, its share of a batched TLB flush) plus an area and
 * its page array; the page allocator hands out one physically contiguous block, and
 * kmalloc of the same size is the page allocator plus a little. Run with
 * tools/bench/vm_bench.sh. Under TCG the absolute numbers are emulation
 * costs; the ratios are the point.
 */
#include <pagoda/ktest.h>
#include <pagoda/gfp.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/vmalloc.h>
#include <asm/processor.h>

struct bench_size {
	unsigned long bytes;
	unsigned int order;
	unsigned int rounds;
};

#define MAX_ROUNDS 2000
static u64 samples[3][MAX_ROUNDS];

/* The median round: a round in which QEMU was descheduled by the host
 * (the machine is shared) costs 100 times the others and drags the mean. */
static u64 median(u64 *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		u64 x = v[i];
		unsigned int j = i;
		for (; j && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	return v[n / 2];
}

static u64 sum(const u64 *v, unsigned int n)
{
	u64 total = 0;
	for (unsigned int i = 0; i < n; i++)
		total += v[i];
	return total;
}

static void vmalloc_vs_pages(struct ktest *t)
{
	static const struct bench_size sizes[] = {
		{ 4096, 0, MAX_ROUNDS }, { 64 << 10, 4, 500 }, { 4 << 20, 10, 20 },
	};
	printk("vm_bench: size      vmalloc+vfree  __get_free_pages+free_pages  kmalloc+kfree   (TSC cycles per 4 KiB page: median round, mean in brackets)\n");
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		const struct bench_size *s = &sizes[i];
		unsigned long pages = s->bytes >> PAGE_SHIFT;
		u64 t0;

		/* Untimed: the first call of a path pays for QEMU translating
		 * its code, a million cycles that are no cost of the path. */
		vfree(vmalloc(s->bytes));
		free_pages(__get_free_pages(GFP_KERNEL, s->order), s->order);
		kfree(kmalloc(s->bytes, GFP_KERNEL));
		for (unsigned int r = 0; r < s->rounds; r++) {
			t0 = rdtsc();
			void *p = vmalloc(s->bytes);
			KTEST_ASSERT_NOT_NULL(t, p);
			vfree(p);
			samples[0][r] = rdtsc() - t0;

			t0 = rdtsc();
			unsigned long a = __get_free_pages(GFP_KERNEL, s->order);
			KTEST_ASSERT_NE(t, a, 0);
			free_pages(a, s->order);
			samples[1][r] = rdtsc() - t0;

			t0 = rdtsc();
			void *k = kmalloc(s->bytes, GFP_KERNEL);
			KTEST_ASSERT_NOT_NULL(t, k);
			kfree(k);
			samples[2][r] = rdtsc() - t0;
		}
		u64 mean[3], med[3];
		for (int k = 0; k < 3; k++) {
			mean[k] = sum(samples[k], s->rounds) / s->rounds / pages;
			med[k] = median(samples[k], s->rounds) / pages;
		}
		printk("vm_bench: %4lu KiB   %6llu (%5llu)  %19llu (%5llu)  %6llu (%5llu)\n", s->bytes >> 10,
		       (unsigned long long)med[0], (unsigned long long)mean[0], (unsigned long long)med[1],
		       (unsigned long long)mean[1], (unsigned long long)med[2], (unsigned long long)mean[2]);
	}
}

static struct ktest_case vm_bench_cases[] = {
	KTEST_CASE(vmalloc_vs_pages),
	{}
};
KTEST_SUITE(vm_bench, vm_bench_cases);
