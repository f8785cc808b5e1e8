/*
 * The rendezvous of synchronous IPC. Whoever comes second to an endpoint
 * finds its partner waiting there and moves the message across under
 * ipc_lock: a sender finding a receiver hands it the message and wakes
 * it; a receiver finding a sender takes the message and, if the sender
 * called, keeps its reply capability (current->ipc_reply points at the
 * caller's waiter) instead of waking it. The reply wakes the caller.
 *
 * Every wait ends in ipc_wait, which settles the waiter under the lock:
 * after it no other task holds a pointer to it (it lives on the stack).
 */
#include <pagoda/errno.h>
#include <pagoda/sched.h>
#include <pagoda/signal.h>
#include <pagoda/slab.h>
#include <pagoda/timer.h>
#include "handle_table.h"
#include "ipc_wait.h"

DEFINE_SPINLOCK(ipc_lock);

static void waiter_done(struct ipc_waiter *w, long result, bool sync)
{
	if (!w->task) {
		kfree(container_of(w, struct kernel_msg, w));
		return;
	}
	w->result = result;
	WRITE_ONCE(w->state, IPC_DONE);
	if (sync)
		wake_up_process_sync(w->task);
	else
		wake_up_process(w->task);
}

void ipc_waiter_done(struct ipc_waiter *w, long result)
{
	waiter_done(w, result, false);
}

/* Under ipc_lock: t gives up the reply capability it holds; its caller
 * will get no answer and wakes with -EPIPE. */
static void drop_reply(struct task_struct *t)
{
	struct ipc_waiter *c = t->ipc_reply;
	if (!c)
		return;
	t->ipc_reply = NULL;
	ipc_waiter_done(c, -EPIPE);
}

/* Under ipc_lock: the receiver r takes sender s's message. */
static void take_message(struct endpoint *ep, struct ipc_waiter *r, struct ipc_waiter *s)
{
	kmsg_take(&r->in, s->out);
	if (s->is_call) {
		r->in.tag |= IPC_TAG_CALL;
		drop_reply(r->task);
		r->task->ipc_reply = s;
		s->holder = &r->task->ipc_reply;
		s->state = IPC_AWAIT_REPLY;
		ep->calls++;
	} else {
		ep->sends++;
	}
}

/* Sleep until w is done, the time runs out or the task is killed; then
 * settle it under the lock. The result: 0 or -errno. */
static long ipc_wait(struct ipc_waiter *w, long timeout_ms)
{
	long left = timeout_ms < 0 ? MAX_SCHEDULE_TIMEOUT : (long)msecs_to_jiffies((unsigned int)timeout_ms);
	long err = 0;
	/* Nothing of this CPU's is held here, and a wait without a timeout
	 * arms no per-CPU timer: the wake-up of a call or reply may move a
	 * process to its partner's CPU (wake_up_process_sync). */
	current->sleep_movable = current->mm && timeout_ms < 0;
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(w->state) == IPC_DONE)
			break;
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		if (!left) {
			err = -ETIMEDOUT;
			break;
		}
		left = schedule_timeout(left);
	}
	__set_current_state(TASK_RUNNING);
	current->sleep_movable = false;

	/* Also when done: the waker may still be inside wake_up_process(w->task). */
	unsigned long flags;
	spin_lock_irqsave(&ipc_lock, flags);
	if (w->state == IPC_QUEUED)
		list_del(&w->node);
	else if (w->state == IPC_AWAIT_REPLY)
		*w->holder = NULL;              /* a later reply goes nowhere */
	if (w->state != IPC_DONE) {
		w->state = IPC_DONE;
		w->result = err;
	}
	spin_unlock_irqrestore(&ipc_lock, flags);
	return w->result;
}

long ipc_deliver(struct endpoint *ep, struct ipc_waiter *w, long timeout_ms)
{
	unsigned long flags;
	spin_lock_irqsave(&ipc_lock, flags);
	if (ep->dead) {
		spin_unlock_irqrestore(&ipc_lock, flags);
		return -EPIPE;
	}
	if (!list_empty(&ep->receivers)) {
		struct ipc_waiter *r = list_first_entry(&ep->receivers, struct ipc_waiter, node);
		list_del(&r->node);
		w->state = IPC_DONE;
		w->result = 0;
		take_message(ep, r, w);         /* a call: now IPC_AWAIT_REPLY */
		waiter_done(r, 0, w->is_call);  /* a caller sleeps next */
	} else if (timeout_ms == IPC_POLL) {
		spin_unlock_irqrestore(&ipc_lock, flags);
		return -ETIMEDOUT;
	} else {
		w->state = IPC_QUEUED;
		list_add_tail(&w->node, &ep->senders);
	}
	bool done = w->state == IPC_DONE;
	spin_unlock_irqrestore(&ipc_lock, flags);
	return done ? 0 : ipc_wait(w, timeout_ms);
}

void ipc_post_kernel_msg(struct endpoint *ep, struct kernel_msg *km)
{
	struct ipc_waiter *s = &km->w;
	if (ep->dead || !ep->recv_handles) {
		kfree(km);
		return;
	}
	if (!list_empty(&ep->receivers)) {
		struct ipc_waiter *r = list_first_entry(&ep->receivers, struct ipc_waiter, node);
		list_del(&r->node);
		take_message(ep, r, s);
		ipc_waiter_done(r, 0);
		kfree(km);
	} else {
		s->state = IPC_QUEUED;
		list_add_tail(&s->node, &ep->senders);
	}
}

long ipc_receive(struct endpoint *ep, struct ipc_waiter *w, long timeout_ms)
{
	unsigned long flags;
	spin_lock_irqsave(&ipc_lock, flags);
	drop_reply(current);                    /* a caller not answered is abandoned */
	if (!list_empty(&ep->senders)) {
		struct ipc_waiter *s = list_first_entry(&ep->senders, struct ipc_waiter, node);
		list_del(&s->node);
		take_message(ep, w, s);
		if (!s->is_call)
			ipc_waiter_done(s, 0);
		spin_unlock_irqrestore(&ipc_lock, flags);
		return 0;
	}
	if (ep->dead || timeout_ms == IPC_POLL) {
		spin_unlock_irqrestore(&ipc_lock, flags);
		return ep->dead ? -EPIPE : -ETIMEDOUT;
	}
	w->state = IPC_QUEUED;
	list_add_tail(&w->node, &ep->receivers);
	spin_unlock_irqrestore(&ipc_lock, flags);
	return ipc_wait(w, timeout_ms);
}

void ipc_reply(struct kmsg *reply)
{
	unsigned long flags;
	spin_lock_irqsave(&ipc_lock, flags);
	struct ipc_waiter *c = current->ipc_reply;
	if (c) {
		current->ipc_reply = NULL;
		kmsg_take(&c->in, reply);
		waiter_done(c, 0, true);        /* the server receives next */
	}
	spin_unlock_irqrestore(&ipc_lock, flags);
}

void ipc_exit(struct task_struct *t)
{
	unsigned long flags;
	spin_lock_irqsave(&ipc_lock, flags);
	drop_reply(t);
	spin_unlock_irqrestore(&ipc_lock, flags);
	t->ipc_nloans = 0;                      /* closed with the rest */
	t->ipc_nloan_maps = 0;                  /* the mappings go with the mm */
	handles_exit(t);
}
