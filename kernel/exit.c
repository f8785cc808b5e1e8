/*
 * The end of a process and its parent's wait (Linux's exit.c in small).
 *
 * do_exit gives back what the process holds (its address space), becomes
 * a zombie -- a task_struct that only keeps the exit status and the pid --
 * hands its children to init, wakes its parent, and leaves the CPU for
 * good. The reaper frees its kernel stack (it cannot free the stack it runs
 * on), and the parent's wait4 frees the rest (task_release). When pid 1
 * ends there is nothing left to run: the kernel says how it ended and
 * powers off, as a ktest boot does.
 */
#include <pagoda/errno.h>
#include <pagoda/ipc.h>
#include <pagoda/mm_user.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/process.h>
#include <pagoda/reboot.h>
#include <pagoda/sched.h>
#include <pagoda/signal.h>
#include <pagoda/sprintf.h>
#include <pagoda/syscalls.h>
#include <pagoda/uaccess.h>
#include <asm/processor.h>
#include <uapi/pagoda/wait.h>
#include "sched/sched.h"

const char *wait_status_str(int status, char *buf, size_t size)
{
	char sb[16];
	if (WIFEXITED(status))
		snprintf(buf, size, "exit code %d", WEXITSTATUS(status));
	else
		snprintf(buf, size, "killed by %s", signal_name(WTERMSIG(status), sb, sizeof(sb)));
	return buf;
}

/* Drop the address space and run on the kernel's page tables, holding
 * init_mm as a kernel thread holds its active_mm (the scheduler passes
 * that reference on at the last switch). */
static void exit_mm(struct task_struct *me)
{
	struct mm_struct *mm = me->mm;
	if (!mm)
		return;
	mmgrab(&init_mm);
	unsigned long flags;
	/* Under the task list lock: ps reads mm's counters under it. */
	spin_lock_irqsave(&tasklist_lock, flags);
	me->mm = NULL;
	me->active_mm = &init_mm;
	switch_mm(mm, &init_mm);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	mmput(mm);
}

static bool init_must_fail;

void init_exit_must_fail(void)
{
	init_must_fail = true;
}

static __noreturn void init_exited(int status)
{
	char buf[48];
	printk(KERN_EMERG "init exited with status %d (%s)%s\n", status,
	       wait_status_str(status, buf, sizeof(buf)), init_must_fail ? "; the ktests before it failed" : "");
	qemu_exit(status == 0 && !init_must_fail ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
}

__noreturn void do_exit(int status)
{
	struct task_struct *me = current;
	if (!(me->flags & PF_PROCESS) || (me->flags & PF_IDLE))
		panic("BUG: do_exit of %s/%d, which is not a process", me->comm, me->pid);
	ipc_exit(me);                           /* its callers and servers learn now */
	exit_mm(me);
	if (me == &init_task)
		init_exited(status);
	me->exit_code = status;

	unsigned long flags;
	spin_lock_irqsave(&tasklist_lock, flags);
	task_reparent_children(me);
	me->exit_state = EXIT_ZOMBIE;
	/* Under the lock: the parent cannot be reaped (and freed) meanwhile. */
	wake_up_state(me->parent, TASK_INTERRUPTIBLE);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	do_task_dead();
}

SYSCALL_DEFINE1(exit, int, code)
{
	do_exit(W_EXITCODE(code, 0));
}

/* A child of me that wait4(pid) may take: a process; pid -1 is any. */
static bool wait_eligible(const struct task_struct *c, int pid)
{
	return (c->flags & PF_PROCESS) && (pid == -1 || c->pid == pid);
}

long kernel_wait4(int pid, int *status, int options)
{
	struct task_struct *me = current;
	if (options & ~WNOHANG)
		return -EINVAL;
	if (pid == 0 || pid < -1)
		return -EINVAL;         /* process groups: none yet */
	for (;;) {
		struct task_struct *c, *zombie = NULL;
		bool any = false;
		unsigned long flags;
		set_current_state(TASK_INTERRUPTIBLE);
		spin_lock_irqsave(&tasklist_lock, flags);
		list_for_each_entry(c, &me->children, sibling) {
			if (!wait_eligible(c, pid))
				continue;
			any = true;
			if (c->exit_state == EXIT_ZOMBIE) {
				zombie = c;
				break;
			}
		}
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (zombie) {
			__set_current_state(TASK_RUNNING);
			int zpid = zombie->pid;
			if (status)
				*status = zombie->exit_code;
			task_release(zombie);
			process_slot_put();
			return zpid;
		}
		if (!any || (options & WNOHANG) || fatal_signal_pending(me)) {
			__set_current_state(TASK_RUNNING);
			return !any ? -ECHILD : (options & WNOHANG) ? 0 : -EINTR;
		}
		schedule();
	}
}

SYSCALL_DEFINE4(wait4, int, pid, int __user *, ustatus, int, options, void __user *, rusage)
{
	int status = 0;
	if (rusage)
		return -EINVAL;
	if (ustatus && !access_ok(ustatus, sizeof(int)))
		return -EFAULT;
	long ret = kernel_wait4(pid, &status, options);
	if (ret > 0 && ustatus && put_user(status, ustatus))
		return -EFAULT;         /* the child is reaped all the same, as on Linux */
	return ret;
}
