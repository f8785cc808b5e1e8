/*
 * Converting between the kernel's virtual addresses and physical addresses.
 * __pa(v): physical address of a direct-map (or, on x86_64, kernel-image)
 * virtual address. __va(p): the direct-map address of physical p; valid only
 * for RAM the direct map covers (all RAM on x86_64, lowmem on i386).
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <asm/layout.h>
#include <pagoda/types.h>

#ifdef __x86_64__
#include <asm/page_64.h>
#else
#include <asm/page_32.h>
#endif

#define __pa(x) __phys_addr((unsigned long)(x))
#define __va(x) ((void *)((unsigned long)(x) + PAGE_OFFSET))
#define virt_to_phys(x) __pa(x)
#define phys_to_virt(x) __va(x)

#include <asm/pfn.h>

#endif
