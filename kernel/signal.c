/*
 * Ending processes. A signal here is only a number stored in the task
 * (pending_sig): the exit-to-user path (kernel/entry_common.c) sees it and
 * calls do_exit with that signal in the wait status, so a process always
 * dies at a clean point -- on its way back to user mode, never in the
 * middle of a system call holding locks. A sleeper in an interruptible
 * wait is woken for it and gives up with -EINTR.
 */
#include <pagoda/signal.h>
#include <pagoda/sched.h>
#include <pagoda/sprintf.h>

void force_fatal_sig(int sig)
{
	send_fatal_sig(current, sig);
}

void send_fatal_sig(struct task_struct *p, int sig)
{
	int none = 0;
	__atomic_compare_exchange_n(&p->pending_sig, &none, sig, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	wake_up_state(p, TASK_INTERRUPTIBLE);
}

bool fatal_signal_pending(const struct task_struct *p)
{
	return READ_ONCE(p->pending_sig) != 0;
}

const char *signal_name(int sig, char *buf, size_t size)
{
	static const char *const names[NSIG] = {
		[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
		[SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE",
		[SIGKILL] = "SIGKILL", [SIGSEGV] = "SIGSEGV", [SIGPIPE] = "SIGPIPE", [SIGTERM] = "SIGTERM",
	};
	if (sig > 0 && sig < NSIG && names[sig])
		return names[sig];
	snprintf(buf, size, "signal %d", sig);
	return buf;
}
