/*
 * x86_64 virtual memory map (4-level paging, 48-bit addresses):
 *
 *   0000000000000000 - 00007fffffffefff  user space (TASK_SIZE; NULL faults)
 *   0000800000000000 - ffff7fffffffffff  non-canonical: no address here exists
 *   ffff800000000000 - ffffbfffffffffff  direct map of all RAM (PAGE_OFFSET), NX
 *   ffffc90000000000 - ffffc9ffffffffff  vmalloc / ioremap area (1 TiB: two PML4
 *                                        entries, preallocated at boot and shared)
 *   ffffffff80000000 - ffffffffbfffffff  kernel image (-2 GiB, -mcmodel=kernel)
 *   ffffffffffc00000 - ffffffffffdfffff  fixmap: temporary single-page mappings
 */
#ifndef ASM_LAYOUT_64_H
#define ASM_LAYOUT_64_H

#define UTS_MACHINE        "x86_64"
#define PAGE_OFFSET        _AC(0xffff800000000000, UL)
#define DIRECT_MAP_SIZE    _AC(0x0000400000000000, UL)   /* 64 TiB */
#define DIRECT_MAP_END     (PAGE_OFFSET + DIRECT_MAP_SIZE)
#define KERNEL_VIRT_BASE   _AC(0xffffffff80000000, UL)
/* User space ends one page below the end of the lower canonical half (Linux's
 * TASK_SIZE_MAX): a syscall in the last page would make sysret return to a
 * non-canonical address, which faults in ring 0 on Intel CPUs. */
#define TASK_SIZE          _AC(0x00007ffffffff000, UL)
/* The non-canonical hole between the halves: bits 63..47 of an address
 * must all be equal, so nothing can be mapped in [START, END). */
#define NONCANONICAL_START _AC(0x0000800000000000, UL)
#define NONCANONICAL_END   PAGE_OFFSET
#define VMALLOC_START      _AC(0xffffc90000000000, UL)
#define VMALLOC_END        _AC(0xffffca0000000000, UL)
/* No pkmap pool: every page is in the direct map, kmap is page_address. */
#define LAST_PKMAP         0
#define FIXADDR_START      _AC(0xffffffffffc00000, UL)
#define FIXADDR_SIZE       _AC(0x200000, UL)

/* Physical RAM the boot page tables map (identity, PAGE_OFFSET and image). */
#define BOOT_MAP_SIZE      _AC(0x40000000, UL)             /* 1 GiB */

#endif
