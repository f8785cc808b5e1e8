/*
 * vm_bench: TSC cycles per page to get and give back the same size through
 * vmalloc+vfree, __get_free_pages+free_pages and kmalloc+kfree. Answers
 * "why is kmalloc cheaper than vmalloc" with numbers: vmalloc pays per page
 * (an allocation, a PTE, a TLB flush on free) plus an area and its page
 * array; the page allocator hands out one physically contiguous block, and
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

static u64 per_page(u64 cycles, const struct bench_size *s)
{
	return cycles / s->rounds / (s->bytes >> PAGE_SHIFT);
}

static void vmalloc_vs_pages(struct ktest *t)
{
	static const struct bench_size sizes[] = {
		{ 4096, 0, 2000 }, { 64 << 10, 4, 500 }, { 4 << 20, 10, 20 },
	};
	printk("vm_bench: size      vmalloc+vfree  __get_free_pages+free_pages  kmalloc+kfree   (TSC cycles per 4 KiB page)\n");
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		const struct bench_size *s = &sizes[i];
		u64 t0, vm = 0, gfp = 0, km = 0;

		for (unsigned int r = 0; r < s->rounds; r++) {
			t0 = rdtsc();
			void *p = vmalloc(s->bytes);
			KTEST_ASSERT_NOT_NULL(t, p);
			vfree(p);
			vm += rdtsc() - t0;

			t0 = rdtsc();
			unsigned long a = __get_free_pages(GFP_KERNEL, s->order);
			KTEST_ASSERT_NE(t, a, 0);
			free_pages(a, s->order);
			gfp += rdtsc() - t0;

			t0 = rdtsc();
			void *k = kmalloc(s->bytes, GFP_KERNEL);
			KTEST_ASSERT_NOT_NULL(t, k);
			kfree(k);
			km += rdtsc() - t0;
		}
		printk("vm_bench: %4lu KiB   %13llu  %27llu  %13llu\n", s->bytes >> 10,
		       (unsigned long long)per_page(vm, s), (unsigned long long)per_page(gfp, s),
		       (unsigned long long)per_page(km, s));
	}
}

static struct ktest_case vm_bench_cases[] = {
	KTEST_CASE(vmalloc_vs_pages),
	{}
};
KTEST_SUITE(vm_bench, vm_bench_cases);
