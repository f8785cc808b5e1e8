/* The virtual memory layout of this build; see layout_64.h / layout_32.h. */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H
#include <asm/const.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  (_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

/* Physical address where GRUB loads the kernel image: 1 MiB. */
#define KERNEL_LOAD_PHYS _AC(0x100000, UL)

#define BOOT_STACK_SIZE (_AC(16, UL) * 1024)
/* The multiboot2 information is copied into the image before paging. */
#define MBI_COPY_SIZE   (_AC(64, UL) * 1024)

#ifdef __x86_64__
#include <asm/layout_64.h>
#else
#include <asm/layout_32.h>
#endif

#endif
