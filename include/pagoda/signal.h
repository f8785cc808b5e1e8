/*
 * Ending processes (kernel/signal.c). Pagoda has no signal handlers: every
 * signal ends the process, and its parent's wait4 sees which one
 * (<uapi/pagoda/signal.h>, <uapi/pagoda/wait.h>).
 */
#ifndef PAGODA_SIGNAL_H
#define PAGODA_SIGNAL_H

#include <pagoda/types.h>
#include <uapi/pagoda/signal.h>

/* The current user task dies of sig before it returns to user mode (a
 * fault the kernel reported, a kill). Process context; returns. */
void force_fatal_sig(int sig);

struct task_struct;
/* True once a signal has been sent to t: every signal is fatal, so an
 * interruptible sleep (debug_read, wait4) ends early with -EINTR and the
 * task dies on its way back to user mode. Any context. */
bool signal_pending(struct task_struct *t);

#endif
