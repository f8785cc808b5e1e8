/*
 * Host shim for <asm/page.h>, used by the mm host tests (test_buddy.c,
 * fuzz_buddy.c, tools/bench): physical memory is a fake RAM arena, a host
 * buffer that the test maps with holes in it. Physical address p is byte p
 * of the arena, so __va/__pa are an offset, as the kernel's direct map is.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <pagoda/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

/* The test program defines and maps it (see tests/host/mm_arena.h). */
extern unsigned char *host_ram;

#define __pa(x) ((phys_addr_t)((const unsigned char *)(x) - host_ram))
#define __va(x) ((void *)(host_ram + (phys_addr_t)(x)))
#define virt_to_phys(x) __pa(x)
#define phys_to_virt(x) __va(x)

#include <asm/pfn.h>

#endif
