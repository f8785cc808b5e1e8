/*
 * Page-frame arithmetic that does not depend on where memory is mapped:
 * shared by the kernel's <asm/page.h> and the host tests' shim of it.
 */
#ifndef ASM_PFN_H
#define ASM_PFN_H

#define PAGE_ALIGN(x)      (((x) + PAGE_SIZE - 1) & ~(u64)(PAGE_SIZE - 1))
#define PAGE_ALIGN_DOWN(x) ((x) & ~(u64)(PAGE_SIZE - 1))
#define PFN_DOWN(x)        ((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_UP(x)          ((unsigned long)(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT))
#define PFN_PHYS(pfn)      ((phys_addr_t)(pfn) << PAGE_SHIFT)

#include <asm/getorder.h>

#endif
