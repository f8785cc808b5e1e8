/*
 * Atomic context and might_sleep(). Pagoda has no scheduler, but code
 * already has to respect the rule that a kmap_atomic holder (and, later, a
 * spinlock holder) must not block: blocking paths call might_sleep(), and
 * it stops the kernel when this CPU's atomic depth is above zero, the way
 * Linux's CONFIG_DEBUG_ATOMIC_SLEEP does. The depth is raised by
 * kmap_atomic (<pagoda/highmem.h>) and lowered by kunmap_atomic. With the
 * lock_debug option it also stops when this CPU holds a spinlock.
 */
#ifndef PAGODA_PREEMPT_H
#define PAGODA_PREEMPT_H

#include <pagoda/compiler.h>
#include <pagoda/types.h>
#include <pagoda/smp.h>

/* Per-CPU atomic depth; only the running CPU touches its own copy. */
DECLARE_PER_CPU(int, preempt_count);

static inline void preempt_count_inc(void) { this_cpu_inc(preempt_count); }
static inline void preempt_count_dec(void) { this_cpu_dec(preempt_count); }
/* True while the running CPU must not block. */
static inline bool in_atomic(void) { return this_cpu_read(preempt_count) > 0; }

/* Panics with "BUG: sleeping function called from invalid context" and a
 * backtrace if called in atomic context. */
void __might_sleep(const char *file, int line);
#define might_sleep() __might_sleep(__FILE__, __LINE__)

#endif
