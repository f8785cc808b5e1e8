/*
 * The scheduler's core: per-CPU run queues, schedule(), wake-ups, the tick
 * and preemption. The policy (docs/scheduler.md): round robin. A task runs
 * until it sleeps, yields or uses up its slice of SCHED_SLICE_TICKS ticks,
 * then the task at the head of its CPU's queue runs and the one that ran
 * goes to the tail (if still runnable). With nothing queued the CPU runs
 * its idle task, which halts. Tasks do not migrate: each stays on the CPU
 * it was created on (the least loaded then), so one CPU's queue is only
 * ever changed under its own lock, and a task's per-CPU data stays its.
 */
#include "sched.h"
#include <pagoda/apic.h>
#include <pagoda/mm.h>
#include <pagoda/mm_user.h>
#include <pagoda/pgd.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/time.h>
#include <asm/processor.h>

DEFINE_PER_CPU(struct rq, runqueues);
/* Every CPU's copy starts at init_task: `current` is valid from the first
 * instruction (APs replace it with their idle task before anything runs). */
DEFINE_PER_CPU(struct task_struct *, current_task) = &init_task;
DEFINE_PER_CPU(int, need_resched_flag);
bool sched_running;

struct task_struct init_task = {
	.state = TASK_RUNNING,
	.flags = PF_KTHREAD,
	.pid = 1,
	.comm = "init",
	.cpu = 0,
	.cpus_allowed = 1,              /* smp_run_on_all_cpus and the tests need the boot CPU */
	.on_rq = 1,
	.time_slice = SCHED_SLICE_TICKS,
	.run_list = LIST_HEAD_INIT(init_task.run_list),
	.parent = &init_task,
	.children = LIST_HEAD_INIT(init_task.children),
	.sibling = LIST_HEAD_INIT(init_task.sibling),
	.tasks = LIST_HEAD_INIT(init_task.tasks),
	.active_mm = &init_mm,
	.stack = boot_stack,
	.stack_info = { "boot stack", (unsigned long)boot_stack, (unsigned long)boot_stack_top,
			(unsigned long)boot_stack_guard },
	.usage = 1,
};

void rq_init(int cpu)
{
	struct rq *rq = cpu_rq(cpu);
	spin_lock_init(&rq->lock);
	INIT_LIST_HEAD(&rq->queue);
	rq->nr_queued = rq->nr_running = 0;
	rq->curr = rq->idle = NULL;
	rq->nr_switches = 0;
	timers_init_cpu(cpu);
}

/* Boot CPU, interrupts still off: the boot context is init_task. */
void sched_init(void)
{
	rq_init(0);
	struct rq *rq = cpu_rq(0);
	rq->curr = &init_task;
	rq->nr_running = 1;
	init_task.thread.sp0 = (unsigned long)boot_stack_top;
	init_task.exec_start = rdtsc();
	mmgrab(&init_mm);               /* init_task's active_mm (lazy TLB) */
	load_sp0(init_task.thread.sp0);
	task_list_add(&init_task);
}

/* Ask cpu to reschedule soon: its flag, and an IPI if it is another CPU. */
static void resched_cpu(int cpu)
{
	per_cpu(need_resched_flag, cpu) = 1;
	if (cpu != smp_processor_id() && apic_enabled)
		lapic_send_ipi(per_cpu(cpu_info, cpu).apic_id, RESCHEDULE_VECTOR);
}

static void enqueue(struct rq *rq, struct task_struct *p)
{
	list_add_tail(&p->run_list, &rq->queue);
	rq->nr_queued++;
}

/* The reschedule IPI: the flag is already set; returning from the
 * interrupt is the preemption point. */
void scheduler_ipi(void)
{
}

int wake_up_process(struct task_struct *p)
{
	return wake_up_state(p, TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE);
}

int wake_up_state(struct task_struct *p, long state)
{
	struct rq *rq = cpu_rq(p->cpu);
	unsigned long flags;
	int woken = 0;
	spin_lock_irqsave(&rq->lock, flags);
	if ((p->state & state) && !(p->state & TASK_DEAD)) {
		p->state = TASK_RUNNING;
		woken = 1;
		if (!p->on_rq) {
			p->on_rq = 1;
			rq->nr_running++;
			enqueue(rq, p);
			/* Round robin: a woken task waits its turn, unless the CPU idles. */
			if (rq->curr == rq->idle)
				resched_cpu(p->cpu);
		}
	}
	spin_unlock_irqrestore(&rq->lock, flags);
	return woken;
}

static struct task_struct *pick_next_task(struct rq *rq)
{
	if (list_empty(&rq->queue))
		return rq->idle;
	struct task_struct *p = list_first_entry(&rq->queue, struct task_struct, run_list);
	list_del(&p->run_list);
	rq->nr_queued--;
	return p;
}

/*
 * Address spaces, Linux's lazy TLB: a kernel thread keeps the one in CR3
 * and holds a reference on it (mm_count) for as long as it is its
 * active_mm, so the pgd in CR3 is never freed under the CPU. From a user
 * task the reference is taken; from a kernel thread it passes on (prev
 * keeps no active_mm); at the switch to a user task the borrowed mm is
 * dropped, after the switch (finish_task_switch), by then out of CR3.
 */
static void context_switch_mm(struct rq *rq, struct task_struct *prev, struct task_struct *next)
{
	if (!next->mm) {
		next->active_mm = prev->active_mm;
		if (prev->mm)
			mmgrab(prev->active_mm);
		else
			prev->active_mm = NULL;
		return;
	}
	switch_mm(prev->active_mm, next->mm);
	next->active_mm = next->mm;
	if (!prev->mm) {
		rq->prev_mm = prev->active_mm;
		prev->active_mm = NULL;
	}
}

void __schedule(bool preempt)
{
	struct task_struct *prev = current, *next;
	struct rq *rq = this_rq();

	local_irq_disable();
	spin_lock(&rq->lock);
	this_cpu_write(need_resched_flag, 0);
	unsigned long *switch_count = &prev->nivcsw;
	if (!preempt && prev->state != TASK_RUNNING && !(prev->flags & PF_IDLE)) {
		prev->on_rq = 0;                /* it sleeps (or died) */
		rq->nr_running--;
		switch_count = &prev->nvcsw;
	} else if (prev != rq->idle) {
		enqueue(rq, prev);              /* preempted or yielding: the tail */
	}
	next = pick_next_task(rq);
	if (next == prev) {
		spin_unlock(&rq->lock);
		local_irq_enable();
		return;
	}
	(*switch_count)++;
	rq->nr_switches++;
	rq->curr = next;
	next->time_slice = SCHED_SLICE_TICKS;
	u64 now = rdtsc();
	prev->runtime += now - prev->exec_start;
	next->exec_start = now;
	if (prev->flags & PF_USER)
		fpu_save(prev->thread.fpu);
	context_switch_mm(rq, prev, next);
	if (next->flags & PF_USER)
		fpu_restore(next->thread.fpu);
	load_sp0(next->thread.sp0);
	this_cpu_write(current_task, next);
	prev = __switch_to_asm(&prev->thread.sp, next->thread.sp, prev);
	/* Now on next's stack, as next; prev is the task that ran before. */
	finish_task_switch(prev);
}

void finish_task_switch(struct task_struct *prev)
{
	struct rq *rq = this_rq();
	struct mm_struct *mm = rq->prev_mm;
	rq->prev_mm = NULL;
	spin_unlock(&rq->lock);
	local_irq_enable();
	if (mm)
		mmdrop(mm);
	if (prev->state & TASK_DEAD)
		task_dead(prev);
}

/* A new task's first code after the switch (ret_from_kernel_thread). */
__used void schedule_tail(struct task_struct *prev)
{
	finish_task_switch(prev);
}

static __noreturn void schedule_bug(const char *why)
{
	struct task_struct *p = current;
	panic("BUG: scheduling while atomic: %s/%d on CPU %d: %s (preempt_count %d, preempt_block %d, "
	      "interrupts %s)", p->comm, p->pid, smp_processor_id(), why, this_cpu_read(preempt_count),
	      this_cpu_read(preempt_block_count), irqs_disabled() ? "off" : "on");
}

void schedule(void)
{
	if (unlikely(!sched_running))
		schedule_bug("the scheduler is not running yet");
	/* With lock_debug, a spinlock holder is named first. */
	if (unlikely(lock_debug))
		lock_debug_check_sleep(__FILE__, __LINE__);
	if (unlikely(this_cpu_read(preempt_count)))
		schedule_bug("preemption is disabled (a spinlock, kmap_atomic or preempt_disable)");
	if (unlikely(this_cpu_read(preempt_block_count)))
		schedule_bug("this CPU's per-CPU state is in use (kmap_local, page-table stash, plug)");
	if (unlikely(irqs_disabled()))
		schedule_bug("interrupts are off");
	if (unlikely((current->flags & PF_IDLE) && current->state != TASK_RUNNING))
		schedule_bug("the idle task may not sleep");
	__schedule(false);
	barrier();                      /* no tail call: schedule() stays in backtraces */
}

void yield(void)
{
	__set_current_state(TASK_RUNNING);
	schedule();
}

void preempt_schedule(void)
{
	if (!sched_running || irqs_disabled() || this_cpu_read(preempt_count) ||
	    this_cpu_read(preempt_block_count) || !this_rq()->idle)
		return;
	__schedule(true);
}

/* Interrupts off, at the end of an interrupt that came in with them on. */
void preempt_schedule_irq(void)
{
	if (!need_resched() || !sched_running || this_cpu_read(preempt_count) ||
	    this_cpu_read(preempt_block_count) || !this_rq()->idle)
		return;
	do {
		__schedule(true);
		local_irq_disable();
	} while (need_resched());
}

void scheduler_tick(void)
{
	struct rq *rq = this_rq();
	if (!rq->idle)
		return;                 /* this CPU's scheduler is not set up yet */
	run_local_timers();
	struct task_struct *curr = current;
	spin_lock(&rq->lock);
	if (curr == rq->idle) {
		if (rq->nr_queued)
			this_cpu_write(need_resched_flag, 1);
	} else if (--curr->time_slice <= 0) {
		curr->time_slice = SCHED_SLICE_TICKS;
		if (rq->nr_queued)
			this_cpu_write(need_resched_flag, 1);
	}
	spin_unlock(&rq->lock);
}

unsigned int nr_running_on(int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->nr_running);
}

unsigned long nr_context_switches(int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->nr_switches);
}

/* For kthread_create: the least loaded CPU among allowed and online. */
int select_task_cpu(unsigned long allowed)
{
	int best = -1, cpu;
	unsigned int best_load = ~0u;
	for_each_online_cpu(cpu) {
		if (!(allowed & (1UL << cpu)) || !cpu_rq(cpu)->idle)
			continue;
		unsigned int load = nr_running_on(cpu);
		if (load < best_load) {
			best_load = load;
			best = cpu;
		}
	}
	return best < 0 ? 0 : best;
}
