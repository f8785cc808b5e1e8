/*
 * The vmalloc files' internals, shared by mm/vmalloc.c, mm/ioremap.c,
 * mm/vmap_area.c and mm/vmap_first_fit.c (the API is <pagoda/vmalloc.h>).
 * Apart from mm/internal.h because the host tests compile
 * mm/vmap_first_fit.c and mm/memblock.c without the kernel's page tables.
 */
#ifndef MM_VMALLOC_INTERNAL_H
#define MM_VMALLOC_INTERNAL_H

#include <pagoda/vmalloc.h>

/* Map area's pages (vmalloc, vmap) or [phys, phys + area->size) (ioremap)
 * into the kernel page tables with prot. 0 or -ENOMEM (no page table). */
int vmap_area_pages(struct vm_struct *area, pteval_t prot);
int ioremap_page_range(struct vm_struct *area, phys_addr_t phys, pteval_t prot);
/* First fit (mm/vmap_first_fit.c): link area into the address-sorted list at
 * the lowest address in [start, end) where area->size bytes and a guard
 * page fit, setting area->addr. 0 or -ENOMEM. Pure list code, no locking
 * (host-tested). */
int vmap_insert_first_fit(struct list_head *areas, struct vm_struct *area,
			  unsigned long start, unsigned long end);

#endif
