#ifndef ASM_PTRACE_32_H
#define ASM_PTRACE_32_H
#include <pagoda/types.h>

/* Pushed by kernel/x86/entry_32.S (pusha order), then by the CPU. A trap taken
 * in ring 0 pushes no sp/ss: the interrupted stack pointer is just above. */
struct pt_regs {
	unsigned long di, si, bp, sp_unused, bx, dx, cx, ax;
	unsigned long vector, error_code;
	unsigned long ip, cs, flags;
};
#endif
