/* x86_64: the per-CPU base lives in GS (MSR_GS_BASE). */
#ifndef ASM_PERCPU_64_H
#define ASM_PERCPU_64_H

#define MSR_GS_BASE 0xc0000101

#define this_cpu_read_int(off) ({ int __v; __asm__("movl %%gs:%c1, %0" : "=r"(__v) : "i"(off)); __v; })

#endif
