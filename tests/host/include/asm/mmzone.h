/*
 * Host shim for <asm/mmzone.h>: the zone limits are variables, so one host
 * test can lay out an x86_64-like machine (DMA, DMA32, NORMAL) and an
 * i386-like one (DMA, NORMAL, HIGHMEM) in turn. Set host_zone_end[] (end
 * pfns, ~0UL for "to the end of RAM") before buddy_init_from_memblock().
 */
#ifndef ASM_MMZONE_H
#define ASM_MMZONE_H

#include <asm/page.h>

#define ARCH_MAX_PHYS_ADDR (1ULL << 40)
#define ARCH_DMA32_ZONE    host_dma32_zone

extern unsigned long host_zone_end[4];
extern int host_dma32_zone;

static inline void arch_zone_limits(unsigned long max_pfn, unsigned long *zone_end)
{
	for (int z = 0; z < 4; z++)
		zone_end[z] = host_zone_end[z] < max_pfn ? host_zone_end[z] : max_pfn;
}

#endif
