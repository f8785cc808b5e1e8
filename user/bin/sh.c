/*
 * sh: the shell on the console. It reads a line (read_line: echo and
 * editing), splits it into words (quotes '...' and "..." keep spaces,
 * $? is the last status), and runs each command of it in turn: `;` ends a
 * command, `&` ends one that runs in the background. A command is a
 * pipeline, `a | b | c`: each stage a process, stdout of one the stdin of
 * the next through a kernel pipe; the shell waits for them all and $? is
 * the last one's. A stage's redirections (`> file`, `>> file`, `< file`,
 * `2> file`) open files on its fds before it runs. A stage is a builtin
 * or a program: a path, or a name looked up in PATH, or /bin then the
 * current directory without one (execvp), started by fork + execve.
 *
 *   sh                the interactive shell ($ prompt); ^D at a line's start ends it
 *   sh -c "command"   run one line and exit with its status
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
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
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGPIPE)    /* a pipeline's writer: quiet, as bash */
		printf("%s%d%s %s (signal %d)\n", background ? "[" : "sh: pid ", pid, background ? "]" : ":",
		       strsignal(WTERMSIG(status)), WTERMSIG(status));
	else if (background)
		printf("[%d] done, status %d\n", pid, WEXITSTATUS(status));
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
	printf("Pagoda sh: run a program by path or by name (PATH, or /bin then the\n"
	       "current directory), with arguments.\n"
	       "  cmd ; cmd       one after the other\n"
	       "  cmd &           in the background ([pid] is printed)\n"
	       "  a | b | c       a pipeline: each stage's output is the next one's input\n"
	       "  > f  >> f  < f  2> f    stdout to f (truncated, appended), stdin from f,\n"
	       "                  stderr to f\n"
	       "  'a b' \"a b\"     one word with spaces; $? is the last status\n"
	       "                  (128 + the signal if a program was killed)\n"
	       "builtins:\n"
	       "  cd [dir]        change the current directory (/ without dir)\n"
	       "  pwd             print it\n"
	       "  wait [pid]      wait for the background programs, or one\n"
	       "  exit [n]        leave the shell (init starts a new one)\n"
	       "  monitor         the kernel monitor on this console; its `exit` comes back\n"
	       "  help            this text\n"
	       "programs in /bin: ls cat cp mv rm mkdir rmdir touch stat wc head df sync cksum\n"
	       "  mount umount poweroff echo sleep kill ps true false hello usertests sh init\n"
	       "editing: backspace, ^U erases the line, ^C abandons it, ^D ends the shell\n");
}

#define MAX_STAGES 8
#define MAX_REDIRS 4

struct redir {
	int fd;                 /* 0, 1 or 2 */
	int flags;              /* open()'s */
	const char *path;
};

struct stage {
	int argc;
	char *argv[MAX_ARGS];
	int nredirs;
	struct redir redirs[MAX_REDIRS];
};

/* Open a stage's files onto its fds. 0, or -1 after saying why. */
static int redirect(const struct stage *st)
{
	for (int i = 0; i < st->nredirs; i++) {
		const struct redir *r = &st->redirs[i];
		int fd = open(r->path, r->flags, 0644);
		if (fd < 0) {
			dprintf(2, "sh: %s: %s\n", r->path, strerror(errno));
			return -1;
		}
		if (fd != r->fd) {
			if (dup2(fd, r->fd) < 0) {
				dprintf(2, "sh: %s: %s\n", r->path, strerror(errno));
				close(fd);
				return -1;
			}
			close(fd);
		}
	}
	return 0;
}

static int builtin_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : (getenv("HOME") ? getenv("HOME") : "/");
	if (chdir(dir) < 0) {
		dprintf(2, "sh: cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	return 0;
}

static int builtin_pwd(void)
{
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd))) {
		dprintf(2, "sh: pwd: %s\n", strerror(errno));
		return 1;
	}
	printf("%s\n", cwd);
	return 0;
}

/* A builtin's status, or -1 if argv names none. */
static int builtin(int argc, char **argv)
{
	if (!strcmp(argv[0], "exit"))
		exit(argc > 1 ? atoi(argv[1]) : last_status);
	if (!strcmp(argv[0], "wait"))
		return builtin_wait(argc, argv);
	if (!strcmp(argv[0], "cd"))
		return builtin_cd(argc, argv);
	if (!strcmp(argv[0], "pwd"))
		return builtin_pwd();
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
	return -1;
}

static int is_builtin(const char *name)
{
	static const char *const names[] = { "exit", "wait", "cd", "pwd", "help", "monitor" };
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

/* A builtin alone runs in the shell (cd must): its redirections are
 * undone after it by the fds saved with dup. */
static int builtin_here(struct stage *st)
{
	int saved[MAX_REDIRS], n = st->nredirs, status = 1;
	for (int i = 0; i < n; i++)
		saved[i] = dup(st->redirs[i].fd);
	if (!redirect(st))
		status = builtin(st->argc, st->argv);
	for (int i = n - 1; i >= 0; i--)
		if (saved[i] >= 0) {
			dup2(saved[i], st->redirs[i].fd);
			close(saved[i]);
		}
	return status;
}

/* In the child: the stage's fds, then its program (or builtin). */
__attribute__((noreturn)) static void stage_exec(struct stage *st, int in, int out, int unused)
{
	if (in != STDIN_FILENO) {
		dup2(in, STDIN_FILENO);
		close(in);
	}
	if (out != STDOUT_FILENO) {
		dup2(out, STDOUT_FILENO);
		close(out);
	}
	if (unused >= 0)
		close(unused);                  /* the next stage's read end */
	if (redirect(st))
		_exit(1);
	if (is_builtin(st->argv[0]))
		_exit(builtin(st->argc, st->argv));
	execvp(st->argv[0], st->argv);
	dprintf(2, "sh: %s: %s\n", st->argv[0], errno == ENOENT ? "command not found" : strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* Run a pipeline of n stages; its status (the last stage's). */
static int pipeline(struct stage *sts, int n, int background)
{
	int pids[MAX_STAGES], started = 0, in = STDIN_FILENO, status = 0;
	if (n == 1 && !background && is_builtin(sts[0].argv[0]))
		return builtin_here(&sts[0]);
	for (int i = 0; i < n; i++) {
		int p[2] = { -1, STDOUT_FILENO };
		if (i < n - 1 && pipe(p) < 0) {
			dprintf(2, "sh: pipe: %s\n", strerror(errno));
			status = 126;
			break;
		}
		int pid = fork();
		if (pid == 0)
			stage_exec(&sts[i], in, p[1], p[0]);
		if (in != STDIN_FILENO)
			close(in);
		if (p[1] != STDOUT_FILENO)
			close(p[1]);
		in = p[0];
		if (pid < 0) {
			dprintf(2, "sh: fork: %s\n", strerror(errno));
			status = 126;
			break;
		}
		pids[started++] = pid;
	}
	if (in >= 0 && in != STDIN_FILENO)
		close(in);
	if (background) {
		if (started)
			printf("[%d]\n", pids[started - 1]);
		return status;
	}
	for (int i = 0; i < started; i++) {
		int st;
		if (waitpid(pids[i], &st, 0) < 0) {
			dprintf(2, "sh: wait: %s\n", strerror(errno));
			st = W_EXITCODE(126, 0);
		}
		report(pids[i], st, 0);
		if (i == started - 1 && status == 0)
			status = shell_status(st);
	}
	return status;
}

/* The operator at p: its length (0: none); *fd and *flags for a redirection. */
static int redir_op(const char *p, int *fd, int *flags)
{
	int n = 0;
	*fd = STDOUT_FILENO;
	if (p[0] == '2' && p[1] == '>') {
		*fd = STDERR_FILENO;
		n = 1;
	}
	if (p[n] == '<' && !n) {
		*fd = STDIN_FILENO;
		*flags = O_RDONLY;
		return 1;
	}
	if (p[n] != '>')
		return 0;
	if (p[n + 1] == '>') {
		*flags = O_WRONLY | O_CREAT | O_APPEND;
		return n + 2;
	}
	*flags = O_WRONLY | O_CREAT | O_TRUNC;
	return n + 1;
}

static int syntax(const char *what)
{
	dprintf(2, "sh: syntax error: %s\n", what);
	return last_status = 2;
}

/*
 * Split and run a line. Words are built in words[] (quotes removed, $?
 * expanded), so the line itself is never written over. A pipeline's
 * stages collect in sts[]; `;`, `&` or the end runs it.
 */
static int execute(const char *line)
{
	static char words[2 * MAX_LINE];
	static struct stage sts[MAX_STAGES];
	int nst = 0;
	size_t w = 0;
	const char *p = line;
	int status = last_status;
	struct redir *pending = NULL;           /* a redirection waiting for its file */

	memset(&sts[0], 0, sizeof(sts[0]));
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		struct stage *st = &sts[nst];
		if (!*p || *p == ';' || *p == '&' || *p == '|') {
			if (pending)
				return syntax("a redirection without a file");
			if (*p == '|') {
				if (!st->argc)
					return syntax("an empty stage before '|'");
				if (nst == MAX_STAGES - 1) {
					dprintf(2, "sh: too many stages (at most %d)\n", MAX_STAGES);
					return last_status = 2;
				}
				st->argv[st->argc] = NULL;
				memset(&sts[++nst], 0, sizeof(sts[0]));
				p++;
				continue;
			}
			int background = *p == '&';
			if (st->argc) {
				st->argv[st->argc] = NULL;
				status = last_status = pipeline(sts, nst + 1, background);
			} else if (nst || st->nredirs) {
				return syntax("a command missing after '|' or a redirection");
			}
			nst = 0;
			memset(&sts[0], 0, sizeof(sts[0]));
			w = 0;
			if (!*p)
				return status;
			p++;
			continue;
		}
		int fd, flags, oplen = pending ? 0 : redir_op(p, &fd, &flags);
		if (oplen) {
			if (st->nredirs == MAX_REDIRS) {
				dprintf(2, "sh: too many redirections (at most %d)\n", MAX_REDIRS);
				return last_status = 2;
			}
			pending = &st->redirs[st->nredirs++];
			*pending = (struct redir){ .fd = fd, .flags = flags };
			p += oplen;
			continue;
		}
		if (!pending && st->argc == MAX_ARGS - 1) {
			dprintf(2, "sh: too many words (at most %d)\n", MAX_ARGS - 1);
			return last_status = 2;
		}
		if (pending) {
			pending->path = &words[w];
			pending = NULL;
		} else {
			st->argv[st->argc++] = &words[w];
		}
		char quote = 0;
		while (*p && (quote || !strchr(" \t;&|<>", *p))) {
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
