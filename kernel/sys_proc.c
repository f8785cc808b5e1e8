/* The small process calls: who am I, who is my parent, kill, yield. */
#include <pagoda/errno.h>
#include <pagoda/process.h>
#include <pagoda/sched.h>
#include <pagoda/signal.h>
#include <pagoda/syscalls.h>

SYSCALL_DEFINE0(getpid)
{
	return current->pid;
}

SYSCALL_DEFINE0(getppid)
{
	return READ_ONCE(current->parent)->pid;
}

SYSCALL_DEFINE0(sched_yield)
{
	yield();
	return 0;
}

/* Only processes can be killed: kernel threads and idle tasks are ESRCH
 * (they are not in the user's world), pid 1 is EPERM, as on Linux for a
 * signal init has no handler for. A zombie is already dead: sig 0 finds
 * it, any other signal does nothing. */
SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	if (pid <= 0)
		return -ESRCH;          /* process groups: none yet */
	if (pid == 1)
		return sig ? -EPERM : 0;        /* init, a program or the boot's kernel task */
	struct task_struct *p = find_get_task(pid);
	if (!p || !(p->flags & PF_PROCESS)) {
		if (p)
			put_task_struct(p);
		return -ESRCH;
	}
	long ret = 0;
	if (sig && p->exit_state != EXIT_ZOMBIE)
		send_fatal_sig(p, sig);
	put_task_struct(p);
	return ret;
}
