/* i386 GDT layout: 0x00 null, 0x08 kernel code, 0x10 kernel data, 0x18 the
 * CPU's per-CPU data segment (FS in the kernel), 0x20 the CPU's TSS, 0x28
 * the double-fault TSS, 0x30 user code, 0x38 user data (both flat 4 GiB,
 * DPL 3: the page tables' U/S bit keeps user mode out of the kernel half). */
#ifndef ASM_DESC_32_H
#define ASM_DESC_32_H

#define TSS_SEL      0x20
#define DF_TSS_SEL   0x28
#define USER_CS      (0x30 | 3)
#define USER_DS      (0x38 | 3)
#define GDT_ENTRIES  8

#endif
