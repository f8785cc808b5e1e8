/*
 * Zeroing a page that has no permanent mapping (i386 highmem, for
 * alloc_pages(__GFP_HIGHMEM | __GFP_ZERO)): map it for a moment through a
 * fixmap slot of its own. Interrupts stay off while the slot is in use, so
 * no handler can reuse it underneath us. kmap will generalize this.
 */
#include <pagoda/mm.h>
#include <pagoda/string.h>
#include <asm/fixmap.h>

void clear_highpage(struct page *page)
{
	void *va = page_address(page);
	if (va) {
		memset(va, 0, PAGE_SIZE);
		return;
	}
	unsigned long flags = local_irq_save();
	set_fixmap(FIX_CLEAR_PAGE, page_to_phys(page), PAGE_KERNEL);
	memset((void *)fix_to_virt(FIX_CLEAR_PAGE), 0, PAGE_SIZE);
	clear_fixmap(FIX_CLEAR_PAGE);
	local_irq_restore(flags);
}
