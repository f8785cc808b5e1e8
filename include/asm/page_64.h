#ifndef ASM_PAGE_64_H
#define ASM_PAGE_64_H

/* The kernel image has its own mapping at -2 GiB beside the direct map. */
static inline phys_addr_t __phys_addr(unsigned long x)
{
	if (x >= KERNEL_VIRT_BASE)
		return x - KERNEL_VIRT_BASE;
	return x - PAGE_OFFSET;
}

#endif
