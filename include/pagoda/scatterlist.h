/*
 * A scatter list: a buffer described as pieces of pages, each physically
 * contiguous, the pieces not contiguous with each other. dma_map_sg() turns
 * it into bus addresses for a device, merging neighbours that happen to be
 * contiguous; a driver then walks the first n entries with sg_dma_address /
 * sg_dma_len (n is what dma_map_sg returned, often fewer than it was given).
 */
#ifndef PAGODA_SCATTERLIST_H
#define PAGODA_SCATTERLIST_H

#include <pagoda/mm.h>
#include <pagoda/string.h>

typedef u64 dma_addr_t;

struct scatterlist {
	struct page *page;
	unsigned int offset;            /* into page; may exceed PAGE_SIZE for compound blocks */
	unsigned int length;
	dma_addr_t dma_address;         /* filled by dma_map_sg */
	unsigned int dma_length;
	struct page *bounce;            /* bounce block standing in for this entry, or NULL */
};

static inline void sg_init_table(struct scatterlist *sg, unsigned int n)
{
	memset(sg, 0, n * sizeof(*sg));
}

static inline void sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len,
			       unsigned int offset)
{
	sg->page = page;
	sg->offset = offset;
	sg->length = len;
}

static inline phys_addr_t sg_phys(const struct scatterlist *sg)
{
	return page_to_phys(sg->page) + sg->offset;
}

#define sg_dma_address(sg) ((sg)->dma_address)
#define sg_dma_len(sg)     ((sg)->dma_length)

#endif
