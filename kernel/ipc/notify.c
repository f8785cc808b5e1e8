/*
 * Notifications: a word of pending bits. notify_signal ORs bits in and
 * never blocks (an interrupt handler will signal one later, issue #15's
 * next layer); notify_wait takes them all at once, waiting until some are
 * there. Bits signalled twice before a wait are seen once: a
 * notification says "something happened", a message says what.
 */
#include <pagoda/errno.h>
#include <pagoda/ipc.h>
#include <pagoda/sched.h>
#include <pagoda/signal.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include <pagoda/syscalls.h>
#include <pagoda/timer.h>
#include <pagoda/wait.h>

struct notification {
	struct kobj obj;
	wait_queue_head_t wq;
	unsigned long bits;             /* pending; under wq.lock */
};

static struct notification *to_notification(struct kobj *obj)
{
	return container_of(obj, struct notification, obj);
}

static void notification_release(struct kobj *obj)
{
	kfree(to_notification(obj));
}

static void notification_show(struct kobj *obj, char *buf, size_t size)
{
	snprintf(buf, size, "bits %#lx pending", READ_ONCE(to_notification(obj)->bits));
}

static const struct kobj_ops notification_ops = {
	.name = "notification",
	.release = notification_release,
	.show = notification_show,
};

SYSCALL_DEFINE0(notify_create)
{
	struct notification *n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	kobj_init(&n->obj, HANDLE_TYPE_NOTIFICATION, &notification_ops);
	init_waitqueue_head(&n->wq);
	return handle_create(&n->obj, RIGHTS_ALL);
}

/* The lock is taken with interrupts off and the wake-up is irq-safe
 * (<pagoda/wait.h>): an interrupt handler may signal (device_irq_bind). */
void notify_signal_kobj(struct kobj *obj, unsigned long bits)
{
	struct notification *n = to_notification(obj);
	unsigned long flags;
	spin_lock_irqsave(&n->wq.lock, flags);
	n->bits |= bits & NOTIFY_BITS;
	spin_unlock_irqrestore(&n->wq.lock, flags);
	wake_up_all(&n->wq);
}

SYSCALL_DEFINE2(notify_signal, int, h, unsigned long, bits)
{
	if (bits & ~NOTIFY_BITS)
		return -EINVAL;
	long err;
	struct kobj *obj = handle_get(h, HANDLE_TYPE_NOTIFICATION, RIGHT_SEND, &err);
	if (!obj)
		return err;
	notify_signal_kobj(obj, bits);
	kobj_put(obj);
	return 0;
}

static unsigned long take_bits(struct notification *n)
{
	unsigned long flags;
	spin_lock_irqsave(&n->wq.lock, flags);
	unsigned long bits = n->bits;
	n->bits = 0;
	spin_unlock_irqrestore(&n->wq.lock, flags);
	return bits;
}

SYSCALL_DEFINE2(notify_wait, int, h, long, timeout_ms)
{
	if (timeout_ms < IPC_FOREVER)
		return -EINVAL;
	long err;
	struct kobj *obj = handle_get(h, HANDLE_TYPE_NOTIFICATION, RIGHT_RECEIVE, &err);
	if (!obj)
		return err;
	struct notification *n = to_notification(obj);
	long left = timeout_ms < 0 ? MAX_SCHEDULE_TIMEOUT : (long)msecs_to_jiffies((unsigned int)timeout_ms);
	DEFINE_WAIT(w);
	long ret;
	for (;;) {
		prepare_to_wait(&n->wq, &w, TASK_INTERRUPTIBLE);
		unsigned long bits = take_bits(n);
		if (bits) {
			ret = (long)bits;
			break;
		}
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (!left) {
			ret = -ETIMEDOUT;
			break;
		}
		left = schedule_timeout(left);
	}
	finish_wait(&n->wq, &w);
	kobj_put(obj);
	return ret;
}
