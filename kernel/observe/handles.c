/*
 * `handles <pid>`: a process's handle table: each handle's value, slot,
 * object type, rights and the object's state (an endpoint's waiting
 * senders and receivers; the path a mounted endpoint serves), then how
 * many kernel objects exist in all.
 */
#include <pagoda/ipc.h>
#include <pagoda/monitor.h>
#include <pagoda/mount.h>
#include <pagoda/monitor_args.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include "monitor_internal.h"

static void show_one(const struct handle_view *v, void *arg)
{
	(void)arg;
	char mnt[MOUNT_PATH_MAX] = "";
	bool mounted = mount_path_of(v->obj, mnt, sizeof(mnt));
	printk("  %8d  slot %2d  %-12s %s  refs %d  %s%s%s\n", v->value, v->slot, v->type, v->rights,
	       v->refcount, v->state, mounted ? "; mounted at " : "", mnt);
}

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
	printk("%s/%d: handles (rights: s send, r receive, d duplicate, t transfer, R read, W write; L lent)\n",
	       t->comm, t->pid);
	int n = handles_for_each(t, show_one, NULL);
	printk("  %d of %d slots used; %u kernel objects alive in all\n", n, HANDLE_MAX, nr_kobjs());
	put_task_struct(t);
	return MON_OK;
}
MONITOR_CMD(handles, cmd_handles, "<pid>", "a process's handles: value, type, rights, the object's state");
