/* x86_64 zones: DMA < 16 MiB, DMA32 < 4 GiB, NORMAL the rest, no HIGHMEM. */
#ifndef ASM_MMZONE_64_H
#define ASM_MMZONE_64_H

#define MAX_DMA32_PFN PFN_DOWN(4ULL << 30)

/* RAM the kernel can manage: 46 physical address bits is more than any
 * machine QEMU builds for us. */
#define ARCH_MAX_PHYS_ADDR (1ULL << 46)

/* GFP_DMA32 ("below 4 GiB") is served from ZONE_DMA32 downward. */
#define ARCH_DMA32_ZONE ZONE_DMA32

/* End pfn (exclusive) of each zone, given the end of RAM; the whole direct
 * map is lowmem, so HIGHMEM ends where NORMAL does: empty. */
static inline void arch_zone_limits(unsigned long max_pfn, unsigned long *zone_end)
{
	zone_end[0] = MAX_DMA_PFN;                                  /* DMA */
	zone_end[1] = MAX_DMA32_PFN;                                /* DMA32 */
	zone_end[2] = max_pfn;                                      /* NORMAL */
	zone_end[3] = max_pfn;                                      /* HIGHMEM */
}

#endif
