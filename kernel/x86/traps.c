/*
 * do_trap: where every exception and interrupt arrives (from entry_*.S).
 * Exceptions in the kernel are bugs: each gets a report naming the
 * exception, the registers and a symbolized backtrace, then a panic.
 * Exceptions in user mode end the process with Linux's signal for them
 * (traps_user.c reports); every return to user mode takes the exit work.
 */
#include <pagoda/traps.h>
#include <pagoda/irq.h>
#include <pagoda/apic.h>
#include <pagoda/panic.h>
#include <pagoda/sched.h>
#include <pagoda/signal.h>
#include <asm/desc.h>
#include <asm/entry.h>
#include <asm/pgtable.h>
#include <asm/extable.h>
#include <asm/ptrace.h>
#include <asm/processor.h>

static const char *const names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range exceeded",
	"invalid opcode", "device not available", "double fault", "coprocessor segment overrun",
	"invalid TSS", "segment not present", "stack-segment fault", "general protection fault",
	"page fault", "reserved (15)", "x87 floating-point error", "alignment check",
	"machine check", "SIMD floating-point error", "virtualization exception",
	"control protection fault",
};

const char *trap_name(unsigned int v)
{
	return v < 32 && names[v] ? names[v] : "reserved";
}

void die(struct pt_regs *regs, const char *msg)
{
	printk(KERN_EMERG "Oops: %s, vector %lu, error code 0x%lx\n", msg, regs->vector, regs->error_code);
	show_regs(regs);
	panic_at(regs->bp, regs->ip, "Fatal exception: %s", msg);
}

/* The signal Linux sends for an exception in user mode; 0: not a fault
 * of the program's (NMI, machine check, double fault). */
static int user_trap_signal(unsigned long v)
{
	switch (v) {
	case X86_TRAP_DE: case X86_TRAP_MF: case X86_TRAP_NM: case X86_TRAP_XF:
		return SIGFPE;
	case X86_TRAP_DB: case X86_TRAP_BP:
		return SIGTRAP;
	case X86_TRAP_UD:
		return SIGILL;
	case X86_TRAP_NP: case X86_TRAP_SS: case X86_TRAP_AC:
		return SIGBUS;
	case X86_TRAP_NMI: case X86_TRAP_DF: case X86_TRAP_MC: case X86_TRAP_PF:
		return 0;
	default:
		return SIGSEGV;         /* #GP, #OF, #BR, #TS and the rest */
	}
}

/* An exception from user mode: the kernel is fine, the program is not. */
static void do_user_exception(struct pt_regs *regs)
{
	unsigned long v = regs->vector;
	local_irq_enable();
	user_trap(regs, trap_name(v), user_trap_signal(v));
}

void do_trap(struct pt_regs *regs)
{
	unsigned long v = regs->vector;

	if (v >= IRQ_VECTOR_BASE && v < IRQ_VECTOR_BASE + NR_IRQS) {
		do_irq(v - IRQ_VECTOR_BASE, regs);
		goto irq_exit;
	}
	if (v == SYSCALL_VECTOR && user_mode(regs)) {
		do_int80(regs);         /* does its own exit work */
		return;
	}
	if (v < 32 && user_mode(regs) && user_trap_signal(v)) {
		do_user_exception(regs);
		goto user_exit;
	}
	switch (v) {
	case LAPIC_TIMER_VECTOR:
		lapic_timer_interrupt();
		goto irq_exit;
	case CALL_FUNCTION_VECTOR:
		smp_call_function_interrupt();
		goto irq_exit;
	case RESCHEDULE_VECTOR:
		lapic_eoi();
		scheduler_ipi();
		goto irq_exit;
	case LAPIC_ERROR_VECTOR:
		lapic_error_interrupt();
		goto user_exit;
	case SPURIOUS_VECTOR:
		goto user_exit;         /* no EOI for the spurious vector */
	case X86_TRAP_PF:
		do_page_fault(regs, read_cr2());
		goto user_exit;
	case X86_TRAP_DF:
		do_double_fault(regs);
		return;
	case X86_TRAP_NMI:
		if (smp_stop_nmi())
			return;         /* not reached: another CPU panicked */
		printk(KERN_WARNING "NMI received at %pS, ignored\n", (void *)regs->ip);
		goto user_exit;
	case X86_TRAP_GP: {
		if (fixup_exception(regs))
			return;
		/* In the kernel, a #GP with error code 0 is most often a
		 * non-canonical address (x86_64) or a bad segment load. The
		 * CPU does not say which address: a register holding a
		 * non-canonical value is the likely culprit. */
		const char *reg;
		unsigned long val;
		if (!regs->error_code && noncanonical_register(regs, &reg, &val))
			printk(KERN_EMERG "general protection fault, probably a non-canonical address: %s = %#lx\n",
			       reg, val);
		die(regs, regs->error_code ? "general protection fault (segment selector in error code)"
				      : "general protection fault (non-canonical address or privileged instruction)");
	}
	default:
		if (v < 32)
			die(regs, trap_name(v));
		printk(KERN_WARNING "unexpected interrupt on vector %lu at %pS\n", v, (void *)regs->ip);
	}
	goto user_exit;
irq_exit:
	/* The preemption point: an interrupt that came in with interrupts on
	 * (so not into another handler or a lock's irqsave section) may end
	 * in another task, if the tick or a wake-up asked for it. The trap
	 * frame stays on this task's stack until it runs again. From user
	 * mode the exit work below does it. */
	if (!user_mode(regs) && (regs->flags & X86_EFLAGS_IF))
		preempt_schedule_irq();
user_exit:
	/* Every return to user mode goes through the exit work (a page
	 * fault's handler may have turned interrupts on). */
	if (user_mode(regs)) {
		local_irq_disable();
		exit_to_user_mode(regs);
	}
}
