/* Time for user space: clock_gettime (CLOCK_MONOTONIC, the TSC) and
 * nanosleep, an interruptible sleep a kill ends early. */
#include <pagoda/errno.h>
#include <pagoda/sched.h>
#include <pagoda/signal.h>
#include <pagoda/syscalls.h>
#include <pagoda/time.h>
#include <pagoda/timer.h>
#include <pagoda/uaccess.h>
#include <uapi/pagoda/time.h>

#define NSEC_PER_SEC 1000000000LL

SYSCALL_DEFINE2(clock_gettime, int, clock, struct timespec __user *, utp)
{
	if (clock != CLOCK_MONOTONIC)
		return -EINVAL;
	u64 ns = ktime_get_ns();
	struct timespec ts = { .tv_sec = (s64)(ns / NSEC_PER_SEC), .tv_nsec = (s64)(ns % NSEC_PER_SEC) };
	return copy_to_user(utp, &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(nanosleep, const struct timespec __user *, ureq, struct timespec __user *, urem)
{
	struct timespec req;
	(void)urem;                     /* a sleep ends early only when the process dies */
	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	u64 ns = (u64)req.tv_sec * NSEC_PER_SEC + (u64)req.tv_nsec;
	u64 end = ktime_get_ns() + ns;
	/* Whole ticks, rounded up, so the sleep is at least what was asked. */
	while (ktime_get_ns() < end) {
		if (fatal_signal_pending(current))
			return -EINTR;
		u64 left = end - ktime_get_ns();
		u64 ticks = (left * HZ + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
		if (ticks > (u64)MAX_SCHEDULE_TIMEOUT)
			ticks = MAX_SCHEDULE_TIMEOUT;
		set_current_state(TASK_INTERRUPTIBLE);
		if (fatal_signal_pending(current)) {
			__set_current_state(TASK_RUNNING);
			return -EINTR;
		}
		schedule_timeout((long)(ticks ? ticks : 1));
	}
	return 0;
}
