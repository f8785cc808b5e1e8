/*
 * Wait queues and completions (<pagoda/wait.h>, <pagoda/completion.h>).
 * A woken entry is taken off its queue by the waker (autoremove), so one
 * wake_up wakes each sleeper once and prepare_to_wait re-queues it for the
 * next round.
 */
#include <pagoda/completion.h>
#include <pagoda/wait.h>
#include <asm/processor.h>

static void __prepare(wait_queue_head_t *wq, struct wait_queue_entry *w, long state, bool exclusive)
{
	unsigned long flags;
	spin_lock_irqsave(&wq->lock, flags);
	if (list_empty(&w->entry)) {
		w->flags = exclusive ? WQ_FLAG_EXCLUSIVE : 0;
		if (exclusive)
			list_add_tail(&w->entry, &wq->head);
		else
			list_add(&w->entry, &wq->head);
	}
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void prepare_to_wait(wait_queue_head_t *wq, struct wait_queue_entry *w, long state)
{
	__prepare(wq, w, state, false);
}

void prepare_to_wait_exclusive(wait_queue_head_t *wq, struct wait_queue_entry *w, long state)
{
	__prepare(wq, w, state, true);
}

void finish_wait(wait_queue_head_t *wq, struct wait_queue_entry *w)
{
	__set_current_state(TASK_RUNNING);
	unsigned long flags;
	spin_lock_irqsave(&wq->lock, flags);
	if (!list_empty(&w->entry)) {
		list_del(&w->entry);
		INIT_LIST_HEAD(&w->entry);
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* Non-exclusive waiters are at the head, exclusive ones at the tail. */
static void wake_up_locked(wait_queue_head_t *wq, int nr_exclusive)
{
	struct wait_queue_entry *w, *n;
	list_for_each_entry_safe(w, n, &wq->head, entry) {
		bool excl = w->flags & WQ_FLAG_EXCLUSIVE;
		list_del(&w->entry);
		INIT_LIST_HEAD(&w->entry);
		wake_up_process(w->task);
		if (excl && nr_exclusive && !--nr_exclusive)
			break;
	}
}

void __wake_up(wait_queue_head_t *wq, int nr_exclusive)
{
	unsigned long flags;
	spin_lock_irqsave(&wq->lock, flags);
	wake_up_locked(wq, nr_exclusive);
	spin_unlock_irqrestore(&wq->lock, flags);
}

bool waitqueue_active(wait_queue_head_t *wq)
{
	return !list_empty(&wq->head);
}

/* ---- completions ------------------------------------------------------------ */

#define COMPLETE_ALL (~0u)

void init_completion(struct completion *c)
{
	c->done = 0;
	init_waitqueue_head(&c->wait);
}

void reinit_completion(struct completion *c)
{
	c->done = 0;
}

void complete(struct completion *c)
{
	unsigned long flags;
	spin_lock_irqsave(&c->wait.lock, flags);
	if (c->done != COMPLETE_ALL)
		c->done++;
	wake_up_locked(&c->wait, 1);
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

void complete_all(struct completion *c)
{
	unsigned long flags;
	spin_lock_irqsave(&c->wait.lock, flags);
	c->done = COMPLETE_ALL;
	wake_up_locked(&c->wait, 0);
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

bool completion_done(struct completion *c)
{
	return READ_ONCE(c->done) != 0;
}

long wait_for_completion_timeout(struct completion *c, long timeout)
{
	might_sleep();
	DEFINE_WAIT(w);
	unsigned long flags;
	spin_lock_irqsave(&c->wait.lock, flags);
	while (!c->done && timeout) {
		if (list_empty(&w.entry)) {
			w.flags = WQ_FLAG_EXCLUSIVE;
			list_add_tail(&w.entry, &c->wait.head);
		}
		set_current_state(TASK_UNINTERRUPTIBLE);
		spin_unlock_irqrestore(&c->wait.lock, flags);
		timeout = schedule_timeout(timeout);
		spin_lock_irqsave(&c->wait.lock, flags);
	}
	if (!list_empty(&w.entry))
		list_del(&w.entry);
	__set_current_state(TASK_RUNNING);
	long ret = 0;
	if (c->done) {
		if (c->done != COMPLETE_ALL)
			c->done--;
		ret = timeout ? timeout : 1;
	}
	spin_unlock_irqrestore(&c->wait.lock, flags);
	return ret;
}

void wait_for_completion(struct completion *c)
{
	wait_for_completion_timeout(c, MAX_SCHEDULE_TIMEOUT);
}
