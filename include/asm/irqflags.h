/*
 * Saving and restoring the interrupt flag, split out of <asm/processor.h>
 * so that code which only needs this (spinlocks, the page allocator) can be
 * compiled on the host with a shim of this one header.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <asm/processor.h>

static inline void arch_cpu_relax(void)
{
	cpu_relax();
}

#endif
