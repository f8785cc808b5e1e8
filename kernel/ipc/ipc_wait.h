/* Waiting and waking in an IPC call (kernel/ipc/rendezvous.c). */
#ifndef KERNEL_IPC_WAIT_H
#define KERNEL_IPC_WAIT_H

#include "ipc_internal.h"

/* Under ipc_lock: w's wait is over with result; its task runs again. */
void ipc_waiter_done(struct ipc_waiter *w, long result);

/* The rendezvous, after the system call has checked the handle and loaded
 * the message. timeout_ms: IPC_POLL, IPC_FOREVER or ms. 0 when a receiver
 * took w->out (a call: and replied into w->in), or -errno. */
long ipc_deliver(struct endpoint *ep, struct ipc_waiter *w, long timeout_ms);
/* Wait for a message on ep into w->in (its reply capability kept in the
 * caller's task if it is a call). 0 or -errno. */
long ipc_receive(struct endpoint *ep, struct ipc_waiter *w, long timeout_ms);
/* Answer the caller whose reply capability current holds with reply (its
 * handles and buffer pass to that caller); with no such caller (none, or
 * it gave up or died) the reply goes nowhere and its handles stay. */
void ipc_reply(struct kmsg *reply);

#endif
