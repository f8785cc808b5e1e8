/* The fixmap area and early_memremap (see asm/fixmap.h). */
#include <asm/fixmap.h>
#include <pagoda/panic.h>
#include <pagoda/tlbflush.h>

static pteval_t *fixmap_pte;            /* the page table behind FIXADDR_START */
static unsigned int early_pages;        /* pages of the current early mapping */

void fixmap_init(void)
{
	BUILD_BUG_ON(__end_of_fixed_addresses > FIXADDR_SIZE / PAGE_SIZE);
	fixmap_pte = pt_lookup_create(swapper_pg_dir, FIXADDR_START);
	if (!fixmap_pte)
		panic("fixmap: no page table for %p", (void *)FIXADDR_START);
}

void __set_fixmap_noflush(unsigned int idx, phys_addr_t phys, pteval_t prot)
{
	BUG_ON(idx >= __end_of_fixed_addresses);
	set_pte(&fixmap_pte[idx], ((pteval_t)(phys & ~(phys_addr_t)(PAGE_SIZE - 1)) | prot) & __supported_pte_mask);
}

void set_fixmap(unsigned int idx, phys_addr_t phys, pteval_t prot)
{
	bool was_present = fixmap_pte[idx] & _PAGE_PRESENT;
	__set_fixmap_noflush(idx, phys, prot);
	/* Replacing a mapping: any CPU may have cached the old one. Filling an
	 * empty slot needs no flush at all (no TLB caches a not-present entry). */
	if (was_present)
		flush_tlb_kernel_range(fix_to_virt(idx), fix_to_virt(idx) + PAGE_SIZE);
}

void clear_fixmap(unsigned int idx)
{
	BUG_ON(idx >= __end_of_fixed_addresses);
	pte_clear(&fixmap_pte[idx]);
	flush_tlb_kernel_range(fix_to_virt(idx), fix_to_virt(idx) + PAGE_SIZE);
}

void clear_fixmap_local(unsigned int idx)
{
	BUG_ON(idx >= __end_of_fixed_addresses);
	pte_clear(&fixmap_pte[idx]);
	flush_tlb_kernel_range_local(fix_to_virt(idx), fix_to_virt(idx) + PAGE_SIZE);
}

const void *early_memremap(phys_addr_t phys, size_t size)
{
	phys_addr_t base = phys & ~(phys_addr_t)(PAGE_SIZE - 1);
	unsigned int pages = (unsigned int)((phys + size - base + PAGE_SIZE - 1) >> PAGE_SHIFT);

	if (early_pages || !size || pages > NR_FIX_EARLY_MAPS) {
		printk(KERN_ERR "early_memremap: cannot map %zu bytes at %llx (busy or too large)\n",
		       size, (unsigned long long)phys);
		return NULL;
	}
	for (unsigned int i = 0; i < pages; i++)
		set_fixmap(FIX_EARLY_MAP_BEGIN + i, base + ((phys_addr_t)i << PAGE_SHIFT), PAGE_KERNEL_RO);
	early_pages = pages;
	return (const void *)(fix_to_virt(FIX_EARLY_MAP_BEGIN) + (unsigned long)(phys - base));
}

void early_memunmap(const void *va)
{
	BUG_ON(FIX_EARLY_MAP_BEGIN + early_pages > __end_of_fixed_addresses);
	/* pte_clear: with PAE an entry is two words, cleared present half first. */
	for (unsigned int i = 0; i < early_pages; i++)
		pte_clear(&fixmap_pte[FIX_EARLY_MAP_BEGIN + i]);
	/* One shootdown for the whole window, not one per page. */
	if (early_pages)
		flush_tlb_kernel_range(fix_to_virt(FIX_EARLY_MAP_BEGIN),
				       fix_to_virt(FIX_EARLY_MAP_BEGIN) + early_pages * PAGE_SIZE);
	early_pages = 0;
}
