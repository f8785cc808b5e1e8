/*
 * The fixmap: a few page-sized windows at fixed virtual addresses whose
 * physical target changes at run time. Early ACPI parsing borrows them to
 * read firmware tables outside the direct map, and kmap_local_page maps
 * i386 highmem pages into the per-CPU kmap slots (mm/highmem.c). One page
 * table backs the whole area. The local and I/O APIC registers live here
 * too (uncached), as in Linux: mapped for good at boot, they stay out of
 * the vmalloc area. Slot i is at FIXADDR_START + i pages (upwards,
 * unlike Linux, whose fixmap grows down from the top).
 */
#ifndef ASM_FIXMAP_H
#define ASM_FIXMAP_H

#include <asm/pgtable.h>
#include <asm/kmap_size.h>
#include <pagoda/smp.h>

/* Pages of early_memremap() windows (Linux: NR_FIX_BTMAPS). */
#define NR_FIX_EARLY_MAPS 32

enum fixed_addresses {
	FIX_EARLY_MAP_BEGIN,                    /* early_memremap() windows */
	FIX_EARLY_MAP_END = FIX_EARLY_MAP_BEGIN + NR_FIX_EARLY_MAPS - 1,
	FIX_KMAP_BEGIN,                         /* kmap_local: KM_MAX_IDX slots per CPU */
	FIX_KMAP_END = FIX_KMAP_BEGIN + KM_MAX_IDX * NR_CPUS - 1,
	FIX_APIC_BASE,                          /* the local APIC's registers (kernel/x86/apic.c) */
	FIX_IO_APIC_BASE,                       /* the I/O APIC's window (kernel/x86/io_apic.c) */
	__end_of_fixed_addresses
};

static inline unsigned long fix_to_virt(unsigned int idx)
{
	return FIXADDR_START + ((unsigned long)idx << PAGE_SHIFT);
}

void fixmap_init(void);         /* paging_init: create the fixmap's page table */
/* Set or clear a slot any CPU may use: the flush is a shootdown on every CPU. */
void set_fixmap(unsigned int idx, phys_addr_t phys, pteval_t prot);
void clear_fixmap(unsigned int idx);
/* Clear a slot that only this CPU ever uses (its kmap_local slots): only
 * this CPU's TLB can hold it, so only this CPU flushes, without an IPI. */
void clear_fixmap_local(unsigned int idx);
/* set_fixmap without the invlpg: only for a slot whose entry is not present
 * (x86 never caches a not-present entry), as kmap_local's slots are between
 * uses because kunmap_local flushed them. */
void __set_fixmap_noflush(unsigned int idx, phys_addr_t phys, pteval_t prot);

/*
 * Map [phys, phys+size) read-only through the early windows and return its
 * virtual address; at most one mapping at a time, of at most
 * NR_FIX_EARLY_MAPS pages (counting the partial first and last ones: any
 * size up to EARLY_MEMREMAP_MAX fits at any alignment). For boot code
 * reading firmware tables. early_memunmap() releases it. NULL (with a
 * message) if a mapping is held or it does not fit.
 */
#define EARLY_MEMREMAP_MAX ((NR_FIX_EARLY_MAPS - 1) * PAGE_SIZE)
const void *early_memremap(phys_addr_t phys, size_t size);
void early_memunmap(const void *va);

#endif
