/*
 * A trap in user mode the kernel cannot fix: the program is wrong, the
 * kernel is fine. The console gets one report (who, which trap, where, the
 * registers, as Linux's "segfault at" line plus show_regs), and the process
 * dies of the signal Linux sends for it on its way back to user mode.
 */
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <pagoda/signal.h>
#include <asm/entry.h>
#include <asm/ptrace.h>

void user_trap(struct pt_regs *regs, const char *what, int sig)
{
	struct task_struct *me = current;
	char sb[16];
	printk(KERN_ERR "%s[%d]: %s (trap %lu, error code %#lx) at ip %#lx sp %#lx on CPU %d: killed by %s\n",
	       me->comm, me->pid, what, regs->vector, regs->error_code, regs->ip, regs_sp(regs),
	       me->cpu, signal_name(sig, sb, sizeof(sb)));
	show_regs(regs);
	force_fatal_sig(sig);
}
