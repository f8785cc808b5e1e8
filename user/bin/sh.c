/*
 * sh: the shell on the console. It reads a line (read_line: echo and
 * editing), splits it into words (quotes '...' and "..." keep spaces,
 * $? is the last status), and runs each command of it in turn: `;` ends a
 * command, `&` ends one that runs in the background. A command is a
 * builtin or a program: a path, or a name looked up in /bin, started by
 * fork + execve.
 *
 *   sh                the interactive shell ($ prompt); ^D at a line's start ends it
 *   sh -c "command"   run one line and exit with its status
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 32
#define MAX_LINE 256

static int last_status;

/* The status word as $? shows it: the exit code, or 128 + the signal. */
static int shell_status(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* A killed program is reported as bash does, with the signal's name. */
static void report(int pid, int status, int background)
{
	if (WIFSIGNALED(status))
		printf("%s%d%s %s (signal %d)\n", background ? "[" : "sh: pid ", pid, background ? "]" : ":",
		       strsignal(WTERMSIG(status)), WTERMSIG(status));
	else if (background)
		printf("[%d] done, status %d\n", pid, WEXITSTATUS(status));
}

static int run(char **argv, int background)
{
	char path[MAX_LINE];
	if (strchr(argv[0], '/'))
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
		dprintf(2, "sh: %s: %s\n", argv[0], errno == ENOENT ? "command not found" : strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	if (background) {
		printf("[%d]\n", pid);
		return 0;
	}
	int status;
	if (waitpid(pid, &status, 0) < 0) {
		dprintf(2, "sh: wait: %s\n", strerror(errno));
		return 126;
	}
	report(pid, status, 0);
	return shell_status(status);
}

/* wait: every background child, or the one named; $? is its status. */
static int builtin_wait(int argc, char **argv)
{
	int status, pid;
	if (argc > 1) {
		int want = atoi(argv[1]);
		if (want <= 0 || waitpid(want, &status, 0) < 0) {
			dprintf(2, "sh: wait: %s: %s\n", argv[1], want <= 0 ? "not a pid" : strerror(errno));
			return 127;
		}
		report(want, status, 1);
		return shell_status(status);
	}
	while ((pid = wait(&status)) > 0)
		report(pid, status, 1);
	return 0;
}

static void help(void)
{
	printf("Pagoda sh: run a program by path or by name from /bin, with arguments.\n"
	       "  cmd ; cmd       one after the other\n"
	       "  cmd &           in the background ([pid] is printed)\n"
	       "  'a b' \"a b\"     one word with spaces; $? is the last status\n"
	       "                  (128 + the signal if a program was killed)\n"
	       "builtins:\n"
	       "  wait [pid]      wait for the background programs, or one\n"
	       "  exit [n]        leave the shell (init starts a new one)\n"
	       "  monitor         the kernel monitor on this console; its `exit` comes back\n"
	       "  help            this text\n"
	       "programs in /bin: echo sleep kill ps true false hello usertests sh init\n"
	       "editing: backspace, ^U erases the line, ^C abandons it, ^D ends the shell\n");
}

/* One command's words; returns its status. */
static int command(int argc, char **argv, int background)
{
	if (!strcmp(argv[0], "exit"))
		exit(argc > 1 ? atoi(argv[1]) : last_status);
	if (!strcmp(argv[0], "wait"))
		return builtin_wait(argc, argv);
	if (!strcmp(argv[0], "help")) {
		help();
		return 0;
	}
	if (!strcmp(argv[0], "monitor")) {
		if (monitor() < 0) {
			dprintf(2, "sh: monitor: %s\n", strerror(errno));
			return 1;
		}
		return 0;
	}
	return run(argv, background);
}

/*
 * Split and run a line. Words are built in words[] (quotes removed, $?
 * expanded), so the line itself is never written over.
 */
static int execute(const char *line)
{
	static char words[2 * MAX_LINE];
	char *argv[MAX_ARGS];
	int argc = 0;
	size_t w = 0;
	const char *p = line;
	int status = last_status;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == ';' || *p == '&') {
			int background = *p == '&';
			if (argc) {
				argv[argc] = NULL;
				status = last_status = command(argc, argv, background);
			}
			argc = 0;
			w = 0;
			if (!*p)
				return status;
			p++;
			continue;
		}
		if (argc == MAX_ARGS - 1) {
			dprintf(2, "sh: too many words (at most %d)\n", MAX_ARGS - 1);
			return last_status = 2;
		}
		argv[argc++] = &words[w];
		char quote = 0;
		while (*p && (quote || (*p != ' ' && *p != '\t' && *p != ';' && *p != '&'))) {
			if (w + 12 >= sizeof(words)) {
				dprintf(2, "sh: line too long\n");
				return last_status = 2;
			}
			if (quote && *p == quote) {
				quote = 0;
				p++;
			} else if (!quote && (*p == '\'' || *p == '"')) {
				quote = *p++;
			} else if (quote != '\'' && p[0] == '$' && p[1] == '?') {
				w += snprintf(&words[w], 12, "%d", last_status);
				p += 2;
			} else {
				words[w++] = *p++;
			}
		}
		if (quote) {
			dprintf(2, "sh: unterminated %c quote\n", quote);
			return last_status = 2;
		}
		words[w++] = '\0';
	}
}

int main(int argc, char **argv)
{
	char line[MAX_LINE];
	if (argc == 3 && !strcmp(argv[1], "-c"))
		return execute(argv[2]);
	if (argc != 1) {
		dprintf(2, "usage: sh [-c \"command\"]\n");
		return 2;
	}
	printf("Pagoda shell: 'help' lists what it does, 'monitor' opens the kernel monitor.\n");
	for (;;) {
		printf("$ ");
		errno = 0;
		if (read_line(line, sizeof(line)) < 0) {
			if (errno) {
				dprintf(2, "sh: console: %s\n", strerror(errno));
				return 2;
			}
			printf("exit\n");
			return last_status;
		}
		execute(line);
	}
}
