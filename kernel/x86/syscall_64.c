/*
 * The x86_64 system-call door: the syscall/sysret MSRs and the C half of
 * entry_SYSCALL_64 (entry_64.S), which decides how to go back.
 *
 * sysret is faster than iret but trusts two registers: it jumps to rcx and
 * loads rflags from r11 without checks of its own. On Intel CPUs a
 * non-canonical rcx makes sysret raise #GP in ring 0, on the user's stack
 * pointer: the kernel would run its fault handler on a stack the user
 * chose. So sysret is used only when the frame still looks like what the
 * syscall instruction made: rcx = ip, r11 = flags, ip a user address below
 * TASK_SIZE, the user selectors, and no RF/TF/VM in flags. Anything else
 * (exec's new registers, a frame a future ptrace changed) goes by iret,
 * which checks everything itself.
 */
#include <pagoda/percpu.h>
#include <pagoda/signal.h>
#include <pagoda/types.h>
#include <asm/desc.h>
#include <asm/entry.h>
#include <asm/layout.h>
#include <asm/processor.h>

#define MSR_STAR           0xc0000081
#define MSR_LSTAR          0xc0000082
#define MSR_SYSCALL_MASK   0xc0000084
#define MSR_KERNEL_GS_BASE 0xc0000102
#define EFER_SCE           (1UL << 0)

/* The user rsp while the entry has no free register (entry_64.S). */
DEFINE_PER_CPU(unsigned long, cpu_user_sp);

void entry_SYSCALL_64(void);

/* Also lets user mode ask for alignment checks (EFLAGS.AC with CR0.AM:
 * #AC, SIGBUS; ring 0 is never checked, so SMAP's stac stays harmless). */
void syscall_init(void)
{
	write_cr0(read_cr0() | X86_CR0_AM);
	/* syscall: CS = KERNEL_CS, SS = KERNEL_CS + 8; sysret: SS = base + 8,
	 * CS = base + 16, both with RPL 3 (<asm/desc_64.h>). */
	wrmsr(MSR_STAR, ((u64)(USER_DS - 3 - 8) << 48) | ((u64)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (unsigned long)entry_SYSCALL_64);
	/* Cleared on entry: interrupts until the stack is the kernel's, the
	 * direction flag the C code assumes clear, a trap flag single-stepping
	 * into the kernel, and AC (SMAP's door). */
	wrmsr(MSR_SYSCALL_MASK, X86_EFLAGS_IF | X86_EFLAGS_DF | X86_EFLAGS_TF | X86_EFLAGS_AC |
	      X86_EFLAGS_NT | X86_EFLAGS_IOPL);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* The GS base user mode starts with, swapped in at the first exit. */
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

bool syscall_return_by_sysret(const struct pt_regs *regs)
{
	if (regs->cx != regs->ip || regs->r11 != regs->flags)
		return false;
	if (regs->ip >= TASK_SIZE)              /* covers every non-canonical address */
		return false;
	if (regs->cs != USER_CS || regs->ss != USER_DS)
		return false;
	return !(regs->flags & (X86_EFLAGS_RF | X86_EFLAGS_TF | X86_EFLAGS_VM));
}

/* From entry_SYSCALL_64 with interrupts off; returns with them off, after
 * the exit work; true if sysret may return. */
__used bool do_syscall_64(struct pt_regs *regs)
{
	local_irq_enable();
	do_syscall(regs);
	local_irq_disable();
	exit_to_user_mode(regs);
	return syscall_return_by_sysret(regs);
}

/* i386's door. Its gate has DPL 0 here, so `int $0x80` from user mode is a
 * #GP before it gets this far; kept so do_trap is the same on both builds. */
void do_int80(struct pt_regs *regs)
{
	local_irq_enable();
	user_trap(regs, "int $0x80 (the i386 system call) on x86_64", SIGSEGV);
}
