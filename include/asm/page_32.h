#ifndef ASM_PAGE_32_H
#define ASM_PAGE_32_H

/* The kernel image lies inside the direct map: one offset for both. */
static inline phys_addr_t __phys_addr(unsigned long x)
{
	return x - PAGE_OFFSET;
}

#endif
