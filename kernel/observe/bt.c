/*
 * `bt [pid]`: a symbolized backtrace of the monitor itself (how a command
 * is reached), or of another task: where a sleeping task stopped, walked
 * from the frame pointer saved by its last switch.
 */
#include <pagoda/monitor.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>

static int cmd_bt(int argc, char **argv)
{
	if (argc < 2) {
		dump_stack();
		return 0;
	}
	int pid = 0;
	for (const char *p = argv[1]; *p; p++) {
		if (*p < '0' || *p > '9') {
			printk("bt: '%s' is not a pid\n", argv[1]);
			return 1;
		}
		pid = pid * 10 + (*p - '0');
	}
	struct task_struct *t = find_get_task(pid);
	if (!t) {
		printk("bt: no task with pid %d\n", pid);
		return 1;
	}
	show_task_backtrace(t);
	put_task_struct(t);
	return 0;
}
MONITOR_CMD(bt, cmd_bt, "[pid]", "backtrace of the monitor itself, or where task pid stopped (ps lists them)");
