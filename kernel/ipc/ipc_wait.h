/* Waiting and waking in an IPC call (kernel/ipc/rendezvous.c). */
#ifndef KERNEL_IPC_WAIT_H
#define KERNEL_IPC_WAIT_H

#include "ipc_internal.h"

/* Under ipc_lock: w's wait is over with result; its task runs again (a
 * kernel_msg, which has none, is freed). */
void ipc_waiter_done(struct ipc_waiter *w, long result);
/* Under ipc_lock: km goes to ep's receiver as a send would (the first
 * receiver waiting, else behind the senders queued); dropped (freed) if ep
 * is dead or has no receiver side at all. */
void ipc_post_kernel_msg(struct endpoint *ep, struct kernel_msg *km);

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

/* What a call left its server (reply.c): the loans it received, closed
 * when the call is answered or given up, in the server's own context. */
void ipc_loan_add(int h);
/* ipc_reply's work: answer through the saved reply handle h (consumed). */
long ipc_reply_to(int h, unsigned long tag, const unsigned long *w, const struct ipc_ext *ext);
/* current mapped the loan h at [addr, addr + len): to unmap when the loan
 * ends. 0, or -EBUSY if it already holds as many such mappings as it can
 * take back. */
int ipc_loan_mapped(int h, unsigned long addr, unsigned long len, const void *mo);
/* Close current's loans: before it waits for the next message. */
void ipc_loans_end(void);

/* A new endpoint with one reference and no handle (endpoint.c). */
struct endpoint *endpoint_alloc(void);
/* A kernel-served endpoint's last reference went; its state for the monitor. */
void kendpoint_release(struct endpoint *ep);
void kendpoint_show(struct endpoint *ep, char *buf, size_t size);
/* A kernel-served endpoint answers m (taken from the caller) into reply
 * (kendpoint.c); rcap: the room the caller gave for the reply's buffer
 * (0: none); timeout_ms: the caller's. The result is ipc_call's (not 0:
 * the caller drops reply). */
long kendpoint_call(struct endpoint *ep, struct kmsg *m, struct kmsg *reply, unsigned long rcap,
		    long timeout_ms);

#endif
