/*
 * Kernel-served endpoints (<pagoda/ipc.h>): the kernel answers a call on
 * them itself, in the caller's context, before ipc_call returns. No
 * receiver waits and no task switch happens: the kernel service runs on
 * the caller's time, as a system call would, but behind the same handle
 * and protocol a user-space server speaks. That is what lets the
 * blk=kernel and blk=user block back ends be swapped under one client.
 */
#include <pagoda/errno.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include "ipc_wait.h"

int kernel_endpoint_create(const struct endpoint_kops *ops, void *priv, u32 rights)
{
	if (rights & ~RIGHTS_ALL || rights & RIGHT_RECEIVE)
		return -EINVAL;         /* nobody but the kernel serves it */
	struct endpoint_kserver *ks = kmalloc(sizeof(*ks), GFP_KERNEL);
	struct endpoint *ep = ks ? endpoint_alloc() : NULL;
	if (!ep) {
		kfree(ks);
		return -ENOMEM;
	}
	ks->ops = ops;
	ks->priv = priv;
	ep->kserver = ks;
	return handle_create(&ep->obj, rights);
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
	snprintf(buf, size, "served by the kernel (%s); %lu calls", ep->kserver->ops->name,
		 __atomic_load_n(&ep->calls, __ATOMIC_RELAXED));
}

long kendpoint_call(struct endpoint *ep, struct kmsg *m, struct kmsg *reply)
{
	struct kmsg in;
	kmsg_take(&in, m);                      /* the handles are the kernel's now */
	struct kcall c = { .tag = in.tag & IPC_LABEL_MASK, .nh = in.nh, .lent = in.lent, .badge = in.badge };
	memcpy(c.w, in.w, sizeof(c.w));
	memcpy(c.hobj, in.hobj, sizeof(c.hobj));
	memcpy(c.hrights, in.hrights, sizeof(c.hrights));
	__atomic_add_fetch(&ep->calls, 1, __ATOMIC_RELAXED);
	long err = ep->kserver->ops->call(ep->kserver->priv, &c);
	kmsg_free(&in);                         /* closes what came (the service kept its own references) */
	memset(reply, 0, sizeof(*reply));
	reply->tag = c.tag & IPC_LABEL_MASK;
	memcpy(reply->w, c.w, sizeof(reply->w));
	return err;
}
