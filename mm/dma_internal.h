/* Shared by mm/dma_mapping.c and mm/dma_bounce.c only. */
#ifndef MM_DMA_INTERNAL_H
#define MM_DMA_INTERNAL_H

#include <pagoda/dma-mapping.h>

bool dma_reachable(const struct device *dev, phys_addr_t phys, size_t len);
gfp_t dma_zone_gfp(const struct device *dev);
/* A low copy of [page+offset, +len) for dev, filled unless dir is FROM_DEVICE. */
struct page *dma_bounce_alloc(const struct device *dev, struct page *page, unsigned int offset,
			      size_t len, enum dma_data_direction dir);
/* Copy back (unless dir is TO_DEVICE) and free. */
void dma_bounce_free(struct page *bounce, struct page *page, unsigned int offset, size_t len,
		     enum dma_data_direction dir);

#endif
