/*
 * mm's internals shared by the files of mm/ (not an API: code outside mm/
 * sees <pagoda/mm.h>, <pagoda/gfp.h>, <pagoda/highmem.h> ...). White-box
 * tests in tests/ktest/ may include it. The vmalloc files' shared parts are
 * in mm/vmalloc_internal.h, the DMA mapping's in mm/dma_internal.h.
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <pagoda/mm.h>

/* ---- the page allocator (page_alloc.c, page_alloc_init.c) ---------------- */

/* The slab allocator's hook for a failing allocation (set by slab.c), and
 * how often that drained every CPU and retried (zoneinfo). */
extern void (*page_alloc_reclaim_slab)(void);
extern unsigned long page_alloc_drains;

/* After memblock knows memory and reservations: allocate mem_map, set up
 * the zones, hand every free page to the buddy allocator (retiring
 * memblock), print the accounting. Panics if the pages do not add up. */
void buddy_init_from_memblock(void);
/* The zones' spans and empty free lists, from each zone's end pfn. */
void free_area_init(const unsigned long *zone_end_pfn);
/* Give the buddy allocator the pages [start_pfn, end_pfn), which memblock
 * never handed out: clears PG_reserved on them, counts them as managed and
 * frees them in the largest aligned blocks. At boot, and after it through
 * free_reserved_pages(). */
void __free_pages_memory(unsigned long start_pfn, unsigned long end_pfn);

/* ---- highmem (highmem.c, highmem_32.c, highmem_64.c) --------------------- */

/* paging_init: create the page table of the pkmap area (i386). */
void kmap_init(void);
/* The arch half of kmap_local for a highmem page: map it at fixmap slot
 * `slot`, and unmap it (i386; x86_64 has no highmem). */
void *arch_kmap_local_high(struct page *page, unsigned int slot);
void arch_kunmap_local_high(const void *vaddr, unsigned int slot);
/* True if addr lies in the kmap_local slots (the fixmap on i386): the
 * fault report names them. */
bool arch_is_kmap_local_addr(unsigned long addr);

#endif
