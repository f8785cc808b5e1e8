/* struct pt_regs: the registers the trap entry saves, in this build's layout. */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H
#ifdef __x86_64__
#include <asm/ptrace_64.h>
#else
#include <asm/ptrace_32.h>
#endif

/* Registers of the interrupted code, as the report and backtrace need them. */
void show_regs(const struct pt_regs *regs);
unsigned long regs_sp(const struct pt_regs *regs);
#endif
