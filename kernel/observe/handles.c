/*
 * `handles <pid>`: a process's handle table: each handle's value, slot,
 * object type, rights and the object's state (an endpoint's waiting
 * senders and receivers), then how many kernel objects exist in all.
 */
#include <pagoda/ipc.h>
#include <pagoda/monitor.h>
#include <pagoda/monitor_args.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include "monitor_internal.h"

static int cmd_handles(int argc, char **argv)
{
	(void)argc;
	unsigned long long pid;
	if (mon_arg_num("pid", argv[1], 0, 0x7fffffff, &pid))
		return MON_FAILED;
	struct task_struct *t = find_get_task((int)pid);
	if (!t) {
		printk("%s: no task with pid %llu\n", monitor_current(), pid);
		return MON_FAILED;
	}
	show_handles(t);
	put_task_struct(t);
	return MON_OK;
}
MONITOR_CMD(handles, cmd_handles, "<pid>", "a process's handles: value, type, rights, the object's state");
