/*
 * Zones: the physical address ranges that different callers can use. Each
 * has its own buddy free lists (one per order), its own lock and its own
 * per-CPU cache of single pages. Where the zones end is the arch's business
 * (<asm/mmzone.h>); both builds have the same four, some of them empty.
 */
#ifndef PAGODA_MMZONE_H
#define PAGODA_MMZONE_H

#include <pagoda/gfp.h>
#include <pagoda/list.h>
#include <pagoda/percpu.h>
#include <pagoda/smp.h>
#include <pagoda/spinlock.h>

enum zone_type {
	ZONE_DMA,       /* < 16 MiB: ISA DMA */
	ZONE_DMA32,     /* < 4 GiB: 32-bit DMA (x86_64; empty on i386) */
	ZONE_NORMAL,    /* the rest of the direct map */
	ZONE_HIGHMEM,   /* i386: above 896 MiB, no permanent mapping (empty on x86_64) */
	MAX_NR_ZONES
};

#include <asm/mmzone.h>

/* The free blocks of one order in one zone. */
struct free_area {
	struct list_head free_list;
	unsigned long nr_free;          /* blocks, not pages */
};

/*
 * A per-CPU stack of free order-0 pages in front of the zone's buddy lists:
 * taking or giving one page touches only this CPU's list with interrupts off,
 * no zone lock. When empty it takes `batch` pages from the buddy lists at
 * once; when it holds `high` it gives `batch` back.
 */
struct per_cpu_pages {
	int count;
	int high;
	int batch;
	struct list_head list;
};

/* The size of every CPU's caches in every zone, a tunable (in Linux the
 * vm.percpu_pagelist_high_fraction sysctl; here the monitor's `pcp`
 * command): each is first drained, then takes the new high and batch.
 * high = batch = 1 sends each order-0 page through the buddy lists
 * (bench_page_alloc's order0_buddy row). -EINVAL unless
 * 1 <= batch <= high <= PCP_HIGH_MAX. pcp_reset_high_batch restores the
 * defaults. Process context, no lock held (it drains every CPU,
 * on_each_cpu). */
#define PCP_HIGH_MAX 4096
int pcp_set_high_batch(int high, int batch);
void pcp_reset_high_batch(void);

struct zone {
	spinlock_t lock;                /* free_area[] and free_pages */
	const char *name;
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;    /* pfns from start to end, holes included */
	unsigned long present_pages;    /* RAM pages in that span */
	unsigned long managed_pages;    /* present minus reserved: owned by the buddy allocator */
	unsigned long free_pages;       /* pages in free_area[] (not counting pcp) */
	struct free_area free_area[NR_PAGE_ORDERS];
	struct per_cpu_pages __percpu *per_cpu_pageset;    /* per_cpu_ptr()/this_cpu_ptr() it */
};

extern struct zone zones[MAX_NR_ZONES];

static inline unsigned long zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}
static inline bool zone_spans_pfn(const struct zone *z, unsigned long pfn)
{
	return pfn >= z->zone_start_pfn && pfn < zone_end_pfn(z);
}
static inline bool populated_zone(const struct zone *z)
{
	return z->managed_pages != 0;
}

#define for_each_zone(z) for ((z) = zones; (z) < zones + MAX_NR_ZONES; (z)++)

#endif
