/*
 * Wait queues: a list of tasks sleeping until some condition holds. The
 * sleeper puts itself on the queue *and sets its state* before it tests
 * the condition; the waker makes the condition true *then* wakes the
 * queue. Whichever order the two CPUs run in, the sleeper either sees the
 * condition or is woken (wake_up_process sets it TASK_RUNNING, and
 * schedule() then does not put it to sleep): no lost wake-up.
 *
 *   wait_event(wq, cond);                  sleep until cond
 *   wait_event_timeout(wq, cond, jiffies); ... or the time runs out:
 *                                          0 if it did, else the jiffies left (>= 1)
 *   wake_up(&wq);                          wake the non-exclusive sleepers and one exclusive
 *   wake_up_all(&wq);                      wake every sleeper
 *
 * Sleeping: process context with preemption and interrupts on, no spinlock
 * held (might_sleep checks). Waking: any context, interrupt handlers
 * included.
 */
#ifndef PAGODA_WAIT_H
#define PAGODA_WAIT_H

#include <pagoda/list.h>
#include <pagoda/sched.h>
#include <pagoda/spinlock.h>

typedef struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
} wait_queue_head_t;

#define WQ_FLAG_EXCLUSIVE 1

struct wait_queue_entry {
	unsigned int flags;
	struct task_struct *task;
	struct list_head entry;
};

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) { __SPIN_LOCK_UNLOCKED(name.lock), LIST_HEAD_INIT(name.head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) wait_queue_head_t name = __WAIT_QUEUE_HEAD_INITIALIZER(name)
#define init_waitqueue_head(wq) do { spin_lock_init(&(wq)->lock); INIT_LIST_HEAD(&(wq)->head); } while (0)
#define DEFINE_WAIT(name) struct wait_queue_entry name = { 0, current, LIST_HEAD_INIT(name.entry) }

/* Queue w (if it is not queued) and set the task's state; the caller then
 * tests its condition and calls schedule() if it is false. */
void prepare_to_wait(wait_queue_head_t *wq, struct wait_queue_entry *w, long state);
void prepare_to_wait_exclusive(wait_queue_head_t *wq, struct wait_queue_entry *w, long state);
/* TASK_RUNNING again, and off the queue. */
void finish_wait(wait_queue_head_t *wq, struct wait_queue_entry *w);
void __wake_up(wait_queue_head_t *wq, int nr_exclusive);
#define wake_up(wq) __wake_up(wq, 1)
#define wake_up_all(wq) __wake_up(wq, 0)
bool waitqueue_active(wait_queue_head_t *wq);

#define wait_event(wq, cond) do {                                        \
	might_sleep();                                                   \
	if (cond)                                                        \
		break;                                                   \
	DEFINE_WAIT(__wait);                                             \
	for (;;) {                                                       \
		prepare_to_wait(&(wq), &__wait, TASK_UNINTERRUPTIBLE);   \
		if (cond)                                                \
			break;                                           \
		schedule();                                              \
	}                                                                \
	finish_wait(&(wq), &__wait);                                     \
} while (0)

#define wait_event_timeout(wq, cond, timeout) ({                         \
	long __left = (timeout);                                         \
	might_sleep();                                                   \
	if (!(cond)) {                                                   \
		DEFINE_WAIT(__wait);                                     \
		for (;;) {                                               \
			prepare_to_wait(&(wq), &__wait, TASK_UNINTERRUPTIBLE); \
			if (cond)                                        \
				break;                                   \
			if (!__left)                                     \
				break;                                   \
			__left = schedule_timeout(__left);               \
		}                                                        \
		finish_wait(&(wq), &__wait);                             \
		if ((cond) && !__left)                                   \
			__left = 1;                                      \
	} else if (!__left)                                              \
		__left = 1;                                              \
	__left; })

#endif
