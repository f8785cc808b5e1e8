/*
 * Page arrays that are certainly not physically contiguous, for showing and
 * testing scatter-gather I/O (<pagoda/scattered_pages.h>).
 */
#include <pagoda/gfp.h>
#include <pagoda/scattered_pages.h>
#include <pagoda/slab.h>

/*
 * A buffer of `pages` order-0 pages that are certainly not physically
 * contiguous: allocate twice as many and keep every other one, in reverse
 * order. This is what "scatter" means in scatter-gather.
 */
struct page **alloc_scattered_pages(unsigned int pages)
{
	struct page **all = kcalloc(2 * pages, sizeof(*all), GFP_KERNEL);
	struct page **keep = kcalloc(pages, sizeof(*keep), GFP_KERNEL);
	bool ok = all && keep;
	for (unsigned int i = 0; ok && i < 2 * pages; i++)
		ok = (all[i] = alloc_page(GFP_KERNEL)) != NULL;
	for (unsigned int i = 0; all && i < 2 * pages; i++) {
		if (ok && i % 2 == 1)
			keep[pages - 1 - i / 2] = all[i];
		else if (all[i])
			__free_page(all[i]);
	}
	kfree(all);
	if (!ok) {
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
