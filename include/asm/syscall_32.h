#ifndef ASM_SYSCALL_32_H
#define ASM_SYSCALL_32_H
#include <asm/ptrace.h>

/* int $0x80: number in eax, arguments in ebx, ecx, edx, esi, edi, ebp; the
 * result goes back in eax. */
static inline unsigned long syscall_get_nr(const struct pt_regs *regs) { return regs->ax; }
static inline unsigned long syscall_get_arg(const struct pt_regs *regs, int n)
{
	switch (n) {
	case 0: return regs->bx;
	case 1: return regs->cx;
	case 2: return regs->dx;
	case 3: return regs->si;
	case 4: return regs->di;
	default: return regs->bp;
	}
}
static inline void syscall_set_return(struct pt_regs *regs, long val) { regs->ax = (unsigned long)val; }
/* Set argument n (tests that call a handler with a made-up frame). */
static inline void syscall_set_arg(struct pt_regs *regs, int n, unsigned long val)
{
	switch (n) {
	case 0: regs->bx = val; break;
	case 1: regs->cx = val; break;
	case 2: regs->dx = val; break;
	case 3: regs->si = val; break;
	case 4: regs->di = val; break;
	default: regs->bp = val; break;
	}
}
#endif
