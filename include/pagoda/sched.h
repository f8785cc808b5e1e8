/*
 * Tasks and the scheduler (kernel/sched/, docs/scheduler.md).
 *
 * A task is a kernel stack plus a struct task_struct: kernel threads now,
 * user processes later (their address space is `mm`, their FPU state in
 * `thread`). Each CPU has a run queue of tasks ready to run and an idle
 * task that halts when the queue is empty. The policy is round robin with
 * time slices: the running task keeps the CPU for SCHED_SLICE_TICKS ticks
 * of its CPU's LAPIC timer, or until it sleeps or yields, then goes to the
 * tail of its queue. A task starts on the least loaded of its allowed CPUs
 * (or the one kthread_bind names). Kernel threads never migrate, so
 * smp_processor_id() stays true for them. A user task may move, but only
 * at one point: preempted on its way back to user mode, it can be taken by
 * a CPU that would otherwise idle (idle balancing, docs/scheduler.md).
 *
 * Preemption: when the slice ends, or a task woken on this CPU finds the
 * idle task running, the CPU switches at the next return from an
 * interrupt, or at preempt_enable(), provided preempt_count is zero
 * (<pagoda/preempt.h>). A wake-up on another CPU sends it the reschedule
 * IPI.
 *
 * `current` is the running task (a per-CPU pointer, one %gs/%fs load).
 */
#ifndef PAGODA_SCHED_H
#define PAGODA_SCHED_H

#include <pagoda/compiler.h>
#include <pagoda/list.h>
#include <pagoda/percpu.h>
#include <pagoda/preempt.h>
#include <pagoda/stacks.h>
#include <pagoda/types.h>
#include <uapi/pagoda/ipc.h>
#include <asm/switch_to.h>

/* task->state. RUNNING: on its run queue or on the CPU. The sleeping
 * states differ for user tasks later (a signal ends INTERRUPTIBLE). */
#define TASK_RUNNING            0
#define TASK_INTERRUPTIBLE      1
#define TASK_UNINTERRUPTIBLE    2
#define TASK_DEAD               4       /* exited; the reaper frees it */
#define EXIT_ZOMBIE             8       /* a process that exited, waiting for its parent's wait4 */

/* task->flags */
#define PF_IDLE         0x0001  /* a CPU's idle task: never queued, never sleeps */
#define PF_KTHREAD      0x0002  /* a kernel thread: no mm of its own */
#define PF_USER         0x0004  /* has user state: its FPU is saved at each switch */
#define PF_STACK_PAGES  0x0008  /* stack from the buddy allocator: vmalloc failed, no guard page */
#define PF_PROCESS      0x0010  /* a process: wait4 reaps it, it counts against the process limit */

#define TASK_COMM_LEN 16
#define THREAD_SIZE (16 * 1024) /* kernel stack of a task, vmalloc'ed, guard page below */
#define SCHED_SLICE_TICKS 3     /* 30 ms at HZ 100 */

/* An address space (mm/, user processes later); kernel threads have none
 * (mm NULL) and borrow the previous task's (active_mm), as Linux's lazy
 * TLB does. init_mm is swapper_pg_dir's. */
struct mm_struct;
struct blk_plug;
struct handle_table;
struct ipc_waiter;
extern struct mm_struct init_mm;

struct task_struct {
	struct thread_struct thread;    /* arch: saved sp, sp0, TLS bases, FPU */
	volatile long state;            /* TASK_* */
	unsigned int flags;             /* PF_* */
	int pid;
	char comm[TASK_COMM_LEN];

	/* Scheduling (the run queue's lock protects these). */
	int cpu;                        /* the CPU whose run queue it is on */
	unsigned long cpus_allowed;     /* bit n: may run on CPU n (pinning) */
	int on_rq;                      /* runnable: queued, or running */
	int time_slice;                 /* ticks left */
	/* Switched out on its way back to user mode (exit_to_user_mode): it
	 * holds no kernel state of this CPU's, so an idle CPU may take it. */
	bool migratable;
	/* Asleep where it holds nothing of its CPU's (a user task waiting in
	 * an IPC call or receive): a synchronous wake-up may move it. */
	bool sleep_movable;
	/* In preempt_schedule_irq's loop: an interrupt taken there (between
	 * __schedule turning interrupts on and the loop turning them off) must
	 * not start another, deeper one on this stack; the loop looks again. */
	bool in_preempt_irq;
	int on_cpu;                     /* -1, or the CPU whose stack pointer it is on (a switch in progress included) */
	struct list_head run_list;      /* on the run queue while queued */

	/* Family: for wait() later; a kernel thread's parent is its creator. */
	struct task_struct *parent;
	struct list_head children;
	struct list_head sibling;       /* in parent->children */
	struct list_head tasks;         /* every task, for ps (tasklist_lock) */

	struct mm_struct *mm;           /* NULL for kernel threads */
	struct mm_struct *active_mm;    /* the address space in CR3 while it runs */

	/* The kernel stack: [stack, stack + THREAD_SIZE), guard page below. */
	void *stack;
	struct stack_info stack_info;   /* for backtraces and overflow reports */

	int usage;                      /* references: the task's own, kthread_stop's, a zombie's parent's */
	int exit_code;                  /* kthread: threadfn's value; process: the wait status word */
	int (*threadfn)(void *);
	void *data;
	volatile bool should_stop;      /* kthread_stop asked */
	void *exited;                   /* struct completion *: completed at exit */

	/* What a task holds across calls that may sleep: Linux keeps it per
	 * task, so that another task on the CPU cannot see it. */
	struct blk_plug *plug;          /* the block layer's plug (drivers/block/blk_merge.c) */

	/* Processes (kernel/fork.c, exec.c, exit.c, signal.c). */
	int exit_state;                 /* 0, or EXIT_ZOMBIE once do_exit is done with it */
	volatile int pending_sig;       /* a fatal signal: it dies before returning to user mode */
	struct list_head dead_node;     /* on the reaper's list once off its CPU for good */

	/* IPC (kernel/ipc/, <pagoda/ipc.h>): the handles, the reply
	 * capability a server holds after receiving a call (ipc_lock), and
	 * the handles that call lent it (closed when it is answered). */
	struct handle_table *handles;
	struct ipc_waiter *ipc_reply;
	int ipc_loans[2];               /* IPC_HANDLES_MAX */
	unsigned int ipc_nloans;
	/* Where it mapped lent memory objects: unmapped when the loan ends. */
	struct ipc_loan_map {
		int h;
		unsigned long addr, len;
		const void *mo;
	} ipc_loan_maps[IPC_LOAN_MAPS_MAX];
	unsigned int ipc_nloan_maps;

	/* Counters (ps). */
	unsigned long nvcsw;            /* voluntary switches: it slept */
	unsigned long nivcsw;           /* involuntary: preempted, or yielded */
	u64 runtime;                    /* TSC cycles on a CPU */
	u64 exec_start;                 /* TSC when it last got the CPU */
};

DECLARE_PER_CPU(struct task_struct *, current_task);
/* The running task: the same for as long as the task runs, so the
 * compiler may keep it in a register. */
static inline struct task_struct *get_current(void)
{
	return this_cpu_read_stable(current_task);
}
#define current get_current()

/* The boot context of CPU 0: pid 1, "init", on the boot stack; it runs
 * start_kernel, then the tests or the monitor. */
extern struct task_struct init_task;

/* Give up the CPU. The task keeps running later if its state is
 * TASK_RUNNING (a yield), else it sleeps until woken. Process context,
 * preemption and interrupts on, no spinlock held. */
void schedule(void);
/* Let the other tasks on this CPU run first (to the queue's tail). */
void yield(void);
#define MAX_SCHEDULE_TIMEOUT ((long)(~0UL >> 1))
/* Sleep for at least timeout jiffies unless woken (state set first with
 * set_current_state). Returns the jiffies left (0: the time ran out). */
long schedule_timeout(long timeout);
long schedule_timeout_uninterruptible(long timeout);
/* Sleep at least ms milliseconds (rounded up to ticks). Process context. */
void msleep(unsigned int ms);

static inline void set_current_state(long state)
{
	current->state = state;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);        /* before the condition is tested */
}
static inline void __set_current_state(long state) { current->state = state; }

/* Make p runnable if it sleeps: 1 if it was woken, 0 if it was running.
 * Any context. */
int wake_up_process(struct task_struct *p);
/* The same, only if p's state is one of the bits in state (kill wakes
 * TASK_INTERRUPTIBLE sleepers only). */
int wake_up_state(struct task_struct *p, long state);
/* The same for a waker about to sleep until p answers (a synchronous IPC
 * call or reply): a p that is sleep_movable runs next on the waker's CPU
 * if nothing waits there, else as wake_up_process. Interrupts off (the
 * waker's CPU must stay its own). */
int wake_up_process_sync(struct task_struct *p);

/* Kernel threads (kernel/sched/kthread.c). kthread_create makes a stopped
 * task (not yet runnable) on the least loaded online CPU; wake_up_process
 * starts it; kthread_run does both. name is printf-like. NULL without
 * memory. When threadfn returns, the thread exits with its value; the
 * reaper frees its stack and task_struct. Process context. */
__printf(3, 4) struct task_struct *kthread_create(int (*threadfn)(void *data), void *data,
						 const char *namefmt, ...);
#define kthread_run(fn, data, ...) ({                                     \
	struct task_struct *__k = kthread_create(fn, data, __VA_ARGS__);   \
	if (__k)                                                           \
		wake_up_process(__k);                                      \
	__k; })
/* Before the first wake-up: pin k to cpu (it will only ever run there). */
void kthread_bind(struct task_struct *k, int cpu);
/* Ask k to stop (kthread_should_stop() turns true), wake it and wait for
 * it to exit; returns its exit value. k must not have exited on its own
 * before (the thread's loop ends only when asked). Process context. */
int kthread_stop(struct task_struct *k);
bool kthread_should_stop(void);
/* End the running thread with code (also what returning from threadfn does). */
__noreturn void kthread_exit(int code);

/* The task with this pid (idle tasks: pid 0 is CPU 0's), with a reference
 * the caller drops with put_task_struct; NULL if none. */
struct task_struct *find_get_task(int pid);
void get_task_struct(struct task_struct *t);
void put_task_struct(struct task_struct *t);
/* Call fn on every task under the task list lock (interrupts off): fn
 * must not sleep. */
void for_each_task(void (*fn)(struct task_struct *t, void *arg), void *arg);
/* State as a letter, as ps shows it: R S D X Z (I for idle). */
char task_state_char(const struct task_struct *t);
/* Print where a sleeping task stopped (its saved frame pointer chain), or
 * the running CPU's own stack if t is current. A task running on another
 * CPU is reported as such. */
void show_task_backtrace(struct task_struct *t);

/* Counts (tests, monitor). */
unsigned int nr_running_on(int cpu);    /* queued + running, idle not counted */
unsigned long nr_context_switches(int cpu);
unsigned long nr_migrations_to(int cpu);     /* tasks idle balancing moved to cpu */
unsigned int nr_tasks(void);            /* in the task list, idle tasks included */
unsigned int nr_dead_unreaped(void);    /* exited, not yet freed by the reaper */

/* Boot (kernel/sched/core.c): the boot context becomes init_task, CPU 0's
 * run queue exists (before interrupts are on); sched_init_late makes
 * CPU 0's idle task and the reaper once the allocators run; each AP's boot
 * context becomes its idle task (sched_prepare_ap on the BSP, then
 * sched_init_ap on the AP before its timer starts). */
void sched_init(void);
void sched_init_late(void);
struct task_struct *sched_prepare_ap(int cpu, unsigned long stack_bottom, unsigned long stack_top);
void sched_init_ap(struct task_struct *idle);
/* The idle loop of a CPU (never returns). */
__noreturn void cpu_idle_loop(void);
/* On the way back to user mode (exit_to_user_mode): true if this CPU has
 * tasks waiting while another CPU idles. The caller then yields as
 * migratable; queued behind the others, it kicks the idle CPU, which takes
 * it (idle balancing). Interrupts off. */
bool sched_offer_to_idle_cpu(void);
/* From each CPU's timer interrupt: account the tick, end the slice. */
void scheduler_tick(void);
/* From the interrupt return path (do_trap), interrupts off: switch if
 * needed and allowed (regs: the interrupted context had interrupts on). */
void preempt_schedule_irq(void);
/* The reschedule IPI handler. */
void scheduler_ipi(void);
/* For stack_lookup: the running task's stack (and the task bt walks). */
const struct stack_info *task_stack_lookup(unsigned long addr);
const struct stack_info *task_stack_guard_lookup(unsigned long addr);
/* True once tasks can sleep (the scheduler is up). */
extern bool sched_running;

#endif
