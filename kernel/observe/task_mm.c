/*
 * The address space of a task named by pid, for the commands that show one
 * (`vmas`, `pt <pid>`): found through find_get_task, held by get_task_mm
 * so that it cannot be freed while the command prints it.
 */
#include <pagoda/monitor_args.h>
#include <pagoda/mm_user.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include "monitor_internal.h"

struct mm_struct *monitor_task_mm(const char *pidarg)
{
	unsigned long long pid;
	if (mon_arg_num("pid", pidarg, 0, 0x7fffffff, &pid))
		return NULL;
	struct task_struct *t = find_get_task((int)pid);
	if (!t) {
		printk("%s: no task with pid %llu\n", monitor_current(), pid);
		return NULL;
	}
	struct mm_struct *mm = get_task_mm(t);
	if (!mm)
		printk("%s: %s/%d has no user address space (a kernel thread)\n", monitor_current(), t->comm,
		       t->pid);
	put_task_struct(t);
	return mm;
}
