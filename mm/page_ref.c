/*
 * Page references beyond the allocation's own (<pagoda/mm.h>): a pin, as
 * a memory object takes on each of its pages, keeps a page alive after
 * every mapping of it is gone. The allocation's reference is the last one:
 * whoever drops it frees the page.
 */
#include <pagoda/gfp.h>
#include <pagoda/mm.h>

void put_page(struct page *page)
{
	int r = __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
	/* Not the last: just one fewer. The last stays 1 for __free_page,
	 * which checks that the count is the allocation's alone. */
	while (r > 1)
		if (__atomic_compare_exchange_n(&page->_refcount, &r, r - 1, false, __ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED))
			return;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	__free_page(page);
}

void split_page(struct page *page, unsigned int order)
{
	/* The block's head carries its order; each page becomes an order-0
	 * allocation of its own, and the buddy lists merge them again as
	 * they come back. */
	page->private = 0;
	for (unsigned long i = 1; i < (1UL << order); i++) {
		page[i].private = 0;
		page[i]._refcount = 1;
	}
}
