/*
 * Host shim: the kernel's own <pagoda/spinlock.h> (the ticket lock runs
 * unchanged on the host), with lock debugging off: its out-of-line checks
 * live in kernel/spinlock_debug.c, which needs the kernel around it.
 */
#ifndef HOST_SHIM_PAGODA_SPINLOCK_H
#define HOST_SHIM_PAGODA_SPINLOCK_H
#include_next <pagoda/spinlock.h>
#include <stdlib.h>

__attribute__((weak)) bool lock_debug;
__attribute__((weak)) void spin_lock_debug(spinlock_t *l) { abort(); }
__attribute__((weak)) void spin_unlock_debug(spinlock_t *l) { abort(); }
__attribute__((weak)) bool spin_trylock_debug(spinlock_t *l) { abort(); }
__attribute__((weak)) int spin_locks_held(void) { return 0; }
__attribute__((weak)) void lock_debug_check_sleep(const char *file, int line) { }
__attribute__((weak)) void lock_debug_check_cross_cpu_wait(const char *what) { }
#endif
