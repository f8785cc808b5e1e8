/*
 * The per-CPU area: each CPU's segment base register points at its own
 * struct percpu_hot, so "my CPU number" is one instruction, no table look-up
 * and no APIC read. x86_64 uses GS (base set through MSR_GS_BASE, as Linux
 * does); i386 uses FS with a per-CPU data descriptor in the CPU's own GDT
 * (base = its struct percpu_hot), as Linux i386 does. See percpu_64.h/_32.h.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <pagoda/types.h>

/* What the segment base points at. Keep it small and hot. */
struct percpu_hot {
	union {
		struct percpu_hot *self;        /* its own linear address */
		u64 self_pad;                   /* same layout on both builds */
	};
	int cpu;                                /* logical id */
};
#define PERCPU_CPU_OFFSET 8
_Static_assert(__builtin_offsetof(struct percpu_hot, cpu) == PERCPU_CPU_OFFSET, "percpu_hot layout");

#ifdef __x86_64__
#include <asm/percpu_64.h>
#else
#include <asm/percpu_32.h>
#endif

#endif
