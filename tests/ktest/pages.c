/* Page helpers shared by the ktest suites (ktest_pages.h). */
#include <pagoda/list.h>
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
