/*
 * Kernel objects, handles and synchronous IPC (kernel/ipc/, docs/ipc.md).
 * The user-visible side (rights, types, limits, struct ipc_ext) is
 * <uapi/pagoda/ipc.h>.
 *
 * A kernel object (struct kobj) is refcounted: each handle to it holds a
 * reference, so does a handle moving in a message, and so does a system
 * call using it. Its ops learn when a handle to it is opened and closed
 * (an endpoint counts its receive-capable handles: when the last one
 * closes, its server is gone and its callers wake with -EPIPE).
 *
 * A process's handle table (struct handle_table) holds at most HANDLE_MAX
 * (object, rights) pairs. A handle value is the slot plus a generation
 * that changes each time the slot is freed, so a closed handle stays
 * invalid even after its slot is reused. Each process has its own table:
 * fork copies it (every handle +1 reference, the child holds the same
 * rights), exec keeps it, exit closes every handle. The kernel's helpers
 * start with none; pid 1 execs init holding one, the device root
 * (device_root_create).
 *
 * Calling context: process context, may sleep, unless said otherwise. The
 * functions on "the caller's table" act on current's.
 */
#ifndef PAGODA_IPC_H
#define PAGODA_IPC_H

#include <pagoda/spinlock.h>
#include <pagoda/types.h>
#include <uapi/pagoda/ipc.h>

struct kobj;
struct task_struct;

struct kobj_ops {
	const char *name;               /* "endpoint": the monitor's `handles` */
	/* A handle with these rights now names obj / no longer does. */
	void (*handle_open)(struct kobj *obj, u32 rights);
	void (*handle_close)(struct kobj *obj, u32 rights);
	/* The last reference went: free it. */
	void (*release)(struct kobj *obj);
	/* A few words of state for the monitor (any context, must not sleep). */
	void (*show)(struct kobj *obj, char *buf, size_t size);
};

struct kobj {
	int refcount;
	int type;                       /* HANDLE_TYPE_* */
	const struct kobj_ops *ops;
};

void kobj_init(struct kobj *obj, int type, const struct kobj_ops *ops);
void kobj_get(struct kobj *obj);
void kobj_put(struct kobj *obj);

/* ---- the caller's handle table ---- */

/* A new handle to obj with rights; the caller's reference to obj passes
 * to the handle (it counts as opened). The handle, or -EMFILE (the
 * reference is then dropped). */
int handle_create(struct kobj *obj, u32 rights);
/* The object h names, with a reference (kobj_put it): NULL and *err =
 * -EBADF if h is no handle of type type (0: any type), -EPERM if it
 * lacks one of the rights need. */
struct kobj *handle_get(int h, int type, u32 need, long *err);
/* Close h: 0 or -EBADF. */
int handle_close(int h);
/* A second handle to h's object with rights (a subset of h's; h needs
 * RIGHT_DUPLICATE): the new handle, -EBADF, -EPERM, -EINVAL (unknown
 * bits), -EMFILE. */
int handle_dup(int h, u32 rights);

/* Moving a handle out (a message carries it): take h's slot out of the
 * table, still counted as open (the message holds it). h needs
 * RIGHT_TRANSFER. *slot is for handle_restore. 0, -EBADF, -EPERM. */
int handle_detach(int h, struct kobj **obj, u32 *rights, int *slot);
/* Lending a handle (IPC_TAG_LEND): the object h names, with a reference,
 * counted as an open handle with h's rights less RIGHT_DUPLICATE and
 * RIGHT_TRANSFER (a loan cannot be copied or given away, only lent on);
 * h stays. h needs RIGHT_TRANSFER or must itself be a loan. 0, -EBADF,
 * -EPERM. */
int handle_lend(int h, struct kobj **obj, u32 *rights);
/* h's type, rights and flags (HANDLE_INFO_LENT): 0 or -EBADF. */
int handle_info(int h, struct handle_info *info);
/* Put a detached handle back where it was (the message was not delivered). */
void handle_restore(int slot, struct kobj *obj, u32 rights);
/* Give a moved handle a slot in the caller's table: the new handle, or
 * -EMFILE (then it is dropped: closed). */
int handle_attach(struct kobj *obj, u32 rights);
/* Close a handle that has no slot (a message nobody received). */
void handle_drop(struct kobj *obj, u32 rights);

/* ---- kernel-served endpoints ----
 * An endpoint whose calls the kernel answers itself, in the caller's
 * context, during its ipc_call: how a kernel service (the blk=kernel
 * block back end) speaks the same protocol as a user-space server. A
 * client cannot tell the two apart but by the time they take. Only
 * ipc_call (and ipc_send: its reply is dropped) reach it; it has no
 * receive side. */
struct kcall {
	unsigned long tag;              /* in: the label; out: the reply's label */
	unsigned long w[4];             /* in: the words (3 if the message had an ipc_ext); out: the reply's */
	unsigned int nh;                /* handles that came with it (moved or lent) */
	struct kobj *hobj[IPC_HANDLES_MAX];     /* held by the IPC layer for the call's duration */
	u32 hrights[IPC_HANDLES_MAX];
	bool lent;                      /* IPC_TAG_LEND: hobj are lent, not given */
	unsigned long badge;            /* the caller's handle's badge (handle_mint), 0: none */
	/* in: the request's buffer, a kernel copy (read-only; gone after the call) */
	const void *buf;
	unsigned long len;
	/* out: the reply's buffer, copied to the caller's recv_buf. rcap is
	 * the room the caller gave (its recv_cap, at most IPC_BUF_MAX; 0 for
	 * ipc_send or a call without one); kcall_reply_buf makes it. */
	unsigned long rcap;
	void *rbuf;
	unsigned long rlen;
	/* out: a handle for the caller (an open() that answers with a new
	 * endpoint): the service's reference to hout passes to the reply,
	 * which moves it into the caller's table with hout_rights (dropped if
	 * the caller has no room, no ipc_ext, or the call failed). */
	struct kobj *hout;
	u32 hout_rights;
	/* in: the caller's timeout (ipc_ext's; IPC_FOREVER without one): a
	 * service that waits honours it, failing the call with -ETIMEDOUT. */
	long timeout_ms;
};

/* The reply buffer of c, len bytes (at most IPC_BUF_MAX): c->rbuf, with
 * c->rlen = len (the service may lower rlen once it has filled it). NULL
 * if len is too big, on a second call, or with no memory. May sleep.
 * Beyond c->rcap the caller gets it cut, as from any server (its
 * recv_len says how long it was). */
void *kcall_reply_buf(struct kcall *c, unsigned long len);

struct endpoint_kops {
	const char *name;               /* "blk": the monitor's `handles` */
	/* Serve one call: fill c's reply (tag, w, and if it wants rbuf and
	 * hout); the result is ipc_call's (0 normally: errors of the protocol
	 * go in the reply's label; a negative errno, e.g. -EINTR for a caller
	 * killed while the service waited, fails the call and drops the
	 * reply). Runs in the caller's context with no lock held and
	 * preemption on: it may sleep (a wait should end when
	 * fatal_signal_pending). Handles received are closed after it returns
	 * unless it took its own reference (kobj_get). */
	long (*call)(void *priv, struct kcall *c);
	/* The endpoint is gone (its last handle closed, every call over). */
	void (*release)(void *priv);
	/* Optional: a few words for the monitor's `handles` ("pipe read end,
	 * 12 bytes buffered"); any context, must not sleep. */
	void (*show)(void *priv, char *buf, size_t size);
};

/* A new kernel-served endpoint, its handle in the caller's table with
 * rights (RIGHT_RECEIVE is refused: nobody else may serve it). The
 * handle, or -ENOMEM, -EMFILE (then ops->release(priv) has run). */
int kernel_endpoint_create(const struct endpoint_kops *ops, void *priv, u32 rights);
/* The same with no handle: the endpoint's object with one reference, to
 * give away as a kcall's hout; NULL if no memory (ops->release not run). */
struct kobj *kernel_endpoint_new(const struct endpoint_kops *ops, void *priv);

/* ---- pipes (kernel/ipc/pipe.c) ----
 * A new pipe: h[0] its read end, h[1] its write end, kernel-served
 * endpoints in the caller's table (the pipe system call's work, without
 * the copy out). 0, or -ENOMEM, -EMFILE (nothing made then). */
int do_pipe(int h[2]);

/* ---- notifications (kernel/ipc/notify.c) ----
 * OR bits (NOTIFY_BITS: the low 31) into notification obj and wake its
 * waiters. Any context, interrupt handlers included: how an interrupt
 * reaches a user-space driver (device_irq_bind). The caller holds obj. */
#define NOTIFY_BITS 0x7fffffffUL        /* notify_wait's result must not look like -errno */
void notify_signal_kobj(struct kobj *obj, unsigned long bits);

/* ---- devices (kernel/ipc/device.c) ----
 * A new device root (HANDLE_TYPE_DEVICE naming no function) in the
 * caller's table with rights: what the kernel gives pid 1 before it execs
 * init. The handle, or -ENOMEM, -EMFILE. */
int device_root_create(u32 rights);
/* 0 if h is a device root handle with the rights need; else -EBADF,
 * -EPERM, or -EINVAL (a handle to a PCI function, not the root). */
long device_root_check(int h, u32 need);

/* ---- per process (kernel/fork.c, exit.c, the monitor) ---- */

/* Give the child a copy of parent's table: 0 or -ENOMEM. */
int handles_fork(struct task_struct *child, struct task_struct *parent);
/* The process ends: drop the reply capability it holds (its caller wakes
 * with -EPIPE), then close every handle. */
void ipc_exit(struct task_struct *t);
/* One handle as the monitor shows it: valid only during the callback. */
struct handle_view {
	int value, slot, refcount;
	const char *type;               /* the object's kind: "endpoint" ... */
	const struct kobj *obj;
	char rights[8];                 /* "srdtRWL", '-' for each one missing */
	char state[96];                 /* the object's own words, or "" */
};
/* Call fn for each handle of t, in slot order, with t's table locked (fn
 * must not sleep nor touch handles); the number of handles. Any context,
 * t held. The monitor's `handles <pid>` prints them. */
int handles_for_each(struct task_struct *t, void (*fn)(const struct handle_view *v, void *arg), void *arg);
/* Kernel objects alive now (the monitor's `handles`, leak checks). */
unsigned int nr_kobjs(void);

#endif
