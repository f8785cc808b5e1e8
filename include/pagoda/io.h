/*
 * ioremap: give a device's physical MMIO range a kernel virtual address.
 *
 * Device registers are not RAM: they are not in the direct map, and they
 * must not be cached (a cached read could return a stale status register,
 * a cached write might never reach the device). ioremap maps them uncached
 * (PCD|PWT) into the vmalloc region, as an area of kind "ioremap" with its
 * own guard page; ioremap_wc maps them write-combining (for frame buffers:
 * writes may be merged and delayed, reads are uncached). Access the result
 * only with readb/readw/readl and writeb/writew/writel (<asm/io.h>).
 *
 * Refused, with a pr_err naming the range and the reason, returning NULL:
 * a size of 0, a physical address not page-aligned, a range that wraps or
 * goes beyond what this build's page tables can address, and any overlap
 * with usable RAM (mapping RAM uncached beside its cached direct map would
 * give one page two memory types, which x86 forbids).
 *
 * Process context (takes the vmalloc lock, may allocate page tables).
 */
#ifndef PAGODA_IO_H
#define PAGODA_IO_H

#include <pagoda/types.h>
#include <asm/io.h>

void *ioremap(phys_addr_t phys, unsigned long size);
void *ioremap_wc(phys_addr_t phys, unsigned long size);
void iounmap(volatile void *addr);
/* Why [phys, phys + size) (whole pages) may not be mapped as device
 * memory, by ioremap's rules above; NULL if it may. Mapping a BAR into a
 * user-space driver (device_map_bar) asks the same. Any context. */
const char *ioremap_refusal(phys_addr_t phys, unsigned long size);

#endif
