/*
 * i386 virtual memory map (3G/1G split; the same with and without PAE but
 * for the sizes of the pkmap and fixmap areas, which are one page table
 * each: 4 MiB with 2-level paging, 2 MiB with PAE):
 *
 *                       2-level              PAE
 *   user space          00000000-bfffffff    same (TASK_SIZE; NULL faults)
 *   direct map          c0000000-f7ffffff    same: low memory (PAGE_OFFSET),
 *                       at most 896 MiB; the kernel image sits inside it
 *                       at c0100000
 *   (hole)              f8000000-f87fffff    same: 8 MiB catching overruns
 *   vmalloc / ioremap   f8800000-ff7fffff    f8800000-ffbfffff  its page
 *                       tables are preallocated at boot (2-level: 28 of
 *                       them) or hang off the one shared PAE page
 *                       directory, so every address space sees them
 *   pkmap               ff800000-ffbfffff    ffc00000-ffdfffff  kmap()'s
 *                       pool: 1024 or 512 long-lived mappings of highmem
 *                       pages, one page table made at boot
 *   fixmap              ffc00000-ffffffff    ffe00000-ffffffff  temporary
 *                       single-page mappings, among them the per-CPU
 *                       kmap_local slots
 *
 * RAM above 896 MiB is high memory: it has no permanent kernel mapping.
 */
#ifndef ASM_LAYOUT_32_H
#define ASM_LAYOUT_32_H

#define PAGE_OFFSET        _AC(0xc0000000, UL)
#define DIRECT_MAP_END     (PAGE_OFFSET + MAX_LOWMEM)
#define KERNEL_VIRT_BASE   PAGE_OFFSET
#define TASK_SIZE          PAGE_OFFSET                     /* the 3G/1G split */
#define MAX_LOWMEM         _AC(0x38000000, UL)             /* 896 MiB */
#define VMALLOC_START      _AC(0xf8800000, UL)
#define VMALLOC_END        PKMAP_BASE
/* pkmap and fixmap: exactly one page table each (one page-directory entry)
 * at the top of the address space. A PAE table has 512 entries, not 1024. */
#ifdef CONFIG_X86_PAE
#define UTS_MACHINE        "i386 PAE"
#define PAGE_TABLE_SPAN    _AC(0x200000, UL)               /* 2 MiB */
#define LAST_PKMAP         512
#else
#define UTS_MACHINE        "i386"
#define PAGE_TABLE_SPAN    _AC(0x400000, UL)               /* 4 MiB */
#define LAST_PKMAP         1024
#endif
#define PKMAP_BASE         (FIXADDR_START - PAGE_TABLE_SPAN)
#define FIXADDR_SIZE       PAGE_TABLE_SPAN
#define FIXADDR_START      (_AC(0xffffffff, UL) - FIXADDR_SIZE + 1)

/* Physical RAM the boot page tables map (identity and PAGE_OFFSET). */
#define BOOT_MAP_SIZE      _AC(0x1000000, UL)              /* 16 MiB */

#endif
