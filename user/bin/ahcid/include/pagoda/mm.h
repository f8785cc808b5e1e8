/*
 * ahcid's struct page: the server never sees a page frame, only the bus
 * address device_dma_addr tells it for a run of a memory object's bytes,
 * and (when the request had to be mapped, for a bounce) where that run is
 * in the server. A bio_vec points at one; page_to_phys is the bus address.
 */
#ifndef AHCID_PAGODA_MM_H
#define AHCID_PAGODA_MM_H

#include <pagoda/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)

struct page {
	phys_addr_t bus;                /* as the HBA sees the first byte */
	void *virt;                     /* in this process, or NULL: not mapped */
};

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return page->bus;
}

#endif
