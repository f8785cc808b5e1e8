/*
 * fork: a new process that is a copy of the caller. The child gets its own
 * kernel stack and task_struct, a copy of the address space in which every
 * private writable page is shared copy-on-write (dup_mm), the caller's FPU
 * state, and the caller's trapped user registers with ax = 0: its first
 * switch returns into ret_from_fork, which leaves for user mode through
 * that frame, so the child "returns from fork" with 0 while the parent
 * gets the child's pid. It is placed on the least loaded CPU, as a kernel
 * thread is, and stays there.
 */
#include <pagoda/errno.h>
#include <pagoda/gfp.h>
#include <pagoda/ipc.h>
#include <pagoda/mm_user.h>
#include <pagoda/process.h>
#include <pagoda/preempt.h>
#include <pagoda/sched.h>
#include <pagoda/string.h>
#include <pagoda/syscalls.h>
#include <asm/entry.h>
#include "sched/sched.h"

static unsigned int nr_procs;

unsigned int nr_processes(void)
{
	return READ_ONCE(nr_procs);
}

bool process_slot_get(void)
{
	unsigned int n = READ_ONCE(nr_procs);
	do {
		if (n >= MAX_PROCS)
			return false;
	} while (!__atomic_compare_exchange_n(&nr_procs, &n, n + 1, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return true;
}

void process_slot_put(void)
{
	__atomic_sub_fetch(&nr_procs, 1, __ATOMIC_ACQ_REL);
}

long do_fork(struct pt_regs *regs)
{
	struct task_struct *me = current, *t;
	long err = -EAGAIN;

	if (nr_free_pages() < FORK_MIN_FREE_PAGES || !process_slot_get())
		return -EAGAIN;
	err = -ENOMEM;
	t = task_create(NULL, NULL, PF_USER | PF_PROCESS);
	if (!t)
		goto out_slot;
	t->thread.fpu = fpu_alloc();
	if (!t->thread.fpu)
		goto out_task;
	t->mm = dup_mm(me->mm);
	if (!t->mm)
		goto out_task;
	t->active_mm = t->mm;
	/* Every handle copied, each one more reference to its object: the
	 * child can serve or call what its parent could (docs/ipc.md says why
	 * this and not Zircon's explicit handing). */
	if (handles_fork(t, me)) {
		mmput(t->mm);
		t->mm = NULL;
		goto out_task;
	}
	memcpy(t->comm, me->comm, sizeof(t->comm));

	*task_pt_regs(t) = *regs;
	task_pt_regs(t)->ax = 0;                /* fork returns 0 in the child */
	/* The caller's FPU registers are live (it is a user task running):
	 * no switch may save them elsewhere while they are copied. */
	preempt_disable();
	fpu_save(t->thread.fpu);
	preempt_enable();
	t->thread.sp = arch_fork_init_stack(t);
	t->usage = 2;                           /* its own (the reaper's) and its parent's wait4 */
	task_attach(t, me);
	int pid = t->pid;
	wake_up_process(t);
	return pid;

out_task:
	put_task_struct(t);                     /* frees stack, FPU area and task */
out_slot:
	process_slot_put();
	return err;
}

SYSCALL_DEFINE_REGS(fork, regs)
{
	return do_fork(regs);
}
