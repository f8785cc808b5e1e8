/* Scheduler internals shared by the files of kernel/sched/ (the contract is <pagoda/sched.h>). */
#ifndef KERNEL_SCHED_SCHED_H
#define KERNEL_SCHED_SCHED_H

#include <pagoda/sched.h>
#include <pagoda/spinlock.h>

/*
 * One per CPU. `queue` holds the runnable tasks that are not running, in
 * the order they will run; the running task (curr) is not on it, and the
 * idle task never is. The lock is taken with interrupts off (wake-ups come
 * from interrupt handlers) and is held across the switch itself: the task
 * switched to releases it (finish_task_switch).
 */
struct rq {
	spinlock_t lock;
	struct list_head queue;
	unsigned int nr_queued;
	unsigned int nr_running;        /* on_rq tasks here, idle not counted */
	unsigned int nr_queued_migratable;      /* queued tasks idle balancing may take */
	unsigned long nr_migrations;    /* tasks this CPU took from others */
	unsigned long nr_wake_affine;   /* tasks a synchronous wake-up moved here */
	struct task_struct *curr;
	struct task_struct *idle;
	unsigned long nr_switches;
	struct mm_struct *prev_mm;      /* a borrowed mm to mmdrop after the switch */
};
DECLARE_PER_CPU(struct rq, runqueues);

static inline struct rq *cpu_rq(int cpu) { return per_cpu_ptr(&runqueues, cpu); }
static inline struct rq *this_rq(void) { return this_cpu_ptr(&runqueues); }

/* Lock the run queue p is on, with interrupts off. p->cpu may change
 * (idle balancing moves queued user tasks) until its rq lock is held: take
 * the lock, then check p is still there. */
struct rq *task_rq_lock(struct task_struct *p, unsigned long *flags);
static inline void task_rq_unlock(struct rq *rq, unsigned long flags)
{
	spin_unlock_irqrestore(&rq->lock, flags);
}

void rq_init(int cpu);
/* Called by the task switched to, with the rq lock held and interrupts off. */
void finish_task_switch(struct task_struct *prev);
void __schedule(bool preempt);

/* core.c: the least loaded online CPU of allowed, for a new task. */
int select_task_cpu(unsigned long allowed);
/* kthread.c: an exited task, off its CPU now, goes to the reaper. */
void task_dead(struct task_struct *t);
void task_list_add(struct task_struct *t);
/* kthread.c, for the process code (kernel/fork.c, exit.c): a stopped task
 * with a stack whose first switch runs fn(data); its pid, CPU and parent
 * (on the task list); a zombie's last reference dropped by its parent;
 * orphans to init (tasklist_lock held); the end of an exiting task. */
extern spinlock_t tasklist_lock;
struct task_struct *task_create(int (*fn)(void *), void *data, unsigned int flags);
void task_attach(struct task_struct *t, struct task_struct *parent);
void task_release(struct task_struct *t);
void task_reparent_children(struct task_struct *me);
__noreturn void do_task_dead(void);
/* timer.c */
void timers_init_cpu(int cpu);
void run_local_timers(void);

#endif
