/*
 * `vmas <pid>`: a process's VMAs, like Linux's /proc/PID/maps: the range,
 * the permissions (p: private), the size, how much of it is resident, the
 * name ([heap], [stack] ...); then the totals and fault counts.
 */
#include <pagoda/monitor.h>
#include <pagoda/mm_user.h>
#include "monitor_internal.h"

static int cmd_vmas(int argc, char **argv)
{
	(void)argc;
	struct mm_struct *mm = monitor_task_mm(argv[1]);
	if (!mm)
		return MON_FAILED;
	mutex_lock(&mm->mmap_lock);
	show_vmas(mm);
	mutex_unlock(&mm->mmap_lock);
	mmput(mm);
	return MON_OK;
}
MONITOR_CMD(vmas, cmd_vmas, "<pid|name>", "a process's VMAs like /proc/PID/maps: range, perms, size, resident, name");
