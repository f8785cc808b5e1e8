/*
 * init: the first process (pid 1). It starts the servers (service.c: the
 * console server always, the user-space disk driver when the kernel says
 * blk=user, and any given with --service), then the shell with its client
 * handles; it reaps every orphan the kernel hands it, restarts a server
 * that dies and starts the shell again when it ends. It says what it
 * does: the console is where a student sees the system come up.
 *
 *   init [--service PATH]... [--backoff-ms N] [--cache-kb K] [--cache-chunk-kb C] [--run PROGRAM ARGS...]
 *     --service PATH   also supervise PATH (a test's t_crashy)
 *     --backoff-ms N   the first restart pause (default 125 ms)
 *     --cache-kb K     each boot mount's ext2d gets a K KiB block cache
 *     --cache-chunk-kb C   ... made of C KiB memory objects (ext2d's test knob)
 *     --run ...        run PROGRAM (with the shell's handles) instead of
 *                      the shell, once, and end with its status: the
 *                      kernel then powers off (a test or a bench boots
 *                      the whole user space, servers and all, this way)
 *
 * init's own output goes to the kernel console (it has no "console"
 * handle): it must be heard while consd is down.
 */
#include <errno.h>
#include <pagoda_blk.h>
#include <pagoda_handles.h>
#include <pagoda_ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>
#include "init.h"

static struct service services[SERVICES_MAX] = {
	{ .name = "consd", .path = "/bin/consd", .client = "console" },
};
static int nservices = 1;
static int devroot = -1, blk0 = -1;

struct service *service_add(const char *path, const char *client, int needs_devroot)
{
	if (nservices == SERVICES_MAX) {
		dprintf(2, "init: too many services, %s left out\n", path);
		return NULL;
	}
	const char *base = strrchr(path, '/');
	services[nservices] = (struct service){ .name = base ? base + 1 : path, .path = path,
						.client = client ? client : (base ? base + 1 : path),
						.devroot = needs_devroot };
	return &services[nservices++];
}

struct service *service_by_name(const char *name)
{
	for (int i = 0; i < nservices; i++)
		if (!strcmp(services[i].name, name))
			return &services[i];
	return NULL;
}

static void start_services(void)
{
	const char *blk = getenv("blk");
	if (blk && !strcmp(blk, "user"))
		service_add("/bin/ahcid", "blk0", 1);
	int user_blk = blk && !strcmp(blk, "user");
	/* One ext2d per disk; with blk=user, on ahcid's endpoint (made below,
	 * so mount.c finds it through the service). */
	boot_mounts_add(devroot, user_blk);
	for (int i = 0; i < nservices; i++)
		if (!services[i].once)  /* the mounts: one at a time, below */
			service_create(&services[i], devroot);
	boot_mounts_wait(devroot);
	if (user_blk)
		return;
	/* blk=kernel (or nothing said): the kernel serves the first disk. */
	if (devroot > 0) {
		blk0 = blkdev_open(devroot, 0);
		if (blk0 < 0)
			printf("init: no blk0 for the shell: blkdev_open: %s\n", strerror(errno));
		init_handle_add(blk0);
	}
}

static char *const sh_argv[] = { "sh", NULL };
static char **run_argv;                 /* --run: instead of the shell */

static __attribute__((noreturn)) void shell_exec(void)
{
	struct handle_name names[SERVICES_MAX + 1 + MOUNTS_MAX];
	int keep[SERVICES_MAX + 1 + MOUNTS_MAX] = { 0 }, n = 0;
	/* Every server's client handle, the mounts' too ("sda": the raw
	 * protocol's way to a file system; the fd layer finds it by path). */
	for (int i = 0; i < nservices; i++)
		if (services[i].ep > 0 && services[i].client_h > 0) {
			keep[n] = services[i].client_h;
			names[n++] = (struct handle_name){ services[i].client, services[i].client_h };
		}
	if (blk0 > 0) {
		keep[n] = blk0;
		names[n++] = (struct handle_name){ "blk0", blk0 };
	}
	n += boot_mounts_disks(names + n, keep + n);
	init_handles_keep(keep, n);
	static char handles[384];
	char *envp[] = { "PATH=/bin", handles, NULL };
	if (!n || handles_format(handles, sizeof(handles), names, n) < 0)
		envp[1] = NULL;
	char *const *argv = run_argv ? run_argv : sh_argv;
	const char *path = run_argv ? run_argv[0] : "/bin/sh";
	/* Said here, not by the parent: the program's first line comes after
	 * it, never inside it (init waits silently from now on). */
	printf("init: started %s, pid %d\n", path, getpid());
	execve(path, argv, envp);
	dprintf(2, "init: cannot run %s: %s\n", path, strerror(errno));
	_exit(127);
}

static int start_shell(void)
{
	int pid = fork();
	if (pid == 0)
		shell_exec();
	if (pid < 0)
		dprintf(2, "init: fork: %s\n", strerror(errno));
	return pid;
}

static struct service *service_of(int pid)
{
	for (int i = 0; i < nservices; i++)
		if (services[i].pid == pid)
			return &services[i];
	return NULL;
}

int main(int argc, char **argv)
{
	printf("init: Pagoda user space, pid %d\n", getpid());
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--service") && i + 1 < argc) {
			service_add(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--backoff-ms") && i + 1 < argc) {
			long ms = strtol(argv[++i], NULL, 10);
			if (ms > 0 && ms <= 10000)
				backoff_first_ms = ms;
			else
				dprintf(2, "init: --backoff-ms %s: not 1-10000; keeping %ld\n", argv[i], backoff_first_ms);
		} else if (!strcmp(argv[i], "--cache-kb") && i + 1 < argc) {
			boot_mount_cache_kb = argv[++i];
		} else if (!strcmp(argv[i], "--cache-chunk-kb") && i + 1 < argc) {
			boot_mount_chunk_kb = argv[++i];
		} else if (!strcmp(argv[i], "--run") && i + 1 < argc) {
			run_argv = &argv[i + 1];
			break;
		} else {
			dprintf(2, "init: unknown argument '%s' ignored "
				"(init [--service PATH]... [--backoff-ms N] [--cache-kb K] [--cache-chunk-kb C] [--run PROGRAM ARGS...])\n", argv[i]);
		}
	}
	devroot = handle_named("devroot");
	init_handle_add(devroot);
	start_services();
	int sh = start_shell();
	if (sh < 0)
		return 1;
	for (;;) {
		int status;
		int pid = wait(&status);
		if (pid < 0) {
			dprintf(2, "init: wait: %s\n", strerror(errno));
			return 1;
		}
		struct service *s = service_of(pid);
		if (s) {
			service_died(s, status, devroot);
			continue;
		}
		if (pid == sh && run_argv) {
			printf("init: %s ended (%s %d); powering off\n", run_argv[0],
			       WIFSIGNALED(status) ? "signal" : "status",
			       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			umount_all("init");     /* the images it wrote stay clean for e2fsck */
			return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
		}
		if (pid != sh) {
			printf("init: reaped orphan %d (%s %d)\n", pid,
			       WIFSIGNALED(status) ? "signal" : "status",
			       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			continue;
		}
		if (WIFSIGNALED(status))
			printf("init: the shell was killed: %s; starting it again\n", strsignal(WTERMSIG(status)));
		else
			printf("init: the shell exited with status %d; starting it again\n", WEXITSTATUS(status));
		/* A shell that cannot even start would be restarted in a tight
		 * loop: give the console a second between attempts. */
		if (!WIFSIGNALED(status) && WEXITSTATUS(status) >= 126)
			sleep(1);
		if ((sh = start_shell()) < 0)
			return 1;
	}
}
