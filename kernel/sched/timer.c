/*
 * Per-CPU timer lists run by each CPU's tick, and sleeping on them:
 * schedule_timeout() and msleep(). The list is kept sorted by expiry, so
 * the tick looks only at its head and timers that expire on the same tick
 * run in the order of their expiry (then of their adding).
 */
#include "sched.h"
#include <pagoda/panic.h>
#include <pagoda/time.h>
#include <pagoda/timer.h>
#include <asm/processor.h>

struct timer_base {
	spinlock_t lock;
	struct list_head list;
};
static DEFINE_PER_CPU(struct timer_base, timer_bases);

void timers_init_cpu(int cpu)
{
	struct timer_base *b = per_cpu_ptr(&timer_bases, cpu);
	spin_lock_init(&b->lock);
	INIT_LIST_HEAD(&b->list);
}

static bool time_before_eq(unsigned long a, unsigned long b)
{
	return (long)(a - b) <= 0;
}

void add_timer(struct timer_list *t)
{
	unsigned long flags = local_irq_save();
	int cpu = smp_processor_id();
	struct timer_base *b = per_cpu_ptr(&timer_bases, cpu);
	spin_lock(&b->lock);
	BUG_ON(t->pending);
	struct list_head *pos = &b->list;
	struct timer_list *o;
	list_for_each_entry(o, &b->list, entry)
		if (!time_before_eq(o->expires, t->expires)) {
			pos = &o->entry;
			break;
		}
	list_add_tail(&t->entry, pos);          /* before the first later one */
	t->cpu = cpu;
	t->pending = true;
	__spin_release(&b->lock);
	local_irq_restore(flags);
	preempt_enable();
}

bool del_timer(struct timer_list *t)
{
	if (t->cpu < 0)
		return false;
	struct timer_base *b = per_cpu_ptr(&timer_bases, t->cpu);
	unsigned long flags;
	spin_lock_irqsave(&b->lock, flags);
	bool was = t->pending;
	if (was) {
		list_del(&t->entry);
		INIT_LIST_HEAD(&t->entry);
		t->pending = false;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return was;
}

/* From the tick, interrupts off. Each expired timer leaves the list before
 * its function runs (unlocked: it may add a timer again). */
void run_local_timers(void)
{
	struct timer_base *b = this_cpu_ptr(&timer_bases);
	for (;;) {
		spin_lock(&b->lock);
		if (list_empty(&b->list)) {
			spin_unlock(&b->lock);
			return;
		}
		struct timer_list *t = list_first_entry(&b->list, struct timer_list, entry);
		if (!time_before_eq(t->expires, jiffies)) {
			spin_unlock(&b->lock);
			return;
		}
		list_del(&t->entry);
		INIT_LIST_HEAD(&t->entry);
		t->pending = false;
		void (*fn)(struct timer_list *) = t->function;
		spin_unlock(&b->lock);
		fn(t);
	}
}

/* ---- sleeping with a timeout -------------------------------------------------- */

struct sleep_timer {
	struct timer_list timer;
	struct task_struct *task;
};

static void process_timeout(struct timer_list *t)
{
	wake_up_process(container_of(t, struct sleep_timer, timer)->task);
}

long schedule_timeout(long timeout)
{
	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0)
		timeout = 0;
	struct sleep_timer st = { .task = current };
	timer_setup(&st.timer, process_timeout);
	unsigned long expire = jiffies + timeout;
	st.timer.expires = expire;
	add_timer(&st.timer);
	schedule();
	del_timer(&st.timer);
	long left = (long)(expire - jiffies);
	return left < 0 ? 0 : left;
}

long schedule_timeout_uninterruptible(long timeout)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

void msleep(unsigned int ms)
{
	might_sleep();
	/* +1: the first tick may come at once, so n ticks could be less than n/HZ s. */
	long timeout = msecs_to_jiffies(ms) + 1;
	while (timeout)
		timeout = schedule_timeout_uninterruptible(timeout);
}
