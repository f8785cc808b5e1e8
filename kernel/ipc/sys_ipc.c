/*
 * The IPC system calls (<uapi/pagoda/unistd.h> 67-70). Each takes the same
 * registers: the endpoint handle, the tag, then the words w0..w3 (w3 is a
 * struct ipc_ext * when the tag has IPC_TAG_EXT); a message that comes
 * back (a reply, a received message) returns in the same registers.
 * Each checks the handle and loads the message, then leaves the waiting
 * to the rendezvous (rendezvous.c).
 */
#include <pagoda/errno.h>
#include <pagoda/sched.h>
#include <pagoda/string.h>
#include <pagoda/syscalls.h>
#include <pagoda/uaccess.h>
#include "ipc_wait.h"

/* What the registers say: the handle, the tag, the words, the ipc_ext. */
struct ipc_args {
	int h;
	unsigned long tag;
	unsigned long w[IPC_WORDS];
	struct ipc_ext ext;
	struct ipc_ext __user *uext;    /* NULL: no ipc_ext */
	long timeout_ms;
	unsigned long badge;            /* of the handle: what the receiver learns */
};

/* allowed: the tag flags besides IPC_TAG_EXT this call accepts. */
static long ipc_args_get(struct pt_regs *regs, struct ipc_args *a, unsigned long allowed)
{
	a->h = (int)syscall_get_arg(regs, 0);
	a->tag = syscall_get_arg(regs, 1);
	for (int i = 0; i < IPC_WORDS; i++)
		a->w[i] = syscall_get_arg(regs, 2 + i);
	a->uext = NULL;
	a->timeout_ms = IPC_FOREVER;
	if (a->tag & ~(IPC_LABEL_MASK | IPC_TAG_EXT | allowed))
		return -EINVAL;
	if (a->tag & IPC_TAG_EXT) {
		a->uext = (struct ipc_ext __user *)a->w[IPC_WORDS - 1];
		if (copy_from_user(&a->ext, a->uext, sizeof(a->ext)))
			return -EFAULT;
		a->timeout_ms = a->ext.timeout_ms;
		if (a->timeout_ms < IPC_FOREVER)
			return -EINVAL;
	}
	return 0;
}

static struct ipc_ext *ext_of(struct ipc_args *a)
{
	return a->uext ? &a->ext : NULL;
}

/* The endpoint h names, a minted alias resolved to its target (*badge:
 * the alias's badge, else 0), with a reference. */
static struct endpoint *endpoint_get(int h, u32 need, long *err, unsigned long *badge)
{
	struct kobj *obj = handle_get(h, HANDLE_TYPE_ENDPOINT, need, err);
	if (!obj)
		return NULL;
	struct endpoint *ep = to_endpoint(obj);
	*badge = 0;
	if (ep->target) {
		struct endpoint *target = ep->target;
		*badge = ep->badge;
		kobj_get(&target->obj);
		kobj_put(obj);
		ep = target;
	}
	return ep;
}

/* ipc_call and ipc_send: the message goes to a receiver of the endpoint;
 * a call then waits for the reply, into the caller's registers and ext. */
/* Every IPC call starts the same: its arguments out of the registers, and
 * the endpoint its handle names, with the right it needs (NULL: *err). */
static struct endpoint *ipc_prologue(struct pt_regs *regs, struct ipc_args *a, unsigned int right,
				     unsigned long allowed, long *err)
{
	*err = ipc_args_get(regs, a, allowed);
	return *err ? NULL : endpoint_get(a->h, right, err, &a->badge);
}

static long send_or_call(struct pt_regs *regs, bool is_call)
{
	struct ipc_args a;
	long err;
	/* Lending makes sense only while a call lasts. */
	struct endpoint *ep = ipc_prologue(regs, &a, RIGHT_SEND, is_call ? IPC_TAG_LEND : 0, &err);
	if (!ep)
		return err;
	struct kmsg out;
	err = kmsg_load(&out, a.tag, a.w, ext_of(&a));
	if (!err) {
		out.badge = a.badge;
		struct ipc_waiter w = { .task = current, .is_call = is_call, .out = &out };
		if (ep->kserver)
			err = kendpoint_call(ep, &out, &w.in, is_call && a.uext ? a.ext.recv_cap : 0,
					     a.timeout_ms);
		else
			err = ipc_deliver(ep, &w, a.timeout_ms);
		kmsg_settle(&out);
		if (!err && is_call)
			err = kmsg_store(&w.in, regs, ext_of(&a), a.uext);
		else
			kmsg_free(&w.in);
	}
	kobj_put(&ep->obj);
	return err;
}

SYSCALL_DEFINE_REGS(ipc_call, regs)
{
	return send_or_call(regs, true);
}

SYSCALL_DEFINE_REGS(ipc_send, regs)
{
	return send_or_call(regs, false);
}

static long receive_into(struct pt_regs *regs, struct endpoint *ep, struct ipc_args *a)
{
	struct ipc_waiter w = { .task = current };
	ipc_loans_end();                        /* the last call is over, answered or not */
	long err = ipc_receive(ep, &w, a->timeout_ms);
	if (!err)
		err = kmsg_store(&w.in, regs, ext_of(a), a->uext);
	else
		kmsg_free(&w.in);
	/* The result of a receive is the sender's badge (0: an unminted handle). */
	return err ? err : (long)w.in.badge;
}

/* ipc_recv: only the handle and the tag's IPC_TAG_EXT (for w3) count. */
SYSCALL_DEFINE_REGS(ipc_recv, regs)
{
	struct ipc_args a;
	long err;
	struct endpoint *ep = ipc_prologue(regs, &a, RIGHT_RECEIVE, 0, &err);
	if (!ep)
		return err;
	err = receive_into(regs, ep, &a);
	kobj_put(&ep->obj);
	return err;
}

/* ipc_reply_recv: the registers are the reply (a reply to nobody is
 * dropped: the server's loop goes on), then a receive as ipc_recv. */
SYSCALL_DEFINE_REGS(ipc_reply_recv, regs)
{
	struct ipc_args a;
	long err;
	struct endpoint *ep = ipc_prologue(regs, &a, RIGHT_RECEIVE, 0, &err);
	if (!ep)
		return err;
	struct kmsg reply;
	err = kmsg_load(&reply, a.tag, a.w, ext_of(&a));
	if (!err) {
		ipc_reply(&reply);
		kmsg_settle(&reply);
		err = receive_into(regs, ep, &a);
	}
	kobj_put(&ep->obj);
	return err;
}

/* ipc_reply: the same registers, the handle a saved reply (reply.c). */
SYSCALL_DEFINE_REGS(ipc_reply, regs)
{
	struct ipc_args a;
	long err = ipc_args_get(regs, &a, 0);
	if (err) {
		handle_close(a.h);              /* consumed, even on an error */
		return err;
	}
	return ipc_reply_to(a.h, a.tag, a.w, ext_of(&a));
}
