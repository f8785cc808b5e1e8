/*
 * Processes from the monitor: `run` starts a program from the initramfs as
 * a child of the monitor's task and waits for it (spawn_program, as
 * Linux's call_usermodehelper), then prints how it ended; with a last
 * argument `&` it leaves the program running, so that `vmas`, `vmmap`,
 * `pmap` and `pt` can look at a live address space; `kill` ends one.
 * `ps` (sched.c) lists them with their memory counters.
 */
#include <pagoda/errno.h>
#include <pagoda/monitor.h>
#include <pagoda/monitor_args.h>
#include <pagoda/printk.h>
#include <pagoda/process.h>
#include <pagoda/sched.h>
#include <pagoda/signal.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>

/*
 * Wait (at most about 10 s) until process pid first sleeps, or has ended:
 * a program that sets its memory up and then sleeps or reads is then done
 * setting it up. True if it sleeps.
 */
static bool wait_first_sleep(int pid)
{
	for (int i = 0; i < 1000; i++) {
		struct task_struct *t = find_get_task(pid);
		if (!t)
			return false;
		bool asleep = t->state == TASK_INTERRUPTIBLE, ended = t->exit_state || t->state == TASK_DEAD;
		put_task_struct(t);
		if (asleep || ended)
			return asleep;
		msleep(10);
	}
	return false;
}

static int cmd_run(int argc, char **argv)
{
	char path[64];
	bool background = argc > 2 && !strcmp(argv[argc - 1], "&");
	if (background)
		argc--;
	if (argv[1][0] == '/')
		strlcpy(path, argv[1], sizeof(path));
	else
		snprintf(path, sizeof(path), "/bin/%s", argv[1]);
	const char *args[16] = { path };
	for (int i = 2; i < argc && i < 16; i++)
		args[i - 1] = argv[i];
	int pid = spawn_program(path, args);
	if (pid < 0) {
		printk("run: cannot run %s: %s\n", path, errname(pid));
		return MON_FAILED;
	}
	if (background) {
		printk("run: %s (pid %d) %s in the background\n", path, pid,
		       wait_first_sleep(pid) ? "sleeping" : "still running");
		return MON_OK;
	}
	int status;
	long ret = kernel_wait4(pid, &status, 0);
	if (ret < 0) {
		printk("run: wait for pid %d: %s\n", pid, errname((int)ret));
		return MON_FAILED;
	}
	char buf[48];
	printk("run: %s (pid %d) ended: %s (status %#x)\n", path, pid, wait_status_str(status, buf, sizeof(buf)),
	       status);
	return MON_OK;
}
MONITOR_CMD(run, cmd_run, "<program> [arg] [arg] [arg]",
	    "start a program from the initramfs (name: /bin/name), wait for it, print its exit status; a last argument & leaves it running (once it sleeps)");

static int cmd_kill(int argc, char **argv)
{
	unsigned long long pid, sig = SIGKILL;
	if (mon_arg_num("pid", argv[1], 1, 1u << 30, &pid))
		return MON_USAGE;
	if (argc > 2 && mon_arg_num("signal", argv[2], 1, NSIG - 1, &sig))
		return MON_USAGE;
	struct task_struct *p = find_get_task((int)pid);
	if (!p || !(p->flags & PF_PROCESS)) {
		printk("kill: no process %llu%s\n", pid, p ? " (a kernel thread)" : "");
		if (p)
			put_task_struct(p);
		return MON_FAILED;
	}
	int ret = MON_OK;
	char sb[16];
	if (p == &init_task) {
		printk("kill: pid 1 (init) cannot be killed\n");
		ret = MON_FAILED;
	} else if (p->exit_state == EXIT_ZOMBIE) {
		printk("kill: pid %llu is a zombie already (its parent has not waited)\n", pid);
	} else {
		send_fatal_sig(p, (int)sig);
		printk("kill: %s sent to %s/%llu\n", signal_name((int)sig, sb, sizeof(sb)), p->comm, pid);
	}
	put_task_struct(p);
	return ret;
}
MONITOR_CMD(kill, cmd_kill, "<pid> [signal]", "end a process with a signal (default 9, SIGKILL): it dies on its way back to user mode");
