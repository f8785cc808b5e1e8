/*
 * The DMA mapping API: how a driver turns memory into addresses a device
 * can use. On x86 without an IOMMU a bus address is the physical address,
 * so "mapping" means: check the memory is suitable (physically contiguous,
 * below the device's DMA mask), merge scatter-list neighbours, and bounce
 * through low memory what the device cannot reach. Process context unless
 * said otherwise; none of these sleep.
 */
#ifndef PAGODA_DMA_MAPPING_H
#define PAGODA_DMA_MAPPING_H

#include <pagoda/device.h>
#include <pagoda/gfp.h>
#include <pagoda/scatterlist.h>

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,              /* the device reads memory (a disk write) */
	DMA_FROM_DEVICE = 2,            /* the device writes memory (a disk read) */
};

#define DMA_MAPPING_ERROR (~(dma_addr_t)0)

/*
 * Map size bytes at cpu_addr, which must be in the direct map (kmalloc or
 * __get_free_pages memory). vmalloc, stack and kernel-image addresses are
 * refused with DMA_MAPPING_ERROR and a message: they are not guaranteed
 * physically contiguous or DMA-safe; describe them with pages in a
 * scatter list instead.
 */
dma_addr_t dma_map_single(struct device *dev, void *cpu_addr, size_t size, enum dma_data_direction dir);
void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir);
static inline bool dma_mapping_error(struct device *dev, dma_addr_t addr)
{
	return addr == DMA_MAPPING_ERROR;
}

/*
 * Map nents entries; returns the number of DMA segments written to the
 * first entries' dma_address/dma_length (contiguous neighbours merged as
 * long as the result stays within max_segment_size and does not cross the
 * segment boundary), or 0 on failure (an entry that alone breaks the
 * device's limits, or no memory for a bounce buffer). Unmap with the
 * ORIGINAL nents.
 */
int dma_map_sg(struct device *dev, struct scatterlist *sg, int nents, enum dma_data_direction dir);
void dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents, enum dma_data_direction dir);

/* Memory both CPU and device use for a long time (command lists, rings):
 * zeroed, physically contiguous, below the DMA mask. x86 caches snoop DMA,
 * so ordinary write-back memory is coherent. */
void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp);
void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr, dma_addr_t handle);

/* Counters for tests and `dmastat`: bounce buffers in use and ever made. */
struct dma_stats {
	unsigned long bounced_now, bounced_total, mapped_sg, merged_segments;
};
extern struct dma_stats dma_stats;

#endif
