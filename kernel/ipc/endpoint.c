/*
 * Endpoints: the kernel object IPC goes through. An endpoint has no owner
 * and no queue of messages: a sender waits on it until a receiver comes
 * (or the other way round), and the message goes straight from one to the
 * other. It counts the handles that may receive from it; when the last
 * one closes, nobody can ever answer, so every waiting sender wakes with
 * -EPIPE and every later one gets it at once.
 */
#include <pagoda/errno.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include <pagoda/syscalls.h>
#include "ipc_internal.h"
#include "ipc_wait.h"
#include "memobj_internal.h"

static void endpoint_kill(struct endpoint *ep)
{
	struct ipc_waiter *w, *n;
	ep->dead = true;
	list_for_each_entry_safe(w, n, &ep->senders, node) {
		list_del(&w->node);
		ipc_waiter_done(w, -EPIPE);
	}
	list_for_each_entry_safe(w, n, &ep->receivers, node) {
		list_del(&w->node);
		ipc_waiter_done(w, -EPIPE);
	}
	memobj_pager_endpoint_died();   /* its faulting tasks, if it was a pager */
}

static void endpoint_handle_open(struct kobj *obj, u32 rights)
{
	struct endpoint *ep = to_endpoint(obj);
	if (!ep->target && !(rights & RIGHT_RECEIVE))
		return;
	unsigned long flags;
	spin_lock_irqsave(&ipc_lock, flags);
	if (ep->target)
		ep->alias_handles++;
	else
		ep->recv_handles++;
	spin_unlock_irqrestore(&ipc_lock, flags);
}

static void endpoint_handle_close(struct kobj *obj, u32 rights)
{
	struct endpoint *ep = to_endpoint(obj);
	if (!ep->target && !(rights & RIGHT_RECEIVE))
		return;
	unsigned long flags;
	spin_lock_irqsave(&ipc_lock, flags);
	if (ep->target) {
		/* The last handle of a minted alias: its server hears it, once
		 * (no_senders is posted and forgotten), behind whatever was
		 * already sent through it. */
		if (!--ep->alias_handles && ep->no_senders) {
			ipc_post_kernel_msg(ep->target, ep->no_senders);
			ep->no_senders = NULL;
		}
	} else if (!--ep->recv_handles) {
		endpoint_kill(ep);
	}
	spin_unlock_irqrestore(&ipc_lock, flags);
}

static void endpoint_release(struct kobj *obj)
{
	struct endpoint *ep = to_endpoint(obj);
	if (ep->kserver)
		kendpoint_release(ep);
	if (ep->target)
		kobj_put(&ep->target->obj);
	kfree(ep);
}

static void endpoint_show(struct kobj *obj, char *buf, size_t size)
{
	struct endpoint *ep = to_endpoint(obj);
	unsigned int ns = 0, nr = 0;
	struct ipc_waiter *w;
	unsigned long flags;
	if (ep->target) {
		snprintf(buf, size, "badge %lu, sends to endpoint %p; %u handles", ep->badge, ep->target,
			 ep->alias_handles);
		return;
	}
	if (ep->kserver) {
		kendpoint_show(ep, buf, size);
		return;
	}
	spin_lock_irqsave(&ipc_lock, flags);
	list_for_each_entry(w, &ep->senders, node)
		ns++;
	list_for_each_entry(w, &ep->receivers, node)
		nr++;
	snprintf(buf, size, "%s%u senders, %u receivers waiting; %lu calls, %lu sends",
		 ep->dead ? "dead; " : "", ns, nr, ep->calls, ep->sends);
	spin_unlock_irqrestore(&ipc_lock, flags);
}

static const struct kobj_ops endpoint_ops = {
	.name = "endpoint",
	.handle_open = endpoint_handle_open,
	.handle_close = endpoint_handle_close,
	.release = endpoint_release,
	.show = endpoint_show,
};

struct endpoint *endpoint_alloc(void)
{
	struct endpoint *ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	if (!ep)
		return NULL;
	kobj_init(&ep->obj, HANDLE_TYPE_ENDPOINT, &endpoint_ops);
	INIT_LIST_HEAD(&ep->senders);
	INIT_LIST_HEAD(&ep->receivers);
	return ep;
}

SYSCALL_DEFINE0(endpoint_create)
{
	struct endpoint *ep = endpoint_alloc();
	return ep ? handle_create(&ep->obj, RIGHTS_ALL) : -ENOMEM;
}

/* handle_mint: a send-only alias of ep stamped with a badge, so that a
 * server with many clients on one endpoint knows which one sent (seL4's
 * badged capabilities). The receiver gets the badge as ipc_recv's result. */
SYSCALL_DEFINE3(handle_mint, int, h, unsigned int, rights, unsigned long, badge)
{
	if (rights & ~(RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER) || !(rights & RIGHT_SEND) ||
	    !badge || badge > IPC_BADGE_MAX)
		return -EINVAL;
	long err;
	struct kobj *obj = handle_get(h, HANDLE_TYPE_ENDPOINT, RIGHT_DUPLICATE | rights, &err);
	if (!obj)
		return err;
	struct endpoint *ep = to_endpoint(obj);
	if (ep->target) {
		kobj_put(obj);
		return -EPERM;          /* a badge is given once: no re-badging */
	}
	/* The no-senders message is made now: the last close must never
	 * lose it for want of memory. */
	struct kernel_msg *km = kzalloc(sizeof(*km), GFP_KERNEL);
	struct endpoint *alias = km ? endpoint_alloc() : NULL;
	if (!alias) {
		kfree(km);
		kobj_put(obj);
		return -ENOMEM;
	}
	km->w.out = &km->m;
	km->m.tag = IPC_LABEL_NO_SENDERS;
	km->m.badge = badge;
	alias->target = ep;             /* our reference passes to the alias */
	alias->badge = badge;
	int nh = handle_create(&alias->obj, rights);
	if (nh < 0) {
		kfree(km);              /* -EMFILE: nobody ever held it, nothing to hear */
		return nh;
	}
	/* Armed once the handle exists (a process has one thread: nothing
	 * closed it in between). */
	unsigned long flags;
	spin_lock_irqsave(&ipc_lock, flags);
	alias->no_senders = km;
	spin_unlock_irqrestore(&ipc_lock, flags);
	return nh;
}
