/*
 * sh: the shell, a skeleton. It splits a command line into words and runs
 * it: the builtins exit and wait, or a program from /bin by fork + execve,
 * in the background with a trailing '&'; $? is the last exit status.
 * Until the console server exists (issue #15) there is no input to read,
 * so for now it runs the one command given with -c:  sh -c "echo hi".
 */
#include <errno.h>
#include <pagoda_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 32
#define MAX_LINE 256

static int last_status;

/* The status word as the shell's $? shows it: the exit code, or 128 + the signal. */
static int shell_status(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static int run(char **argv, int background)
{
	char path[MAX_LINE];
	if (argv[0][0] == '/')
		strlcpy(path, argv[0], sizeof(path));
	else
		snprintf(path, sizeof(path), "/bin/%s", argv[0]);
	int pid = fork();
	if (pid < 0) {
		dprintf(2, "sh: fork: %s\n", strerror(errno));
		return 126;
	}
	if (pid == 0) {
		execve(path, argv, environ);
		dprintf(2, "sh: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (background) {
		printf("[%d]\n", pid);
		return 0;
	}
	int status;
	if (waitpid(pid, &status, 0) < 0)
		return 126;
	return shell_status(status);
}

/* One command line; returns its status ($?). */
static int execute(char *line)
{
	char *argv[MAX_ARGS];
	int argc = split_words(line, argv, MAX_ARGS - 1);
	argv[argc] = NULL;
	if (!argc)
		return last_status;
	int background = 0;
	if (!strcmp(argv[argc - 1], "&")) {
		background = 1;
		argv[--argc] = NULL;
		if (!argc)
			return last_status;
	}
	if (!strcmp(argv[0], "exit"))
		exit(argc > 1 ? atoi(argv[1]) : last_status);
	if (!strcmp(argv[0], "wait")) {
		int status, pid;
		while ((pid = wait(&status)) > 0)
			printf("[%d] done, status %d\n", pid, shell_status(status));
		return 0;
	}
	if (!strcmp(argv[0], "$?")) {
		printf("%d\n", last_status);
		return 0;
	}
	return run(argv, background);
}

int main(int argc, char **argv)
{
	char line[MAX_LINE];
	if (argc == 3 && !strcmp(argv[1], "-c")) {
		strlcpy(line, argv[2], sizeof(line));
		last_status = execute(line);
		return last_status;
	}
	dprintf(2, "sh: no console input yet (issue #15): use sh -c \"command\"\n");
	return 2;
}
