/* Page helpers shared by the ktest suites (tests/ktest/pages.c). */
#ifndef KTEST_PAGES_H
#define KTEST_PAGES_H

#include <pagoda/gfp.h>
#include <pagoda/mm.h>

/*
 * Up to n order-0 pages allocated with gfp whose physical address is at
 * least limit (e.g. 4 GiB: PAE highmem, x86_64 ZONE_NORMAL), in out[].
 * Pages below limit are held while searching, so each allocation is a new
 * page, then given back. Returns how many were found: fewer than n when
 * memory at or above limit runs short. Free each with __free_page.
 */
unsigned int ktest_alloc_pages_above(phys_addr_t limit, gfp_t gfp, struct page **out, unsigned int n);

/* True if some RAM lies at or above limit (max_pfn says so). */
static inline bool ktest_ram_above(phys_addr_t limit)
{
	return PFN_PHYS(max_pfn) > limit;
}

/*
 * nr_free_pages() once nothing is in transit: exited threads' stacks freed
 * by the reaper (it runs when it gets the CPU), lazily freed vmalloc areas
 * purged, empty slabs and every CPU's page caches given back. A test that
 * compares global free counts takes both counts through this, so what
 * earlier suites left in flight is not counted against it. Process context.
 */
unsigned long ktest_settled_free_pages(void);

#endif
