/*
 * init: the first process (pid 1). Starts the shell on the console, reaps
 * every orphan the kernel hands it, and starts the shell again when it ends.
 * The servers of issue #15 will be started here too. It says what it does:
 * the console is where a student sees the system come up.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *const sh_argv[] = { "sh", NULL };
static char *const sh_envp[] = { "PATH=/bin", NULL };

static int start_shell(void)
{
	int pid = fork();
	if (pid == 0) {
		execve("/bin/sh", sh_argv, sh_envp);
		dprintf(2, "init: cannot run /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		dprintf(2, "init: fork: %s\n", strerror(errno));
	else
		printf("init: started /bin/sh, pid %d\n", pid);
	return pid;
}

int main(void)
{
	printf("init: Pagoda user space, pid %d\n", getpid());
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
