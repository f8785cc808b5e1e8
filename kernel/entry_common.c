/*
 * The exit work: the last C code before any return to user mode (a
 * system call on either build, an interrupt or exception that came from
 * user mode, a new process's first return). Two things can be due: the
 * CPU should go to another task (the tick ended the slice, a wake-up asked
 * for it), or the process must die (a fault, a kill). Both are done here,
 * at a point where the task holds nothing, rather than where they were
 * noticed.
 */
#include <pagoda/preempt.h>
#include <pagoda/process.h>
#include <pagoda/sched.h>
#include <pagoda/signal.h>
#include <uapi/pagoda/wait.h>
#include <asm/entry.h>
#include <asm/processor.h>

/* Interrupts off on entry and on return. */
void exit_to_user_mode(struct pt_regs *regs)
{
	bool offered = false;
	(void)regs;
	for (;;) {
		struct task_struct *me = current;
		int sig = READ_ONCE(me->pending_sig);
		if (sig) {
			local_irq_enable();
			do_exit(W_EXITCODE(0, sig));
		}
		/* Once per return: an offer the idle CPU does not take must not
		 * keep the task from user mode. */
		if (!need_resched() && (offered || !(offered = sched_offer_to_idle_cpu())))
			return;
		local_irq_enable();
		/* Nothing of this CPU's is held here: while queued, the task may
		 * be taken by a CPU about to idle (kernel/sched/core.c). */
		me->migratable = true;
		schedule();             /* still runnable: to the tail of the queue */
		me->migratable = false;
		local_irq_disable();
	}
}
