/*
 * Mutexes (<pagoda/mutex.h>). The owner field says who holds it; the
 * wait_lock spinlock guards it and the FIFO of sleepers. mutex_unlock with
 * sleepers hands ownership to the first one before waking it, so a task
 * that comes along meanwhile cannot take the mutex away (no starvation),
 * and the woken task just checks it was given the mutex.
 */
#include <pagoda/mutex.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <asm/processor.h>

unsigned long mutex_contended;

struct mutex_waiter {
	struct list_head list;
	struct task_struct *task;
	volatile bool granted;
};

void __mutex_init(struct mutex *m, const char *name)
{
	m->owner = NULL;
	spin_lock_init(&m->wait_lock);
	INIT_LIST_HEAD(&m->waiters);
	m->name = name;
}

/* lock_debug: the misuse, the owner and where it took the mutex; panic
 * adds where the misuse happened. */
static __noreturn void mutex_bug(struct mutex *m, const char *what, const char *detail)
{
	struct task_struct *me = current, *owner = READ_ONCE(m->owner);
	local_irq_disable();
	printk(KERN_EMERG "BUG: %s on CPU %d by %s/%d: %s\n", what, smp_processor_id(), me->comm, me->pid, detail);
	printk(KERN_EMERG " mutex: %s at %p\n", m->name, (void *)m);
	if (owner) {
		printk(KERN_EMERG " owned by %s/%d, taken at:\n", owner->comm, owner->pid);
		print_stack_trace(m->trace, SPIN_TRACE_DEPTH);
	} else {
		printk(KERN_EMERG " owned by: nobody\n");
	}
	printk(KERN_EMERG " misuse at (the backtrace below):\n");
	panic("BUG: %s: mutex %s at %p, task %s/%d", what, m->name, (void *)m, me->comm, me->pid);
}

static __always_inline void note_owner(struct mutex *m)
{
	if (unlikely(lock_debug))
		save_stack_trace(current_frame_pointer(), m->trace, SPIN_TRACE_DEPTH);
}

__noinline void mutex_lock(struct mutex *m)
{
	might_sleep();
	struct task_struct *me = current;
	unsigned long flags;
	spin_lock_irqsave(&m->wait_lock, flags);
	if (!m->owner) {
		m->owner = me;
		note_owner(m);
		spin_unlock_irqrestore(&m->wait_lock, flags);
		return;
	}
	if (unlikely(lock_debug) && m->owner == me) {
		spin_unlock_irqrestore(&m->wait_lock, flags);
		mutex_bug(m, "mutex recursion", "taking a mutex this task already holds would sleep forever");
	}
	__atomic_add_fetch(&mutex_contended, 1, __ATOMIC_RELAXED);     /* many mutexes, many CPUs */
	struct mutex_waiter w = { .task = me, .granted = false };
	list_add_tail(&w.list, &m->waiters);
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (w.granted)
			break;
		spin_unlock_irqrestore(&m->wait_lock, flags);
		schedule();
		spin_lock_irqsave(&m->wait_lock, flags);
	}
	__set_current_state(TASK_RUNNING);
	note_owner(m);                  /* the unlocker set owner = me */
	spin_unlock_irqrestore(&m->wait_lock, flags);
}

bool mutex_trylock(struct mutex *m)
{
	unsigned long flags;
	bool ok = false;
	spin_lock_irqsave(&m->wait_lock, flags);
	if (!m->owner) {
		m->owner = current;
		note_owner(m);
		ok = true;
	}
	spin_unlock_irqrestore(&m->wait_lock, flags);
	return ok;
}

__noinline void mutex_unlock(struct mutex *m)
{
	unsigned long flags;
	spin_lock_irqsave(&m->wait_lock, flags);
	if (unlikely(lock_debug) && m->owner != current) {
		spin_unlock_irqrestore(&m->wait_lock, flags);
		mutex_bug(m, "bad mutex_unlock", m->owner ? "this task does not own the mutex"
							: "the mutex is not locked");
	}
	if (list_empty(&m->waiters)) {
		m->owner = NULL;
	} else {
		struct mutex_waiter *w = list_first_entry(&m->waiters, struct mutex_waiter, list);
		list_del(&w->list);
		m->owner = w->task;
		w->granted = true;
		wake_up_process(w->task);
	}
	spin_unlock_irqrestore(&m->wait_lock, flags);
}

bool mutex_is_locked(struct mutex *m)
{
	return READ_ONCE(m->owner) != NULL;
}
