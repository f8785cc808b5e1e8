/*
 * Scattered pages: a buffer of order-0 pages of which no two neighbours
 * are physically adjacent, whatever the allocator handed out before. This is what "scatter" means in scatter-gather:
 * the disk commands (dcrc, dplug, ...) and the block and AHCI tests build
 * their bios over such buffers so that no two segments merge by luck.
 */
#ifndef PAGODA_SCATTERED_PAGES_H
#define PAGODA_SCATTERED_PAGES_H

#include <pagoda/mm_types.h>
#include <asm/page.h>

/* An array of `pages` lowmem pages (GFP_KERNEL), or NULL. Process context. */
struct page **alloc_scattered_pages(unsigned int pages);
/* Free the n pages and the array; NULL is allowed. */
void free_scattered_pages(struct page **pages, unsigned int n);

/* How many bytes of a `bytes`-long buffer held in a page array (every page
 * full but the last, as disk_rw_pages and bios over such arrays take them)
 * lie in page i. */
static inline unsigned int page_array_chunk(u64 bytes, unsigned int i)
{
	u64 left = bytes - (u64)i * PAGE_SIZE;
	return left < PAGE_SIZE ? (unsigned int)left : PAGE_SIZE;
}

#endif
