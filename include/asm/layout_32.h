/*
 * i386 virtual memory map (2-level paging, 3G/1G split):
 *
 *   00000000 - bfffffff  user space (empty for now; NULL faults)
 *   c0000000 - f7ffffff  direct map of low memory (PAGE_OFFSET), at most 896 MiB;
 *                        the kernel image sits inside it at c0100000
 *   f8800000 - ff7fffff  vmalloc / ioremap area (after an 8 MiB hole); its 28
 *                        page tables are preallocated at boot, so the kernel's
 *                        page-directory entries never change after boot
 *   ff800000 - ffbfffff  pkmap: kmap()'s pool of 1024 long-lived mappings of
 *                        highmem pages, one page table made at boot
 *   ffc00000 - ffffffff  fixmap: temporary single-page mappings, among them
 *                        the per-CPU kmap_local slots
 *
 * RAM above 896 MiB is high memory: it has no permanent kernel mapping.
 */
#ifndef ASM_LAYOUT_32_H
#define ASM_LAYOUT_32_H

#define UTS_MACHINE        "i386"
#define PAGE_OFFSET        _AC(0xc0000000, UL)
#define DIRECT_MAP_END     (PAGE_OFFSET + MAX_LOWMEM)
#define KERNEL_VIRT_BASE   PAGE_OFFSET
#define MAX_LOWMEM         _AC(0x38000000, UL)             /* 896 MiB */
#define VMALLOC_START      _AC(0xf8800000, UL)
#define VMALLOC_END        _AC(0xff800000, UL)
/* pkmap: exactly one page table (one PD entry), right below the fixmap. */
#define PKMAP_BASE         _AC(0xff800000, UL)
#define LAST_PKMAP         1024
#define FIXADDR_START      _AC(0xffc00000, UL)
#define FIXADDR_SIZE       _AC(0x400000, UL)

/* Physical RAM the boot page tables map (identity and PAGE_OFFSET). */
#define BOOT_MAP_SIZE      _AC(0x1000000, UL)              /* 16 MiB */

#endif
