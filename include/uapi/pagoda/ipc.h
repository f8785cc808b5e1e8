/*
 * Handles and IPC (issue #15, docs/ipc.md): the user-visible contract.
 * User space includes it as <pagoda/ipc.h>; the system calls are in
 * <pagoda/unistd.h> (64 - 75), the C wrappers in user/include/pagoda_ipc.h.
 *
 * A handle is a small positive int naming a kernel object in the calling
 * process's handle table, with rights. There are no global names: a process
 * has only the handles it created, inherited by fork, or received in a
 * message. A forged, closed or wrong-type handle gives -EBADF; a handle
 * lacking the right an operation needs gives -EPERM.
 */
#ifndef _UAPI_PAGODA_IPC_H
#define _UAPI_PAGODA_IPC_H

/* What a handle names (the kernel object's type). */
#define HANDLE_TYPE_ENDPOINT     1
#define HANDLE_TYPE_NOTIFICATION 2
#define HANDLE_TYPE_MEMORY       3      /* a memory object: pages to map, lend, DMA into */
#define HANDLE_TYPE_DEVICE       4      /* a PCI device, or the device root init starts with */
#define HANDLE_TYPE_PROCESS      5      /* reserved */
#define HANDLE_TYPE_REPLY        6      /* a saved one-shot reply capability (ipc_reply_save) */

/* Rights, one bit each; a handle's rights only ever shrink (handle_dup). */
#define RIGHT_SEND       0x1    /* endpoint: ipc_send, ipc_call. notification: notify_signal */
#define RIGHT_RECEIVE    0x2    /* endpoint: ipc_recv, ipc_reply_recv. notification: notify_wait */
#define RIGHT_DUPLICATE  0x4    /* handle_dup may copy it (with these rights or fewer) */
#define RIGHT_TRANSFER   0x8    /* it may be moved (or lent) to another process in a message */
#define RIGHT_READ       0x10   /* memory: map readable, let a device read it (a disk write)
                                 * device: map its BARs (with RIGHT_WRITE) */
#define RIGHT_WRITE      0x20   /* memory: map writable, let a device write it (a disk read)
                                 * device: DMA memory and bus addresses; the root: device_open */
#define RIGHTS_ALL       0x3f

/* A minted handle's badge (handle_mint): 1 to IPC_BADGE_MAX; a receive
 * returns it (0 for a message sent through an unminted handle). */
#define IPC_BADGE_MAX    0x7fffffffUL
/* The label of the kernel's message to an endpoint's receiver when the
 * last handle of a minted alias is gone (handle_mint, <pagoda/unistd.h>):
 * its badge says which. Not a call: nothing to answer. */
#define IPC_LABEL_NO_SENDERS 0xfffe
/* The label of the kernel's request to a pager (memobj_pager_create,
 * <pagoda/unistd.h>): a task faulted on a page of the memory object that
 * was made with this badge; w0 and w1 are the page's byte offset (low and
 * high 32 bits). Not a call: the answer is memobj_supply. */
#define IPC_LABEL_PAGE_IN    0xfffd
#define PIPE_BUF_SIZE    65536  /* bytes a pipe holds (pipe) */

/* Per-process and per-message limits. */
#define HANDLE_MAX       64     /* handles a process may hold at once (-EMFILE beyond) */
#define IPC_HANDLES_MAX  2      /* handles moved by one message */
#define IPC_BUF_MAX      4096   /* bytes copied by one message */
#define IPC_LOAN_MAPS_MAX 16     /* mappings of lent memory objects a process holds at once
                                 * (memobj_map: EBUSY beyond): more than the 12 requests
                                 * /bin/ahcid keeps in flight, each maybe bounced */
#define MEMOBJ_MAX_SIZE  (64UL << 20)   /* bytes of one memory object (memobj_create, memobj_from_user) */

/*
 * The tag: the first message register. Bits 0-15 are the label, the
 * protocol's word (an opcode, a reply's status), untouched by the kernel.
 * Bits 16-23 are flags; the rest must be zero (-EINVAL).
 *
 *   IPC_TAG_EXT   (sent, in every IPC call) the last word register (w3)
 *                 is not a word but a struct ipc_ext * (buffer, handles,
 *                 timeout): the message then carries 3 words.
 *   IPC_TAG_CALL  (received) the sender waits for a reply: answer it with
 *                 ipc_reply_recv (or save it: ipc_reply_save).
 *   IPC_TAG_LEND  (sent with ipc_call; seen by the receiver) the handles
 *                 are lent, not moved: the caller keeps its own, the
 *                 receiver's copies are closed by the kernel when the call
 *                 is answered (ipc_reply_recv, ipc_reply) or abandoned (the
 *                 reply capability given up or closed, the receiver dead).
 *                 How a client lets a server at its buffer for one request.
 */
#define IPC_LABEL_MASK   0xffffUL
#define IPC_TAG_EXT      0x10000UL
#define IPC_TAG_CALL     0x20000UL
#define IPC_TAG_LEND     0x40000UL
#define IPC_TAG_FLAGS    (IPC_TAG_EXT | IPC_TAG_CALL | IPC_TAG_LEND)

/* Timeouts in milliseconds, in struct ipc_ext and notify_wait. Without an
 * ipc_ext an IPC call waits forever. */
#define IPC_POLL         0L     /* do not wait: -ETIMEDOUT if no partner is there */
#define IPC_FOREVER      (-1L)

/*
 * The rest of a message, in memory (copied with copy_from_user once per
 * call). One struct serves both directions: send_* describe what goes out
 * (the request of ipc_call/ipc_send, the reply of ipc_reply_recv), recv_*
 * where what comes in goes (the reply of ipc_call, the message of
 * ipc_recv/ipc_reply_recv) and, on return, what came.
 */
struct ipc_ext {
	const void *send_buf;           /* up to IPC_BUF_MAX bytes (-EMSGSIZE beyond) */
	unsigned long send_len;
	int send_handles[IPC_HANDLES_MAX];      /* moved: gone from the sender once delivered */
	unsigned int send_nhandles;             /* each needs RIGHT_TRANSFER */
	void *recv_buf;                 /* where a received buffer is copied */
	unsigned long recv_cap;         /* its size; a longer buffer is cut to it */
	unsigned long recv_len;         /* out: the length the sender sent (> recv_cap: cut) */
	int recv_handles[IPC_HANDLES_MAX];      /* out: the handles received, in this process */
	unsigned int recv_nhandles;             /* out */
	long timeout_ms;                /* IPC_POLL, IPC_FOREVER or milliseconds */
};

/* handle_info(h, &info): what a handle is. */
struct handle_info {
	int type;                       /* HANDLE_TYPE_* */
	unsigned int rights;            /* RIGHT_* */
	unsigned int flags;             /* HANDLE_INFO_* */
};
#define HANDLE_INFO_LENT 0x1            /* a loan (IPC_TAG_LEND): closed when its call ends */

/*
 * Handing handles to a new program: a process gets its handles from its
 * creator (fork copies the table, exec keeps it). Which handle is which is
 * told in the environment variable HANDLES, "name:h,name:h" (e.g.
 * "HANDLES=devroot:1024,console:2049"); user/lib's handle_named("console")
 * reads it. The kernel starts pid 1 with one handle, "devroot", the device
 * root (docs/drivers-in-user-space.md); init makes the rest.
 */
#define HANDLES_ENV      "HANDLES"

#endif
