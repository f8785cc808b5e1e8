/* ahcid: the BAR is mapped uncached by device_map_bar; a register access is
 * one volatile load or store, as the kernel's readl/writel. */
#ifndef AHCID_PAGODA_IO_H
#define AHCID_PAGODA_IO_H

#include <pagoda/compiler.h>
#include <pagoda/types.h>

static inline u32 readl(const volatile void *addr)
{
	return *(const volatile u32 *)addr;
}

static inline void writel(u32 v, volatile void *addr)
{
	barrier();                      /* memory the HBA reads is written first */
	*(volatile u32 *)addr = v;
}

#endif
