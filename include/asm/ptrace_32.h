#ifndef ASM_PTRACE_32_H
#define ASM_PTRACE_32_H
#include <pagoda/types.h>

/* Pushed by kernel/x86/entry_32.S (segment registers, then pusha), then by
 * the CPU. A trap taken in ring 0 pushes no sp/ss: the interrupted stack
 * pointer is just past flags, and sp/ss below are the interrupted stack's
 * words, not the frame's; only a frame from user mode (user_mode()) has
 * them. */
struct pt_regs {
	unsigned long di, si, bp, sp_unused, bx, dx, cx, ax;
	unsigned long gs, fs, es, ds;
	unsigned long vector, error_code;
	unsigned long ip, cs, flags;
	unsigned long sp, ss;                   /* from user mode only */
};
#endif
