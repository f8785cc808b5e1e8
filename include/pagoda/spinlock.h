/*
 * Spinlocks. A spinlock_t is a test-and-set lock: correct on SMP (the atomic
 * exchange is a full barrier), and on one CPU it never spins. Data that an
 * interrupt handler may also touch is locked with spin_lock_irqsave(), which
 * first disables interrupts on this CPU: otherwise a handler that interrupts
 * the holder would spin forever on a lock its own CPU holds.
 *
 * Never sleep holding a spinlock (there is no sleeping yet, but there will
 * be); keep critical sections short.
 */
#ifndef PAGODA_SPINLOCK_H
#define PAGODA_SPINLOCK_H

#include <pagoda/compiler.h>
#include <asm/irqflags.h>

typedef struct {
	volatile int locked;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name) { 0 }
#define DEFINE_SPINLOCK(name) spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
}

/* Take l, spinning while another CPU holds it. Any context, but a lock that
 * interrupt handlers take must be taken with spin_lock_irqsave. */
static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(l->locked))
			arch_cpu_relax();       /* spin on a read: no bus-locked writes */
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return READ_ONCE(l->locked) != 0;
}

/* Disable interrupts on this CPU (remembering whether they were on), then
 * take the lock. Pairs with spin_unlock_irqrestore with the same flags. */
#define spin_lock_irqsave(l, flags) \
	do { (flags) = local_irq_save(); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) \
	do { spin_unlock(l); local_irq_restore(flags); } while (0)

#endif
