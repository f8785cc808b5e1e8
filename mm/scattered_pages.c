/*
 * Page arrays that are certainly not physically contiguous, for showing and
 * testing scatter-gather I/O (<pagoda/scattered_pages.h>).
 */
#include <pagoda/gfp.h>
#include <pagoda/mm.h>
#include <pagoda/scattered_pages.h>
#include <pagoda/slab.h>

/*
 * A buffer of `pages` order-0 pages of which no two neighbours are
 * physically adjacent, so that no two entries can merge: this is what
 * "scatter" means in scatter-gather. Whatever order the allocator hands
 * pages out in (it depends on what ran before), a page next to the one
 * kept before it is set aside and freed at the end: a page has two
 * neighbours, so at most two are set aside per page kept.
 */
struct page **alloc_scattered_pages(unsigned int pages)
{
	struct page **keep = kcalloc(pages, sizeof(*keep), GFP_KERNEL);
	struct page **aside = kcalloc(2 * pages, sizeof(*aside), GFP_KERNEL);
	unsigned int kept = 0, set_aside = 0;
	bool ok = keep && aside;
	while (ok && kept < pages) {
		struct page *p = alloc_page(GFP_KERNEL);
		ok = p != NULL;
		if (!ok)
			break;
		unsigned long prev = kept ? page_to_pfn(keep[kept - 1]) : 0;
		if (kept && (page_to_pfn(p) == prev + 1 || page_to_pfn(p) + 1 == prev))
			aside[set_aside++] = p;
		else
			keep[kept++] = p;
	}
	for (unsigned int i = 0; i < set_aside; i++)
		__free_page(aside[i]);
	kfree(aside);
	if (!ok) {
		for (unsigned int i = 0; keep && i < kept; i++)
			__free_page(keep[i]);
		kfree(keep);
		return NULL;
	}
	return keep;
}

void free_scattered_pages(struct page **pages, unsigned int n)
{
	for (unsigned int i = 0; pages && i < n; i++)
		__free_page(pages[i]);
	kfree(pages);
}
