/* get_order: shared by the kernel and the host tests through <asm/pfn.h>. */
#ifndef ASM_GETORDER_H
#define ASM_GETORDER_H

/* The smallest order (log2 of a block's pages) whose block holds size bytes. */
static inline unsigned int get_order(unsigned long long size)
{
	unsigned int order = 0;
	while (((unsigned long long)PAGE_SIZE << order) < size)
		order++;
	return order;
}

#endif
