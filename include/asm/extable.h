/*
 * The exception table: pairs (instruction, fixup) of the few kernel
 * instructions that are allowed to fault, the user copies of
 * <pagoda/uaccess.h>. When one of them faults and the fault cannot be
 * served (no page there, or the access is not allowed), the trap handler
 * resumes at the fixup instead of reporting an oops: the copy then returns
 * how much it did not copy. Entries come from _ASM_EXTABLE in inline asm and
 * land in the __ex_table section (linker.ld), between __start___ex_table
 * and __stop___ex_table.
 */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H

#include <pagoda/types.h>
#include <asm/ptrace.h>

struct exception_table_entry {
	unsigned long insn;     /* the instruction that may fault */
	unsigned long fixup;    /* where to resume if it does */
};

#ifdef __x86_64__
#define __EXTABLE_WORD ".quad "
#else
#define __EXTABLE_WORD ".long "
#endif
/* For inline asm: "1: insn\n2:\n" _ASM_EXTABLE(1b, 2b) */
#define _ASM_EXTABLE(from, to)                                  \
	" .pushsection __ex_table, \"a\"\n"                     \
	" .balign 8\n"                                          \
	__EXTABLE_WORD #from ", " #to "\n"                      \
	" .popsection\n"

/* The entry for ip, or NULL. Any context. */
const struct exception_table_entry *search_exception_tables(unsigned long ip);
/* If regs->ip has an entry, point regs->ip at its fixup and return true.
 * Called by the page-fault and #GP handlers for a kernel-mode fault. */
bool fixup_exception(struct pt_regs *regs);

#endif
