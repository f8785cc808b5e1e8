#ifndef ASM_PTRACE_64_H
#define ASM_PTRACE_64_H
#include <pagoda/types.h>

/* Pushed by kernel/x86/entry_64.S (lowest address first), then by the CPU. */
struct pt_regs {
	unsigned long r15, r14, r13, r12, r11, r10, r9, r8;
	unsigned long di, si, bp, dx, cx, bx, ax;
	unsigned long vector, error_code;
	unsigned long ip, cs, flags, sp, ss;    /* the CPU's interrupt frame */
};
#endif
