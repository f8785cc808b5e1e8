/*
 * Scattered pages: a buffer of order-0 pages of which no two neighbours
 * are physically adjacent, whatever the allocator handed out before. This is what "scatter" means in scatter-gather:
 * the disk commands (dcrc, dplug, ...) and the block and AHCI tests build
 * their bios over such buffers so that no two segments merge by luck.
 */
#ifndef PAGODA_SCATTERED_PAGES_H
#define PAGODA_SCATTERED_PAGES_H

#include <pagoda/mm_types.h>

/* An array of `pages` lowmem pages (GFP_KERNEL), or NULL. Process context. */
struct page **alloc_scattered_pages(unsigned int pages);
/* Free the n pages and the array; NULL is allowed. */
void free_scattered_pages(struct page **pages, unsigned int n);

#endif
