/*
 * The scheduler's core: per-CPU run queues, schedule(), wake-ups, the tick
 * and preemption. The policy (docs/scheduler.md): round robin. A task runs
 * until it sleeps, yields or uses up its slice of SCHED_SLICE_TICKS ticks,
 * then the task at the head of its CPU's queue runs and the one that ran
 * goes to the tail (if still runnable). With nothing queued the CPU runs
 * its idle task, which halts. A task starts on the least loaded CPU and
 * stays there, with two exceptions: a user task preempted on its way back
 * to user mode (so it holds no kernel state of its CPU) may be taken by a
 * CPU about to idle, which locks both queues to move it (idle balancing);
 * a user task asleep in an IPC wait may be woken onto its partner's CPU
 * (wake_up_process_sync). Kernel threads never move.
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
	rq->nr_queued = rq->nr_running = rq->nr_queued_migratable = 0;
	rq->nr_migrations = 0;
	rq->nr_wake_affine = 0;
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
	rq->nr_queued_migratable += p->migratable;
}

static void dequeue(struct rq *rq, struct task_struct *p)
{
	list_del(&p->run_list);
	rq->nr_queued--;
	rq->nr_queued_migratable -= p->migratable;
}

/* The reschedule IPI: the flag is already set; returning from the
 * interrupt is the preemption point. */
void scheduler_ipi(void)
{
}

struct rq *task_rq_lock(struct task_struct *p, unsigned long *flags)
{
	for (;;) {
		struct rq *rq = cpu_rq(READ_ONCE(p->cpu));
		spin_lock_irqsave(&rq->lock, *flags);
		if (rq == cpu_rq(READ_ONCE(p->cpu)))
			return rq;
		spin_unlock_irqrestore(&rq->lock, *flags);
	}
}

int wake_up_process(struct task_struct *p)
{
	return wake_up_state(p, TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE);
}

/* Under p's queue lock: p sleeps in one of state's states and is not
 * dying, so it runs again: TASK_RUNNING. False: nothing to wake. */
static bool mark_running(struct task_struct *p, long state)
{
	if (!(p->state & state) || (p->state & TASK_DEAD))
		return false;
	p->state = TASK_RUNNING;
	return true;
}

/* Under rq's lock: p, just woken and off every queue, joins rq (p->cpu's). */
static void activate_woken(struct rq *rq, struct task_struct *p)
{
	p->on_rq = 1;
	rq->nr_running++;
	enqueue(rq, p);
	/* Round robin: a woken task waits its turn, unless the CPU idles. */
	if (rq->curr == rq->idle)
		resched_cpu(p->cpu);
}

int wake_up_state(struct task_struct *p, long state)
{
	unsigned long flags;
	struct rq *rq = task_rq_lock(p, &flags);
	int woken = mark_running(p, state);
	if (woken && !p->on_rq)
		activate_woken(rq, p);
	task_rq_unlock(rq, flags);
	return woken;
}

/* Both queues locked, in address order (the order double_lock_balance
 * keeps), interrupts already off; a and b may be the same queue. */
static void double_rq_lock(struct rq *a, struct rq *b)
{
	if (a == b) {
		spin_lock(&a->lock);
	} else if (a < b) {
		spin_lock(&a->lock);
		spin_lock(&b->lock);
	} else {
		spin_lock(&b->lock);
		spin_lock(&a->lock);
	}
}

static void double_rq_unlock(struct rq *a, struct rq *b)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
}

/*
 * Linux's WF_SYNC wake-up: the waker is about to sleep until p answers (an
 * IPC call wakes its server, the reply its caller). A p asleep where it
 * holds nothing of its CPU's (sleep_movable) is queued on the waker's CPU
 * if nothing waits there, so the pair takes turns on one CPU. Otherwise
 * every round trip crosses CPUs twice, each time an IPI to a CPU that
 * halted; under QEMU's TCG that CPU is a host thread the host must wake
 * and schedule, milliseconds on a busy host (docs/performance.md). If both
 * stay runnable, idle balancing spreads them again.
 */
int wake_up_process_sync(struct task_struct *p)
{
	int this_cpu = smp_processor_id();
	if (!READ_ONCE(p->sleep_movable) || READ_ONCE(p->cpu) == this_cpu ||
	    !(p->cpus_allowed & (1UL << this_cpu)) || READ_ONCE(this_rq()->nr_queued))
		return wake_up_process(p);
	unsigned long flags = local_irq_save();
	struct rq *dst = this_rq(), *src;
	for (;;) {
		src = cpu_rq(READ_ONCE(p->cpu));
		double_rq_lock(src, dst);
		if (src == cpu_rq(READ_ONCE(p->cpu)))
			break;
		double_rq_unlock(src, dst);
	}
	int woken = mark_running(p, TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE);
	if (woken && !p->on_rq) {
		/* Off the queue and, its queue's lock held, off its CPU too. */
		struct rq *rq = src;
		if (p->sleep_movable && READ_ONCE(p->on_cpu) < 0 && !dst->nr_queued) {
			WRITE_ONCE(p->cpu, this_cpu);
			rq = dst;
			rq->nr_wake_affine++;
		}
		activate_woken(rq, p);
	}
	double_rq_unlock(src, dst);
	local_irq_restore(flags);
	return woken;
}

/* A task running on rq and a migratable one waiting behind it: what idle
 * balancing looks for (unlocked: a hint, checked again under the lock). */
static bool has_waiting_migratable(const struct rq *rq)
{
	return READ_ONCE(rq->nr_running) >= 2 && READ_ONCE(rq->nr_queued_migratable);
}

/* Take src's lock beside rq's (held): both in CPU order, so two CPUs
 * balancing towards each other cannot deadlock. rq's lock may be dropped
 * for a moment: its queue is empty and prev is off it, so nothing here can
 * change under us that the caller relies on. */
static void double_lock_balance(struct rq *rq, struct rq *src)
{
	if (spin_trylock(&src->lock))
		return;
	if (src < rq) {
		spin_unlock(&rq->lock);
		spin_lock(&src->lock);
		spin_lock(&rq->lock);
	} else {
		spin_lock(&src->lock);
	}
}

/* A CPU about to idle takes one migratable task that waits on a busier
 * CPU's queue (one with a task running and another waiting). A queued task
 * is fully switched out: its CPU holds its rq lock across a switch. */
static void idle_balance(struct rq *rq)
{
	int this_cpu = smp_processor_id(), cpu;
	for_each_online_cpu(cpu) {
		struct rq *src = cpu_rq(cpu);
		if (src == rq || !has_waiting_migratable(src))
			continue;
		double_lock_balance(rq, src);
		struct task_struct *p;
		list_for_each_entry(p, &src->queue, run_list) {
			if (!p->migratable || !(p->cpus_allowed & (1UL << this_cpu)))
				continue;
			dequeue(src, p);
			src->nr_running--;
			WRITE_ONCE(p->cpu, this_cpu);
			rq->nr_running++;
			enqueue(rq, p);
			rq->nr_migrations++;
			spin_unlock(&src->lock);
			return;
		}
		spin_unlock(&src->lock);
		if (!list_empty(&rq->queue))
			return;         /* woken here while our lock was dropped */
	}
}

/* Another CPU that runs its idle task with nothing queued and may run p,
 * or -1 (a racy look: a wrong guess costs one kick or one yield). */
static int idle_cpu_for(const struct task_struct *p)
{
	int cpu;
	for_each_online_cpu(cpu) {
		struct rq *other = cpu_rq(cpu);
		if (cpu != smp_processor_id() && other->idle && READ_ONCE(other->curr) == other->idle &&
		    !READ_ONCE(other->nr_queued) && (p->cpus_allowed & (1UL << cpu)))
			return cpu;
	}
	return -1;
}

/* Kick a CPU that idles, for a migratable task just queued behind another
 * on this one: it will take it (idle_balance). Our rq lock is held. */
static void kick_idle_cpu(struct task_struct *p)
{
	int cpu = idle_cpu_for(p);
	if (cpu >= 0)
		resched_cpu(cpu);
}

/* Whether some queue holds a task an idle CPU could take (a racy look, for
 * the tick: a wrong guess costs one pass through schedule). */
static bool imbalance_seen(void)
{
	int cpu;
	for_each_online_cpu(cpu)
		if (has_waiting_migratable(cpu_rq(cpu)))
			return true;
	return false;
}

bool sched_offer_to_idle_cpu(void)
{
	return READ_ONCE(this_rq()->nr_queued) && idle_cpu_for(current) >= 0;
}

static struct task_struct *pick_next_task(struct rq *rq)
{
	if (list_empty(&rq->queue))
		idle_balance(rq);
	if (list_empty(&rq->queue))
		return rq->idle;
	struct task_struct *p = list_first_entry(&rq->queue, struct task_struct, run_list);
	dequeue(rq, p);
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
		if (prev->migratable && rq->nr_queued > 1)
			kick_idle_cpu(prev);
	}
	next = pick_next_task(rq);
	if (next != prev && READ_ONCE(next->on_cpu) >= 0)
		panic("BUG: CPU %d picked %s/%d, which CPU %d still runs (state %#lx, on_rq %d, cpu %d)",
		      smp_processor_id(), next->comm, next->pid, next->on_cpu, next->state, next->on_rq, next->cpu);
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
	WRITE_ONCE(next->on_cpu, smp_processor_id());
	prev = __switch_to_asm(&prev->thread.sp, next->thread.sp, prev);
	/* Now on next's stack, as next; prev is the task that ran before. */
	finish_task_switch(prev);
}

void finish_task_switch(struct task_struct *prev)
{
	struct rq *rq = this_rq();
	struct mm_struct *mm = rq->prev_mm;
	rq->prev_mm = NULL;
	/* Whether prev died, read while the lock still holds it off every CPU:
	 * once it is released, a prev that was only preempted may run again
	 * (here after an interrupt, or taken by another CPU), exit, and be
	 * reported dead by that switch; reading its state afterwards reported
	 * it twice (the reaper's list corrupted; proc's fork storms hit it). */
	bool dead = prev->state & TASK_DEAD;
	WRITE_ONCE(prev->on_cpu, -1);   /* off its stack: another CPU may run it */
	spin_unlock(&rq->lock);
	local_irq_enable();
	if (mm)
		mmdrop(mm);
	if (dead)
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

/*
 * Interrupts off, at the end of an interrupt that came in with them on.
 * __schedule returns with interrupts on, so an interrupt can arrive before
 * the loop turns them off; its own exit must not call this again, or a
 * storm of interrupts that each ask for a reschedule (with nothing else to
 * run, __schedule returns at once) nests one frame deeper each time, until
 * the stack overflows (seen once in ufs.x86_64.q35 under AHCI interrupts;
 * sched.preempt_irq_storm_stays_shallow makes such a storm). Linux raises
 * preempt_count here; ours must be 0 at every switch, so the task says it
 * instead.
 */
void preempt_schedule_irq(void)
{
	struct task_struct *curr = current;
	if (!need_resched() || !sched_running || this_cpu_read(preempt_count) ||
	    this_cpu_read(preempt_block_count) || !this_rq()->idle || curr->in_preempt_irq)
		return;
	curr->in_preempt_irq = true;
	do {
		__schedule(true);
		local_irq_disable();
	} while (need_resched());
	curr->in_preempt_irq = false;
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
		if (rq->nr_queued || imbalance_seen())
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

unsigned long nr_migrations_to(int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->nr_migrations);
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
