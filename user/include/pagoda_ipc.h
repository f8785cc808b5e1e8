/*
 * Handles and synchronous IPC for user programs (docs/ipc.md; the
 * contract: <pagoda/ipc.h> and <pagoda/unistd.h> 64-73). Each function
 * returns 0 (or a handle, or bits) on success, -1 with errno on an error,
 * like the rest of the library.
 *
 * A message is a tag (the label in its low 16 bits) and four words, in
 * registers both ways. The _ext forms add a struct ipc_ext (a buffer of up
 * to 4 KiB, up to two handles moved, a timeout): they use w[3] for its
 * address, so such a message carries three words.
 *
 * A server's loop:
 *
 *     struct ipc_msg m;
 *     ipc_recv(ep, &m);
 *     for (;;) {
 *             m = handle_request(&m);         // the reply
 *             ipc_reply_recv(ep, &m);         // answer, wait for the next
 *     }
 */
#ifndef _PAGODA_IPC_USER_H
#define _PAGODA_IPC_USER_H

#include <stddef.h>
#include <pagoda/ipc.h>

struct ipc_msg {
	unsigned long tag;              /* label | IPC_TAG_* */
	unsigned long w[4];
	unsigned long badge;            /* received: the sender's handle's badge (handle_mint), 0: none */
};

int handle_close(int h);
int handle_dup(int h, unsigned int rights);
int handle_info(int h, struct handle_info *info);
/* A send-only handle to ep's endpoint stamped with badge (1 to
 * IPC_BADGE_MAX): a server mints one per client and learns from m->badge
 * who sent each message. */
int handle_mint(int ep, unsigned int rights, unsigned long badge);
int endpoint_create(void);

/* Send m and wait for the reply, which replaces *m. */
int ipc_call(int ep, struct ipc_msg *m);
/* Send m; returns once a receiver has taken it. */
int ipc_send(int ep, const struct ipc_msg *m);
/* Wait for a message into *m (m->tag has IPC_TAG_CALL if it wants a reply). */
int ipc_recv(int ep, struct ipc_msg *m);
/* Reply *m to the last caller, then wait for the next message into *m. */
int ipc_reply_recv(int ep, struct ipc_msg *m);

int ipc_call_ext(int ep, struct ipc_msg *m, struct ipc_ext *x);
int ipc_send_ext(int ep, const struct ipc_msg *m, struct ipc_ext *x);
int ipc_recv_ext(int ep, struct ipc_msg *m, struct ipc_ext *x);
int ipc_reply_recv_ext(int ep, struct ipc_msg *m, struct ipc_ext *x);

/* Lending: set IPC_TAG_LEND in m->tag before ipc_call_ext, and the
 * handles in x->send_handles are lent for the call instead of moved. */

/* A server: keep the reply capability of the call just received as a
 * handle, to answer later with ipc_reply (which consumes it). */
int ipc_reply_save(void);
int ipc_reply(int r, const struct ipc_msg *m);
int ipc_reply_ext(int r, const struct ipc_msg *m, struct ipc_ext *x);

/* A kernel pipe (pipe, <pagoda/unistd.h>): h[0] its read end, h[1] its
 * write end, endpoints speaking the file protocol (<pagoda/fs.h>: FS_READ,
 * FS_WRITE, FS_FSTAT). The fd layer's pipe() is built on it. 0 or -1. */
int pipe_create(int h[2]);

int notify_create(void);
int notify_signal(int n, unsigned long bits);
/* The pending bits (taken), waiting up to timeout_ms for some. */
long notify_wait(int n, long timeout_ms);

/* Memory objects (docs/ipc.md "Memory objects"). memobj_map returns the
 * address, or (void *)-1 with errno (like mmap's MAP_FAILED). */
int memobj_create(size_t size);
void *memobj_map(int mo, void *addr, size_t len, int prot, unsigned long offset);
int memobj_from_user(void *addr, size_t len, int prot);
long memobj_size(int mo);
/* A memory object whose pages the server behind ep supplies on demand
 * (docs/ipc.md "Pagers"): a fault on a missing page sends ep a message
 * labelled IPC_LABEL_PAGE_IN with badge and the page's offset in w[0]
 * (low) and w[1] (high); the server answers with memobj_supply. */
int memobj_pager_create(size_t size, int ep, unsigned long badge);
int memobj_supply(int mo, unsigned long offset, const void *buf, size_t len);

#endif
