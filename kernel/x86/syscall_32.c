/*
 * The i386 system-call door: `int $0x80` (its IDT gate has DPL 3,
 * desc_32.c) arrives in do_trap like any interrupt, on the task's kernel
 * stack with the kernel's segments loaded (entry_32.S), and comes here.
 * It returns by iret, as every i386 trap does (sysenter is left out: one
 * door is easier to follow).
 */
#include <asm/entry.h>
#include <asm/processor.h>

/* Also lets user mode ask for alignment checks (EFLAGS.AC with CR0.AM:
 * #AC, SIGBUS; ring 0 is never checked, so SMAP's stac stays harmless). */
void syscall_init(void)
{
	write_cr0(read_cr0() | X86_CR0_AM);
}

void do_int80(struct pt_regs *regs)
{
	local_irq_enable();
	do_syscall(regs);
	local_irq_disable();
	exit_to_user_mode(regs);
}

bool syscall_return_by_sysret(const struct pt_regs *regs)
{
	(void)regs;
	return false;
}
