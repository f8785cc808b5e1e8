/*
 * Zeroing a page that may have no permanent mapping (i386 highmem, for
 * alloc_pages(__GFP_HIGHMEM | __GFP_ZERO)): borrow a kmap_local slot for a
 * moment. A lowmem page comes back as its direct-map address, no slot.
 */
#include <pagoda/highmem.h>
#include <pagoda/string.h>

void clear_highpage(struct page *page)
{
	void *va = kmap_local_page(page);
	memset(va, 0, PAGE_SIZE);
	kunmap_local(va);
}
