/*
 * Ending processes (kernel/signal.c). Pagoda has no signal handlers: every
 * signal ends the process, and its parent's wait4 sees which one
 * (<uapi/pagoda/signal.h>, <uapi/pagoda/wait.h>).
 */
#ifndef PAGODA_SIGNAL_H
#define PAGODA_SIGNAL_H

#include <uapi/pagoda/signal.h>

/* The current user task dies of sig before it returns to user mode (a
 * fault the kernel reported, a kill). Process context; returns. */
void force_fatal_sig(int sig);

#endif
