/* i386: the per-CPU base lives in FS, a per-CPU data segment (GDT slot 3). */
#ifndef ASM_PERCPU_32_H
#define ASM_PERCPU_32_H

#define PERCPU_SEL 0x18

#define this_cpu_read_int(off) ({ int __v; __asm__("movl %%fs:%c1, %0" : "=r"(__v) : "i"(off)); __v; })

#endif
