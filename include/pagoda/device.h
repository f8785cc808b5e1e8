/*
 * struct device: what the DMA layer needs to know about a device that reads
 * and writes memory by itself. A driver fills it once at probe time.
 */
#ifndef PAGODA_DEVICE_H
#define PAGODA_DEVICE_H

#include <pagoda/types.h>

struct device {
	const char *name;
	/* Highest bus address the device can reach: DMA_BIT_MASK(32) for a
	 * 32-bit device. Memory above it is reached through bounce buffers. */
	u64 dma_mask;
	/* Longest single DMA segment in bytes (AHCI: 4 MiB per PRD entry). */
	unsigned int max_segment_size;
	/* A segment may not cross a multiple of seg_boundary_mask + 1. */
	u64 seg_boundary_mask;
};

#define DMA_BIT_MASK(n) ((n) >= 64 ? ~0ULL : ((1ULL << (n)) - 1))

#endif
