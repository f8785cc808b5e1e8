/* Descriptor tables: the GDT (with the TSS) and the IDT. The selectors of
 * each build are in desc_32.h / desc_64.h: kernel code and data, user code
 * and data (DPL 3; the selector values below carry RPL 3). */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10

#ifdef __x86_64__
#include <asm/desc_64.h>
#else
#include <asm/desc_32.h>
#endif

/* The gate user mode may raise by `int`: i386's system call (x86_64 uses
 * the syscall instruction) and int3 (a user breakpoint gets SIGTRAP). */
#define SYSCALL_VECTOR 0x80

#ifndef __ASSEMBLER__
/* Install the final GDT (and TSS) and an IDT whose every vector enters
 * do_trap through trap_stubs. Boot CPU, interrupts off. */
void cpu_tables_init(void);
/* Build and load CPU cpu's own GDT (and TSS), the shared IDT, and point the
 * per-CPU base register at its area. Each CPU calls it for itself. */
void cpu_tables_load(int cpu);
/* Load the per-CPU base register (GS base / FS) with CPU cpu's offset. */
void percpu_set_base(int cpu);

extern char trap_stubs[];
#endif

#endif
