/*
 * The arch half of per-CPU data (<pagoda/percpu.h> is the contract): each
 * CPU's segment base register holds that CPU's per-CPU offset, so
 * "seg:&var" is this CPU's copy of var in one instruction. x86_64 uses GS
 * (base set through MSR_GS_BASE, as Linux does); i386 uses FS with a flat
 * per-CPU data descriptor in the CPU's own GDT whose base is the offset, as
 * Linux i386 does. GCC's named address spaces (__seg_gs, __seg_fs) let
 * plain C loads and stores carry the segment prefix: see percpu_64.h/_32.h.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#ifdef __x86_64__
#include <asm/percpu_64.h>
#else
#include <asm/percpu_32.h>
#endif

/* var, addressed through this CPU's segment base: one load or store. */
#define __percpu_seg_ref(var) \
	(*(volatile __typeof__(var) __percpu_seg *)(unsigned long)&(var))
/* Reads are cast back to the plain type: a scalar without the segment. */
#define arch_this_cpu_read(var)     ((__typeof__(var))__percpu_seg_ref(var))
/* The same without volatile, for values that never change under the reader
 * (the CPU number): the compiler may reuse an earlier load. */
#define arch_this_cpu_read_stable(var) \
	((__typeof__(var))*(const __typeof__(var) __percpu_seg *)(unsigned long)&(var))
#define arch_this_cpu_write(var, v) (__percpu_seg_ref(var) = (v))
/* var += v as one instruction (add to memory): an interrupt handler on this
 * CPU sees it before or after, never half done. */
#define arch_this_cpu_add(var, v) \
	__asm__ __volatile__("add%z0 %1, %0" : "+m"(__percpu_seg_ref(var)) : "ri"((__typeof__(var))(v)))

#endif
