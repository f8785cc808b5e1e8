/*
 * The fixmap: a few page-sized windows at fixed virtual addresses whose
 * physical target changes at run time. Early ACPI parsing borrows them to
 * read firmware tables outside the direct map (the i386 kmap_local slots
 * will live here too). One page table backs the whole area.
 */
#ifndef ASM_FIXMAP_H
#define ASM_FIXMAP_H

#include <asm/pgtable.h>

enum fixed_addresses {
	FIX_EARLY_MAP_BEGIN,                    /* early_memremap() windows */
	FIX_EARLY_MAP_END = FIX_EARLY_MAP_BEGIN + 31,
	FIX_CLEAR_PAGE,                         /* clear_highpage() (mm/clear_highpage.c) */
	__end_of_fixed_addresses
};

static inline unsigned long fix_to_virt(unsigned int idx)
{
	return FIXADDR_START + ((unsigned long)idx << PAGE_SHIFT);
}

void fixmap_init(void);         /* paging_init: create the fixmap's page table */
void set_fixmap(unsigned int idx, phys_addr_t phys, pteval_t prot);
void clear_fixmap(unsigned int idx);

/*
 * Map [phys, phys+size) read-only through the early windows and return its
 * virtual address; at most one mapping at a time, up to 31 pages. For boot
 * code reading firmware tables. early_memunmap() releases it.
 */
const void *early_memremap(phys_addr_t phys, size_t size);
void early_memunmap(const void *va);

#endif
