/*
 * What a call leaves its server: a one-shot reply capability and the
 * handles the caller lent (IPC_TAG_LEND).
 *
 * A server answers its last caller with ipc_reply_recv. A server that
 * must answer later, or out of order (a console read waiting for a key, a
 * disk with 32 commands in flight), saves the capability as a handle of
 * type HANDLE_TYPE_REPLY (seL4 once called this SaveCaller) and answers
 * through it with ipc_reply. Closing it unanswered wakes the caller with
 * -EPIPE, as a server's death does.
 *
 * Loans end with the call: the kernel closes the server's copies when it
 * answers, or when it gives the call up (waits for another message,
 * closes the saved reply, dies). Always in the server's own context and
 * table, which is why a reply that carries loans may not move to another
 * process (no RIGHT_TRANSFER), and why fork gives neither to a child.
 */
#include <pagoda/errno.h>
#include <pagoda/mm_user.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include <pagoda/syscalls.h>
#include <pagoda/uaccess.h>
#include "ipc_wait.h"

struct reply_obj {
	struct kobj obj;
	struct ipc_waiter *caller;      /* NULL once answered or given up (ipc_lock) */
	int loans[IPC_HANDLES_MAX];
	unsigned int nloans;
};

static struct reply_obj *to_reply(struct kobj *obj)
{
	return container_of(obj, struct reply_obj, obj);
}

void ipc_loan_add(int h)
{
	struct task_struct *me = current;
	if (me->ipc_nloans < ARRAY_SIZE(me->ipc_loans)) {
		me->ipc_loans[me->ipc_nloans++] = h;
		return;
	}
	/* Cannot happen: loans end before the next message comes. */
	pr_warn("ipc: %s/%d holds too many loans; closing handle %d\n", me->comm, me->pid, h);
	handle_close(h);
}

int ipc_loan_mapped(int h, unsigned long addr, unsigned long len, const void *mo)
{
	struct task_struct *me = current;
	if (me->ipc_nloan_maps == ARRAY_SIZE(me->ipc_loan_maps))
		return -EBUSY;
	me->ipc_loan_maps[me->ipc_nloan_maps++] = (struct ipc_loan_map){ h, addr, len, mo };
	return 0;
}

/* The loan h ends: every mapping current made of it goes too, so the
 * lender's memory is out of reach through the handle and the address
 * space alike (a mapping the server unmapped or replaced is left alone). */
static void loan_unmap(int h)
{
	struct task_struct *me = current;
	for (unsigned int i = 0; i < me->ipc_nloan_maps;) {
		struct ipc_loan_map *m = &me->ipc_loan_maps[i];
		if (m->h != h) {
			i++;
			continue;
		}
		if (me->mm)
			vm_unmap_memobj(me->mm, m->addr, m->len, m->mo);
		*m = me->ipc_loan_maps[--me->ipc_nloan_maps];
	}
}

/* A handle the server already closed, or moved on as a loan of its own,
 * simply fails to close: its value died with it. */
static void loans_close(const int *h, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		loan_unmap(h[i]);
		handle_close(h[i]);
	}
}

void ipc_loans_end(void)
{
	struct task_struct *me = current;
	unsigned int n = me->ipc_nloans;
	me->ipc_nloans = 0;
	loans_close(me->ipc_loans, n);
}

/* The saved capability's only handle closes (ipc_reply consumed it, or
 * the server closed it, or exited): an unanswered caller gets -EPIPE. */
static void reply_handle_close(struct kobj *obj, u32 rights)
{
	(void)rights;
	struct reply_obj *r = to_reply(obj);
	unsigned long flags;
	spin_lock_irqsave(&ipc_lock, flags);
	struct ipc_waiter *c = r->caller;
	r->caller = NULL;
	if (c)
		ipc_waiter_done(c, -EPIPE);
	spin_unlock_irqrestore(&ipc_lock, flags);
	unsigned int n = r->nloans;
	r->nloans = 0;
	loans_close(r->loans, n);
}

static void reply_release(struct kobj *obj)
{
	kfree(to_reply(obj));
}

static void reply_show(struct kobj *obj, char *buf, size_t size)
{
	struct reply_obj *r = to_reply(obj);
	unsigned long flags;
	spin_lock_irqsave(&ipc_lock, flags);
	struct task_struct *t = r->caller ? r->caller->task : NULL;
	if (t)
		snprintf(buf, size, "to %s/%d, %u loans", t->comm, t->pid, r->nloans);
	else
		snprintf(buf, size, "caller gone");
	spin_unlock_irqrestore(&ipc_lock, flags);
}

static const struct kobj_ops reply_ops = {
	.name = "reply",
	.handle_close = reply_handle_close,
	.release = reply_release,
	.show = reply_show,
};

SYSCALL_DEFINE0(ipc_reply_save)
{
	struct reply_obj *r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	kobj_init(&r->obj, HANDLE_TYPE_REPLY, &reply_ops);
	struct task_struct *me = current;
	unsigned long flags;
	spin_lock_irqsave(&ipc_lock, flags);
	struct ipc_waiter *c = me->ipc_reply;
	if (c) {
		me->ipc_reply = NULL;
		r->caller = c;
		c->holder = &r->caller;
	}
	spin_unlock_irqrestore(&ipc_lock, flags);
	if (!c) {
		kobj_put(&r->obj);
		return -ENOENT;
	}
	r->nloans = me->ipc_nloans;
	for (unsigned int i = 0; i < r->nloans; i++)
		r->loans[i] = me->ipc_loans[i];
	me->ipc_nloans = 0;
	return handle_create(&r->obj, RIGHT_SEND | (r->nloans ? 0 : RIGHT_TRANSFER));
}

long ipc_reply_to(int h, unsigned long tag, const unsigned long *w, const struct ipc_ext *ext)
{
	long err;
	struct kobj *obj = handle_get(h, HANDLE_TYPE_REPLY, RIGHT_SEND, &err);
	if (!obj)
		return err;
	struct reply_obj *r = to_reply(obj);
	struct kmsg reply;
	err = kmsg_load(&reply, tag, w, ext);
	if (!err) {
		unsigned long flags;
		spin_lock_irqsave(&ipc_lock, flags);
		struct ipc_waiter *c = r->caller;
		r->caller = NULL;
		if (c) {
			kmsg_take(&c->in, &reply);
			ipc_waiter_done(c, 0);
		}
		spin_unlock_irqrestore(&ipc_lock, flags);
		kmsg_settle(&reply);
	}
	kobj_put(obj);
	handle_close(h);                        /* one-shot: gone, answered or not */
	return err;
}
