/*
 * Spinlocks: ticket locks. Taking the lock takes a ticket (an atomic
 * increment of `tail`); the holder's unlock advances `head`; a CPU owns the
 * lock when head reaches its ticket. CPUs get the lock in the order they
 * asked for it, so none starves, and waiters spin on a read, not on locked
 * writes. The atomic increment and the release store are the barriers: what
 * the holder wrote is seen by the next holder.
 *
 * Data that an interrupt handler may also touch is locked with
 * spin_lock_irqsave(), which first disables interrupts on this CPU:
 * otherwise a handler interrupting the holder would spin forever on a lock
 * its own CPU holds.
 *
 * A holder is never preempted: spin_lock raises this CPU's preempt_count
 * (<pagoda/preempt.h>) and spin_unlock lowers it, as Linux does, so a task
 * holding a lock never leaves another task on its CPU spinning for it.
 *
 * Rules (the `lock_debug` option checks the first three, see docs/smp.md):
 * never take a lock this CPU already holds; unlock only what this CPU
 * holds; never block (might_sleep) holding a spinlock; never wait for
 * other CPUs (a TLB shootdown, on_each_cpu) holding a lock that some CPU
 * takes with interrupts disabled: spinning there, it cannot answer.
 */
#ifndef PAGODA_SPINLOCK_H
#define PAGODA_SPINLOCK_H

#include <pagoda/compiler.h>
#include <pagoda/types.h>
#include <pagoda/preempt.h>
#include <asm/irqflags.h>

/* Return addresses kept of where the holder took the lock (lock_debug). */
#define SPIN_TRACE_DEPTH 6

typedef struct spinlock {
	union {
		u32 val;                /* both halves, for trylock's compare-exchange */
		struct {
			u16 head;       /* the ticket being served */
			u16 tail;       /* the next ticket to hand out */
		} tickets;
	};
	/* Only with lock_debug, written by the holder: */
	int owner_cpu;                  /* -1: not held */
	unsigned long irqs_off_at;      /* where it was first taken with interrupts off (0: never) */
	const char *name;               /* the variable, or spin_lock_init's argument */
	const char *init_fn;            /* the function that ran spin_lock_init (NULL: static) */
	unsigned long trace[SPIN_TRACE_DEPTH];  /* where the holder took it */
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(lname) { .owner_cpu = -1, .name = #lname }
#define DEFINE_SPINLOCK(lname) spinlock_t lname = __SPIN_LOCK_UNLOCKED(lname)

/* Set by the `lock_debug` command-line option, before any lock is taken. */
extern bool lock_debug;

/* The checked versions (kernel/spinlock_debug.c). */
void spin_lock_debug(spinlock_t *l);
void spin_unlock_debug(spinlock_t *l);
bool spin_trylock_debug(spinlock_t *l);

static inline void __spin_lock_init(spinlock_t *l, const char *name, const char *fn)
{
	*l = (spinlock_t){ .owner_cpu = -1, .name = name, .init_fn = fn };
}
/* The report names the lock by the expression and the function: "&s->lock in kmem_cache_setup". */
#define spin_lock_init(l) __spin_lock_init((l), #l, __func__)

static __always_inline void arch_spin_lock(spinlock_t *l)
{
	u32 old = __atomic_fetch_add(&l->val, 1u << 16, __ATOMIC_ACQUIRE);
	u16 ticket = (u16)(old >> 16);
	if (likely((u16)old == ticket))
		return;
	while (__atomic_load_n(&l->tickets.head, __ATOMIC_ACQUIRE) != ticket)
		arch_cpu_relax();
}

static __always_inline void arch_spin_unlock(spinlock_t *l)
{
	/* Only the holder writes head: a plain increment, published by a release store. */
	__atomic_store_n(&l->tickets.head, (u16)(l->tickets.head + 1), __ATOMIC_RELEASE);
}

static __always_inline bool arch_spin_trylock(spinlock_t *l)
{
	u32 v = READ_ONCE(l->val);
	if ((u16)v != (u16)(v >> 16))
		return false;
	return __atomic_compare_exchange_n(&l->val, &v, v + (1u << 16), false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

/* The lock operations without the preemption count. */
static __always_inline void __spin_acquire(spinlock_t *l)
{
	/* barrier(): no tail call, so the caller's frame is in the reports. */
	if (unlikely(lock_debug)) {
		spin_lock_debug(l);
		barrier();
	} else
		arch_spin_lock(l);
}

static __always_inline void __spin_release(spinlock_t *l)
{
	if (unlikely(lock_debug)) {
		spin_unlock_debug(l);
		barrier();
	} else
		arch_spin_unlock(l);
}

static __always_inline bool __spin_tryacquire(spinlock_t *l)
{
	if (unlikely(lock_debug))
		return spin_trylock_debug(l);
	return arch_spin_trylock(l);
}

/* Take l, spinning while another CPU holds it. Any context, but a lock that
 * interrupt handlers take must be taken with spin_lock_irqsave. Disables
 * preemption until spin_unlock. */
static __always_inline void spin_lock(spinlock_t *l)
{
	preempt_disable();
	__spin_acquire(l);
}

static __always_inline void spin_unlock(spinlock_t *l)
{
	__spin_release(l);
	preempt_enable();
}

/* Take l if nobody holds it; true if it was taken. Never spins. */
static __always_inline bool spin_trylock(spinlock_t *l)
{
	preempt_disable();
	if (__spin_tryacquire(l))
		return true;
	preempt_enable_no_resched();
	return false;
}

static inline bool spin_is_locked(spinlock_t *l)
{
	u32 v = READ_ONCE(l->val);
	return (u16)v != (u16)(v >> 16);
}

/* Disable interrupts on this CPU (remembering whether they were on), then
 * take the lock. Pairs with spin_unlock_irqrestore with the same flags. */
#define spin_lock_irqsave(l, flags) \
	do { (flags) = local_irq_save(); spin_lock(l); } while (0)
/* Interrupts back on before the preemption point: a switch wanted while
 * the lock was held happens here, not at the next interrupt. */
#define spin_unlock_irqrestore(l, flags) \
	do { __spin_release(l); local_irq_restore(flags); preempt_enable(); } while (0)
#define spin_trylock_irqsave(l, flags) \
	({ (flags) = local_irq_save(); bool __ok = spin_trylock(l); if (!__ok) local_irq_restore(flags); __ok; })

/* lock_debug: locks this CPU holds now (0 without lock_debug). */
int spin_locks_held(void);
/* lock_debug: stop with a report if this CPU holds any spinlock (from might_sleep). */
void lock_debug_check_sleep(const char *file, int line);
/* lock_debug: stop with a report if this CPU holds a lock that some CPU
 * takes with interrupts disabled, before `what` waits for other CPUs. */
void lock_debug_check_cross_cpu_wait(const char *what);

#endif
