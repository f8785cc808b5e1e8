/*
 * Ending processes (kernel/signal.c). Pagoda has no signal handlers: every
 * signal ends the process, and its parent's wait4 sees which one
 * (<uapi/pagoda/signal.h>, <uapi/pagoda/wait.h>).
 */
#ifndef PAGODA_SIGNAL_H
#define PAGODA_SIGNAL_H

#include <pagoda/types.h>
#include <uapi/pagoda/signal.h>

struct task_struct;

/* The current user task dies of sig before it returns to user mode (a
 * fault the kernel reported, a kill). Process context; returns. */
void force_fatal_sig(int sig);

/* Mark process p to die of sig (the first signal sent wins) and wake it if
 * it sleeps interruptibly (wait4, nanosleep, debug_read), so it dies at
 * its next return to user mode. Any context but NMI. */
void send_fatal_sig(struct task_struct *p, int sig);

/* A fatal signal is pending for p: interruptible sleeps give up (-EINTR). */
bool fatal_signal_pending(const struct task_struct *p);

/* "SIGSEGV", or "signal 23". Returns a static string or buf. */
const char *signal_name(int sig, char *buf, size_t size);

#endif
