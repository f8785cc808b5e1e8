/*
 * Monitor commands to watch the page allocator: buddyinfo, zoneinfo, page,
 * and bench_page_alloc (TSC cycles per alloc/free pair, parsed by
 * tools/bench/bench.sh).
 */
#include <pagoda/memblock.h>
#include <pagoda/mm.h>
#include <pagoda/mmzone.h>
#include <pagoda/monitor.h>
#include <pagoda/monitor_args.h>
#include <pagoda/percpu.h>
#include <pagoda/printk.h>
#include <pagoda/smp.h>
#include <pagoda/string.h>
#include <asm/processor.h>

static int cmd_buddyinfo(int argc, char **argv)
{
	show_buddyinfo();
	return 0;
}
MONITOR_CMD(buddyinfo, cmd_buddyinfo, "", "free blocks per zone and order (like /proc/buddyinfo)");

static int cmd_zoneinfo(int argc, char **argv)
{
	show_zoneinfo();
	return 0;
}
MONITOR_CMD(zoneinfo, cmd_zoneinfo, "", "spanned/present/managed/free pages per zone, per-CPU caches");

/* Why a PG_reserved page is reserved: a hole, or which reservation. */
static void explain_reserved(unsigned long pfn)
{
	phys_addr_t pa = PFN_PHYS(pfn);
	if (!memblock_count_pages(pa, PAGE_SIZE, false) && !memblock_count_pages(pa, PAGE_SIZE, true)) {
		printk("state: reserved: not RAM (a hole, firmware or ACPI range in the memory map)\n");
		return;
	}
	const struct memblock_type *r = memblock_reserved();
	for (int i = 0; i < r->cnt; i++)
		if (pa >= r->regions[i].base && pa < r->regions[i].base + r->regions[i].size) {
			printk("state: reserved at boot by memblock: %s\n", r->regions[i].reason);
			return;
		}
	printk("state: reserved\n");
}

/* The free block a non-head page sits in, if any. */
static bool explain_free_tail(unsigned long pfn)
{
	for (unsigned int o = 1; o <= MAX_PAGE_ORDER; o++) {
		unsigned long head = pfn & ~((1UL << o) - 1);
		const struct page *h = pfn_to_page(head);
		if (PageBuddy(h) && h->private >= o) {
			printk("state: free: page %lu of the free order-%u block at pfn %#lx\n", pfn - head, h->private,
			       head);
			return true;
		}
	}
	return false;
}

static int cmd_page(int argc, char **argv)
{
	unsigned long pfn;
	if (mon_arg_pfn("page", argv[1], &pfn))
		return MON_USAGE;
	if (!pfn_valid(pfn)) {
		printk("page: pfn %#lx is beyond max_pfn %#lx: no struct page\n", pfn, max_pfn);
		return MON_FAILED;
	}
	const struct page *page = pfn_to_page(pfn);
	dump_page(page, NULL);
	void *va = page_address(page);
	bool ram = memblock_count_pages(PFN_PHYS(pfn), PAGE_SIZE, false) ||
		   memblock_count_pages(PFN_PHYS(pfn), PAGE_SIZE, true);
	if (!ram)
		printk("page: not RAM: the direct map does not cover it\n");
	else if (va)
		printk("page: direct-map address %p\n", va);
	else
		printk("page: highmem: no permanent kernel mapping (kmap it)\n");
	/* Who shares it: what the copy-on-write fault decides by (mm/memory.c). */
	if (PageUser(page))
		printk("page: user memory: mapped by %d PTEs (_mapcount)\n", page->_mapcount);
	if (PageReserved(page))
		explain_reserved(pfn);
	else if (PageBuddy(page))
		printk("state: free: heads a free order-%u block (%lu pages) in zone %s\n", page->private,
		       1UL << page->private, zone_names[page_zonenum(page)]);
	else if (PagePcp(page))
		printk("state: free: on a per-CPU list of zone %s\n", zone_names[page_zonenum(page)]);
	else if (page->_refcount)
		printk("state: allocated: heads an order-%u block, refcount %d\n", page->private, page->_refcount);
	else if (!explain_free_tail(pfn))
		printk("state: allocated: inside a block allocated with a higher order\n");
	return 0;
}
MONITOR_CMD(page, cmd_page, "<phys|pfn:N>", "decode the struct page holding a physical address, or of pfn:N (both hex)");

/* ---- bench_page_alloc ----------------------------------------------------- */

static u64 bench_pairs(gfp_t gfp, unsigned int order, unsigned long iters)
{
	/* Warm up: the first pair may refill the per-CPU cache or split a block. */
	__free_pages(alloc_pages(gfp, order), order);
	u64 t0 = rdtsc();
	for (unsigned long i = 0; i < iters; i++) {
		struct page *p = alloc_pages(gfp, order);
		__free_pages(p, order);
	}
	return (rdtsc() - t0) / iters;
}

/* The per-CPU page caches' size, as Linux's sysctl sets it: a tunable the
 * student can turn to watch order-0 pages go through the buddy lists. */
static int cmd_pcp(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "reset")) {
		pcp_reset_high_batch();
	} else if (argc == 3) {
		unsigned long long high, batch;
		if (mon_arg_num("high", argv[1], 1, PCP_HIGH_MAX, &high) ||
		    mon_arg_num("batch", argv[2], 1, high, &batch))
			return MON_USAGE;
		if (pcp_set_high_batch(high, batch))
			return MON_USAGE;
	} else if (argc != 1) {
		return MON_USAGE;
	}
	const struct per_cpu_pages *pcp = per_cpu_ptr(zones[0].per_cpu_pageset, smp_processor_id());
	printk("pcp: every CPU's cache in every zone: high %d, batch %d\n", pcp->high, pcp->batch);
	return MON_OK;
}
MONITOR_CMD(pcp, cmd_pcp, "[high|reset] [batch]", "show, set (pcp <high> <batch>) or reset the per-CPU page caches' size (drains them)");

static int cmd_bench_page_alloc(int argc, char **argv)
{
	/* No timer ticks inside the loops; but the cache resize waits for every
	 * CPU (on_each_cpu), so it runs with interrupts on. */
	unsigned long flags = local_irq_save();
	u64 hot = bench_pairs(GFP_KERNEL, 0, 100000);
	local_irq_restore(flags);
	pcp_set_high_batch(1, 1);
	flags = local_irq_save();
	u64 cold = bench_pairs(GFP_KERNEL, 0, 20000);
	local_irq_restore(flags);
	pcp_reset_high_batch();
	flags = local_irq_save();
	u64 o3 = bench_pairs(GFP_KERNEL, 3, 20000);
	u64 o9 = bench_pairs(GFP_KERNEL, 9, 5000);
	local_irq_restore(flags);
	printk("bench_page_alloc: order0_pcp %llu cycles/pair\n", hot);
	printk("bench_page_alloc: order0_buddy %llu cycles/pair\n", cold);
	printk("bench_page_alloc: order3 %llu cycles/pair\n", o3);
	printk("bench_page_alloc: order9 %llu cycles/pair\n", o9);
	return 0;
}
MONITOR_CMD(bench_page_alloc, cmd_bench_page_alloc, "", "TSC cycles per alloc+free pair: order 0 (per-CPU and buddy), 3, 9");
