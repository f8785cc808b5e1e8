/*
 * Preemption and atomic context.
 *
 * The scheduler (docs/scheduler.md) takes the CPU away from a task when its
 * time slice ends or a woken task must run, at the next return from an
 * interrupt or at preempt_enable(). Code that must not lose the CPU raises
 * this CPU's preempt_count:
 *
 *   preempt_disable()/preempt_enable()   explicitly
 *   spin_lock*()/spin_unlock*()          every spinlock holder (as Linux)
 *   kmap_atomic()/kunmap_atomic()
 *
 * While it is above zero the context is *atomic*: the task must not sleep,
 * and might_sleep() stops the kernel with a report, the way Linux's
 * CONFIG_DEBUG_ATOMIC_SLEEP does (with lock_debug, the report names the
 * spinlock and where it was taken). The count is per CPU, not per task:
 * a task only ever switches away with it at zero (schedule() checks), so
 * the count a CPU carries belongs to the task running there.
 *
 * preempt_block()/preempt_unblock() is Pagoda's own, weaker form, for code
 * that uses this CPU's per-CPU state across calls that *may* sleep but do
 * not yet (GFP_KERNEL allocations): the kmap_local stack, the page-table
 * stash, the block plug. It keeps other tasks off the CPU (no preemption)
 * without making the context atomic; an actual sleep (schedule() with the
 * count raised) is a BUG report. Linux keeps these per task instead
 * (kmap_local is saved at each switch, current->plug), which Pagoda will
 * need once such a path really sleeps.
 *
 * Calling context: any. preempt_enable() may switch tasks when it drops
 * the count to zero with interrupts on.
 */
#ifndef PAGODA_PREEMPT_H
#define PAGODA_PREEMPT_H

#include <pagoda/compiler.h>
#include <pagoda/types.h>
#include <pagoda/smp.h>

/* Per-CPU atomic depth; only the running CPU touches its own copy. */
DECLARE_PER_CPU(int, preempt_count);
/* Per-CPU "per-CPU state in use" depth (preempt_block). */
DECLARE_PER_CPU(int, preempt_block_count);
/* Set when the running task should give up the CPU (the tick, a wake-up);
 * read at interrupt return and preempt_enable. */
DECLARE_PER_CPU(int, need_resched_flag);

static inline void preempt_count_inc(void) { this_cpu_inc(preempt_count); barrier(); }
static inline void preempt_count_dec(void) { barrier(); this_cpu_dec(preempt_count); }
/* True while the running CPU must not block. */
static inline bool in_atomic(void) { return this_cpu_read(preempt_count) > 0; }
static inline bool need_resched(void) { return this_cpu_read(need_resched_flag) != 0; }

/* Switch to another task if one should run (kernel/sched/core.c). */
void preempt_schedule(void);

static inline void preempt_disable(void) { preempt_count_inc(); }
static inline void preempt_enable_no_resched(void) { preempt_count_dec(); }
/* Always inlined: a static copy the compiler keeps out of line in two
 * files is two kernel symbols of one name (kallsyms.table_consistent). */
static __always_inline void preempt_enable(void)
{
	preempt_count_dec();
	if (unlikely(need_resched()) && this_cpu_read(preempt_count) == 0)
		preempt_schedule();
}

static inline void preempt_block(void) { this_cpu_inc(preempt_block_count); barrier(); }
static inline void preempt_unblock(void)
{
	barrier();
	this_cpu_dec(preempt_block_count);
	if (unlikely(need_resched()) && this_cpu_read(preempt_block_count) == 0)
		preempt_schedule();
}

/* Stops with "BUG: sleeping function called from invalid context" and a
 * backtrace if called in atomic context; with lock_debug, when a spinlock
 * is held, the report names it and where it was taken. (An actual sleep
 * with interrupts off is refused by schedule() itself.) */
void __might_sleep(const char *file, int line);
#define might_sleep() __might_sleep(__FILE__, __LINE__)

#endif
