/* struct pt_regs: the registers the trap entry saves, in this build's layout. */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H
#ifdef __x86_64__
#include <asm/ptrace_64.h>
#else
#include <asm/ptrace_32.h>
#endif

/* The frame was pushed by a trap from user mode (ring 3). */
static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) != 0;
}

/* Registers of the interrupted code, as the report and backtrace need them. */
void show_regs(const struct pt_regs *regs);
unsigned long regs_sp(const struct pt_regs *regs);
/* x86_64: find a general register holding a non-canonical address (the usual
 * cause of a kernel #GP): fills *name and *val, returns true. Always false on
 * i386, which has no such thing. Any context. */
bool noncanonical_register(const struct pt_regs *regs, const char **name, unsigned long *val);
#endif
