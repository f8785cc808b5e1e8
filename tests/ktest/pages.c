/* Page helpers shared by the ktest suites (ktest_pages.h). */
#include <pagoda/list.h>
#include <pagoda/sched.h>
#include <pagoda/slab.h>
#include <pagoda/vmalloc.h>
#include "ktest_pages.h"

unsigned int ktest_alloc_pages_above(phys_addr_t limit, gfp_t gfp, struct page **out, unsigned int n)
{
	LIST_HEAD(held);
	unsigned int found = 0;
	while (found < n) {
		struct page *p = alloc_page(gfp | __GFP_NOWARN);
		if (!p)
			break;
		if (page_to_phys(p) >= limit)
			out[found++] = p;
		else
			list_add(&p->lru, &held);
	}
	while (!list_empty(&held)) {
		struct page *p = list_first_entry(&held, struct page, lru);
		list_del(&p->lru);
		__free_page(p);
	}
	return found;
}

unsigned long ktest_settled_free_pages(void)
{
	/* Bounded: if the reaper is stuck, the count stays off and the
	 * caller's comparison says so. */
	return nr_free_pages_settled();
}
