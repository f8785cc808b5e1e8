#ifndef ASM_SYSCALL_64_H
#define ASM_SYSCALL_64_H
#include <asm/ptrace.h>

/* syscall: number in rax, arguments in rdi, rsi, rdx, r10 (rcx holds the
 * return address), r8, r9; the result goes back in rax. */
static inline unsigned long syscall_get_nr(const struct pt_regs *regs) { return regs->ax; }
static inline unsigned long syscall_get_arg(const struct pt_regs *regs, int n)
{
	switch (n) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->r10;
	case 4: return regs->r8;
	default: return regs->r9;
	}
}
static inline void syscall_set_return(struct pt_regs *regs, long val) { regs->ax = (unsigned long)val; }
/* Set argument n (tests that call a handler with a made-up frame). */
static inline void syscall_set_arg(struct pt_regs *regs, int n, unsigned long val)
{
	switch (n) {
	case 0: regs->di = val; break;
	case 1: regs->si = val; break;
	case 2: regs->dx = val; break;
	case 3: regs->r10 = val; break;
	case 4: regs->r8 = val; break;
	default: regs->r9 = val; break;
	}
}
#endif
