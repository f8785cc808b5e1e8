/*
 * i386 zones: DMA < 16 MiB, no DMA32 (empty: all of lowmem is below 4 GiB
 * anyway), NORMAL up to the end of the direct map (896 MiB), HIGHMEM above.
 */
#ifndef ASM_MMZONE_32_H
#define ASM_MMZONE_32_H

/*
 * Without PAE a page-table entry holds a 32-bit frame address, so RAM above
 * 4 GiB could never be mapped, not even through kmap: like a non-PAE Linux,
 * we leave it alone (and say so at boot). A PAE entry reaches further; we
 * stop at 64 GiB (36 bits, the classic PAE limit), where mem_map's struct
 * pages (16M of them, 320 MiB) would already crowd out the 896 MiB of
 * lowmem that must hold them.
 */
#ifdef CONFIG_X86_PAE
#define ARCH_MAX_PHYS_ADDR (1ULL << 36)
#else
#define ARCH_MAX_PHYS_ADDR (1ULL << 32)
#endif

/* GFP_DMA32 ("below 4 GiB") is met by every lowmem zone here: NORMAL. */
#define ARCH_DMA32_ZONE ZONE_NORMAL

static inline void arch_zone_limits(unsigned long max_pfn, unsigned long *zone_end)
{
	unsigned long lowmem_end = PFN_DOWN(MAX_LOWMEM);
	if (lowmem_end > max_pfn)
		lowmem_end = max_pfn;
	zone_end[0] = MAX_DMA_PFN;                                  /* DMA */
	zone_end[1] = MAX_DMA_PFN;                                  /* DMA32: empty */
	zone_end[2] = lowmem_end;                                   /* NORMAL */
	zone_end[3] = max_pfn;                                      /* HIGHMEM */
}

#endif
