/*
 * The address space of a task named by pid (or by its program's name: the
 * newest process of that name), for the commands that show one (`vmas`,
 * `pt <pid>`, `vmmap`, `pmap`): found through find_get_task, held by
 * get_task_mm so that it cannot be freed while the command prints it.
 */
#include <pagoda/monitor_args.h>
#include <pagoda/mm_user.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <pagoda/string.h>
#include "monitor_internal.h"

struct by_name {
	const char *name;
	int pid;
};

static void match_name(struct task_struct *t, void *arg)
{
	struct by_name *b = arg;
	if ((t->flags & PF_PROCESS) && !strcmp(t->comm, b->name) && t->pid > b->pid)
		b->pid = t->pid;
}

struct mm_struct *monitor_task_mm_comm(const char *pidarg, char *comm, int *pidp)
{
	unsigned long long pid;
	if (pidarg[0] < '0' || pidarg[0] > '9') {
		/* A name: a script needs no pid (moncmd=run+t_vmmap+&,vmmap+t_vmmap). */
		struct by_name b = { pidarg, 0 };
		for_each_task(match_name, &b);
		if (!b.pid) {
			printk("%s: no process named %s\n", monitor_current(), pidarg);
			return NULL;
		}
		pid = (unsigned long long)b.pid;
	} else if (mon_arg_num("pid", pidarg, 0, 0x7fffffff, &pid)) {
		return NULL;
	}
	struct task_struct *t = find_get_task((int)pid);
	if (!t) {
		printk("%s: no task with pid %llu\n", monitor_current(), pid);
		return NULL;
	}
	struct mm_struct *mm = get_task_mm(t);
	if (comm)
		strlcpy(comm, t->comm, TASK_COMM_LEN);
	if (pidp)
		*pidp = t->pid;
	if (!mm)
		printk("%s: %s/%d has no user address space (a kernel thread)\n", monitor_current(), t->comm,
		       t->pid);
	put_task_struct(t);
	return mm;
}

struct mm_struct *monitor_task_mm(const char *pidarg)
{
	return monitor_task_mm_comm(pidarg, NULL, NULL);
}
