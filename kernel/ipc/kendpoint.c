/*
 * Kernel-served endpoints (<pagoda/ipc.h>): the kernel answers a call on
 * them itself, in the caller's context, before ipc_call returns. No
 * receiver waits and no task switch happens: the kernel service runs on
 * the caller's time, as a system call would, but behind the same handle
 * and protocol a user-space server speaks. That is what lets the
 * blk=kernel and blk=user block back ends be swapped under one client,
 * and a pipe stand behind a file descriptor like a file.
 */
#include <pagoda/errno.h>
#include <pagoda/preempt.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include "ipc_wait.h"

struct kobj *kernel_endpoint_new(const struct endpoint_kops *ops, void *priv)
{
	struct endpoint_kserver *ks = kmalloc(sizeof(*ks), GFP_KERNEL);
	struct endpoint *ep = ks ? endpoint_alloc() : NULL;
	if (!ep) {
		kfree(ks);
		return NULL;
	}
	ks->ops = ops;
	ks->priv = priv;
	ep->kserver = ks;
	return &ep->obj;
}

int kernel_endpoint_create(const struct endpoint_kops *ops, void *priv, u32 rights)
{
	if (rights & ~RIGHTS_ALL || rights & RIGHT_RECEIVE)
		return -EINVAL;         /* nobody but the kernel serves it */
	struct kobj *obj = kernel_endpoint_new(ops, priv);
	return obj ? handle_create(obj, rights) : -ENOMEM;
}

void kendpoint_release(struct endpoint *ep)
{
	if (ep->kserver->ops->release)
		ep->kserver->ops->release(ep->kserver->priv);
	kfree(ep->kserver);
	ep->kserver = NULL;
}

void kendpoint_show(struct endpoint *ep, char *buf, size_t size)
{
	const struct endpoint_kops *ops = ep->kserver->ops;
	unsigned long calls = __atomic_load_n(&ep->calls, __ATOMIC_RELAXED);
	if (ops->show) {
		char what[64];
		ops->show(ep->kserver->priv, what, sizeof(what));
		snprintf(buf, size, "%s (kernel); %lu calls", what, calls);
	} else {
		snprintf(buf, size, "served by the kernel (%s); %lu calls", ops->name, calls);
	}
}

void *kcall_reply_buf(struct kcall *c, unsigned long len)
{
	if (len > IPC_BUF_MAX || c->rbuf)
		return NULL;
	c->rbuf = kmalloc(len, GFP_KERNEL);
	if (!c->rbuf)
		return NULL;
	c->rlen = len;
	return c->rbuf;
}

long kendpoint_call(struct endpoint *ep, struct kmsg *m, struct kmsg *reply, unsigned long rcap,
		    long timeout_ms)
{
	/* The service may sleep on the caller's time: that needs what any
	 * sleeping system call needs, and a spinlock or a preempt_disable
	 * leaking into here would be a bug far from its cause. */
	might_sleep();
	struct kmsg in;
	kmsg_take(&in, m);                      /* the handles and buffer are the kernel's now */
	struct kcall c = {
		.tag = in.tag & IPC_LABEL_MASK, .nh = in.nh, .lent = in.lent, .badge = in.badge,
		.buf = in.kbuf, .len = in.len, .rcap = rcap < IPC_BUF_MAX ? rcap : IPC_BUF_MAX,
		.timeout_ms = timeout_ms,
	};
	memcpy(c.w, in.w, sizeof(c.w));
	memcpy(c.hobj, in.hobj, sizeof(c.hobj));
	memcpy(c.hrights, in.hrights, sizeof(c.hrights));
	__atomic_add_fetch(&ep->calls, 1, __ATOMIC_RELAXED);
	long err = ep->kserver->ops->call(ep->kserver->priv, &c);
	kmsg_free(&in);                         /* closes what came (the service kept its own references) */
	memset(reply, 0, sizeof(*reply));
	reply->tag = c.tag & IPC_LABEL_MASK;
	memcpy(reply->w, c.w, sizeof(reply->w));
	if (c.rbuf && c.rlen) {
		reply->kbuf = c.rbuf;
		reply->len = c.rlen;
	} else {
		kfree(c.rbuf);
	}
	if (c.hout) {
		/* The reply holds it as a moved handle: counted open from now. */
		if (c.hout->ops->handle_open)
			c.hout->ops->handle_open(c.hout, c.hout_rights);
		reply->hobj[0] = c.hout;
		reply->hrights[0] = c.hout_rights;
		reply->nh = 1;
	}
	return err;
}
