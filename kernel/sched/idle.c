/*
 * The idle loop: what a CPU runs when its run queue is empty. It is a task
 * like the others (so schedule() always has something to pick) but never
 * sleeps and is never queued. It halts with interrupts on; the tick, a
 * device interrupt or the reschedule IPI wakes it, and if a task was made
 * runnable here meanwhile (need_resched), it schedules.
 */
#include <pagoda/sched.h>
#include <asm/processor.h>

__noreturn void cpu_idle_loop(void)
{
	for (;;) {
		local_irq_disable();
		if (need_resched()) {
			local_irq_enable();
			schedule();
			continue;
		}
		safe_halt();            /* sti; hlt: a wake-up cannot slip in between */
	}
}
