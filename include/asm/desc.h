/* Descriptor tables: the GDT (with the TSS on x86_64) and the IDT. */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define TSS_SEL   0x18

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
