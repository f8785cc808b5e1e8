/*
 * Mutexes: sleeping locks. A task that finds the mutex taken sleeps on its
 * wait list instead of spinning; mutex_unlock hands the mutex straight to
 * the first waiter (FIFO, no starvation) and wakes it. Unlike a spinlock
 * the holder may sleep (allocate, wait for I/O, take other mutexes), and
 * may be preempted; unlike a spinlock it cannot be taken in an interrupt
 * handler or with a spinlock held.
 *
 * Rules: only the owner unlocks; never take a mutex you hold. With
 * lock_debug both are reported (with where the owner took it, and where
 * the misuse happened), as is taking a mutex in atomic context.
 *
 * Calling context: mutex_lock/mutex_unlock/mutex_trylock: process context
 * (mutex_trylock and mutex_unlock never sleep, but have an owner task).
 */
#ifndef PAGODA_MUTEX_H
#define PAGODA_MUTEX_H

#include <pagoda/list.h>
#include <pagoda/spinlock.h>

struct task_struct;

struct mutex {
	struct task_struct *owner;      /* NULL: free */
	spinlock_t wait_lock;           /* guards owner and waiters */
	struct list_head waiters;       /* struct mutex_waiter, FIFO */
	const char *name;
	unsigned long trace[SPIN_TRACE_DEPTH];  /* lock_debug: where the owner took it */
};

#define __MUTEX_INITIALIZER(lname) \
	{ NULL, __SPIN_LOCK_UNLOCKED(lname.wait_lock), LIST_HEAD_INIT(lname.waiters), #lname, { 0 } }
#define DEFINE_MUTEX(mname) struct mutex mname = __MUTEX_INITIALIZER(mname)
void __mutex_init(struct mutex *m, const char *name);
#define mutex_init(m) __mutex_init((m), #m)

void mutex_lock(struct mutex *m);
void mutex_unlock(struct mutex *m);
/* Take it if free; true if taken. Never sleeps. */
bool mutex_trylock(struct mutex *m);
bool mutex_is_locked(struct mutex *m);
/* Contended acquisitions since boot (the owner was someone else). */
extern unsigned long mutex_contended;

#endif
