/* Exceptions: the common dispatcher and the fatal-report path. */
#ifndef PAGODA_TRAPS_H
#define PAGODA_TRAPS_H

#include <pagoda/compiler.h>
#include <asm/ptrace.h>

enum {
	X86_TRAP_DE = 0, X86_TRAP_DB, X86_TRAP_NMI, X86_TRAP_BP, X86_TRAP_OF, X86_TRAP_BR,
	X86_TRAP_UD, X86_TRAP_NM, X86_TRAP_DF, X86_TRAP_OLD_MF, X86_TRAP_TS, X86_TRAP_NP,
	X86_TRAP_SS, X86_TRAP_GP, X86_TRAP_PF, X86_TRAP_SPURIOUS, X86_TRAP_MF, X86_TRAP_AC,
	X86_TRAP_MC, X86_TRAP_XF,
};

/* Entry from trap_common for every vector. */
void do_trap(struct pt_regs *regs);
/* Page faults and double faults (mm/fault.c). */
void do_page_fault(struct pt_regs *regs, unsigned long address);
void do_double_fault(struct pt_regs *regs);

/* Print registers and a backtrace of the interrupted code, then panic with
 * msg. Used by every fatal exception. */
__noreturn void die(struct pt_regs *regs, const char *msg);

/* panic() with the backtrace taken from a given frame (die, fault reports). */
__printf(3, 4) __noreturn void panic_at(unsigned long fp, unsigned long pc, const char *fmt, ...);

const char *trap_name(unsigned int vector);

#endif
