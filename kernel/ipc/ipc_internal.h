/*
 * The message path's private types (kernel/ipc/): a message in the
 * kernel, a task waiting in an IPC call, an endpoint.
 */
#ifndef KERNEL_IPC_INTERNAL_H
#define KERNEL_IPC_INTERNAL_H

#include <pagoda/ipc.h>
#include <pagoda/list.h>

#define IPC_WORDS 4

/* A message on its way: the words (from the sender's registers), the
 * buffer's kernel copy and the handles moving with it. Whoever holds the
 * struct owns kbuf and the handles' references; taking a message empties
 * the sender's copy (kmsg_take). */
struct kmsg {
	unsigned long tag;
	unsigned long w[IPC_WORDS];
	void *kbuf;                     /* kmalloc'ed, len bytes; NULL if len is 0 */
	unsigned long len;
	unsigned int nh;
	struct kobj *hobj[IPC_HANDLES_MAX];
	u32 hrights[IPC_HANDLES_MAX];
	int hslot[IPC_HANDLES_MAX];     /* the sender's slots, for a restore */
	unsigned int nslots;            /* the sender's: slots it detached (kept when taken) */
	bool lent;                      /* IPC_TAG_LEND: hobj are loans, the sender kept its handles */
	unsigned long badge;            /* of the handle it was sent through (0: none) */
};

/* What a task blocked in an IPC call waits for; it lives on that task's
 * kernel stack and every other task touches it only under ipc_lock. */
enum ipc_wstate {
	IPC_QUEUED,                     /* on an endpoint's senders or receivers list */
	IPC_AWAIT_REPLY,                /* a caller whose message a server took */
	IPC_DONE,                       /* result (and msg, if 0) are final */
};

struct ipc_waiter {
	struct list_head node;          /* on the endpoint's list while IPC_QUEUED */
	struct task_struct *task;
	enum ipc_wstate state;
	bool is_call;                   /* a sender that wants a reply */
	long result;                    /* 0 or -errno once IPC_DONE */
	/* IPC_AWAIT_REPLY: where our reply capability is held (a server's
	 * task->ipc_reply, or a saved reply object's); cleared if we give up. */
	struct ipc_waiter **holder;
	struct kmsg *out;               /* a sender's message (on its stack) until taken */
	struct kmsg in;                 /* what came in: a message, a reply */
};

struct endpoint {
	struct kobj obj;
	struct list_head senders;       /* waiters with a message, oldest first */
	struct list_head receivers;     /* servers waiting for one */
	unsigned int recv_handles;      /* handles with RIGHT_RECEIVE (moving ones included) */
	bool dead;                      /* the last of them closed: -EPIPE for all */
	unsigned long calls, sends;     /* messages delivered (the monitor) */
	struct endpoint_kserver *kserver;       /* non-NULL: the kernel answers its calls */
	/* A minted alias (handle_mint): sends go to target, stamped with
	 * badge; it has no queues of its own and can never receive. */
	struct endpoint *target;
	unsigned long badge;
	/* An alias's handles (moving ones included) and its no-senders
	 * message, made at mint time and posted to target when the last
	 * handle goes (NULL once posted). */
	unsigned int alias_handles;
	struct kernel_msg *no_senders;
};

/* A message from the kernel itself (IPC_LABEL_NO_SENDERS): a sender with
 * no task, queued among the real ones; freed once taken or dropped. */
struct kernel_msg {
	struct ipc_waiter w;            /* w.task NULL; w.out = &m */
	struct kmsg m;
};

/* One lock for every endpoint's lists, every waiter and every reply
 * capability: a server's reply capability points into a caller's stack,
 * across endpoints. Simple and correct first; docs/ipc.md says what a
 * faster kernel would split. */
extern spinlock_t ipc_lock;

static inline struct endpoint *to_endpoint(struct kobj *obj)
{
	return container_of(obj, struct endpoint, obj);
}

/* The kernel's half of a kernel-served endpoint (kendpoint.c). */
struct endpoint_kserver {
	const struct endpoint_kops *ops;
	void *priv;
};

/* kernel/ipc/kmsg.c: a message in from the caller's registers and
 * ipc_ext, out to them; the owner's cleanup. */
struct pt_regs;
/* Build m from the caller's registers (tag, w) and ext (NULL: none): copy
 * the buffer in, detach the handles (or with IPC_TAG_LEND in tag, lend
 * them). 0, or -EMSGSIZE, -EINVAL, -EFAULT, -EBADF, -EPERM (nothing taken
 * then). */
long kmsg_load(struct kmsg *m, unsigned long tag, const unsigned long *w, const struct ipc_ext *ext);
/* The sender, after its call: handles not taken go back to their slots,
 * taken ones leave them for good; an untaken buffer is freed. */
void kmsg_settle(struct kmsg *m);
/* Move from's message (buffer and handles) to to, under ipc_lock. */
void kmsg_take(struct kmsg *to, struct kmsg *from);
/* Drop a message nobody will read (its handles closed). Any task. */
void kmsg_free(struct kmsg *m);
/* The receiver, in its own context: the words into its registers, the
 * buffer and handles where ext says (without ext they are dropped), the
 * results into *uext. Loans are marked and remembered in current's
 * ipc_loans, to be closed when the call is answered. 0 or -EFAULT. */
long kmsg_store(struct kmsg *m, struct pt_regs *regs, struct ipc_ext *ext, struct ipc_ext __user *uext);

#endif
