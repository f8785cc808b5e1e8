/* usertests, suite uproc: processes: fork, exec, exit, wait, kill. */
#include "utest.h"

static void exit_statuses(struct utest *t)
{
	int pid = fork(), status;
	if (pid == 0)
		_exit(42);
	ASSERT_TRUE(t, pid > 0);
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(t, WIFEXITED(status));
	EXPECT_EQ(t, WEXITSTATUS(status), 42);
	if ((pid = fork()) == 0)
		_exit(0x1ff);                   /* only the low 8 bits reach the parent */
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, WEXITSTATUS(status), 0xff);
	if ((pid = fork()) == 0)
		exit(7);                        /* through atexit and main's path */
	EXPECT_EQ(t, wait(&status), pid);
	EXPECT_EQ(t, status, W_EXITCODE(7, 0));
}

static void fork_copies_memory(struct utest *t)
{
	static int shared_looking = 1;
	int local = 2;
	int parent = getpid();
	int pid = fork();
	if (pid == 0) {
		int ok = getppid() == parent && getpid() != parent && shared_looking == 1 && local == 2;
		shared_looking = 100;
		local = 200;
		_exit(ok ? 0 : 1);
	}
	int status;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, status, 0);
	EXPECT_EQ(t, shared_looking, 1);
	EXPECT_EQ(t, local, 2);
}

static void wnohang_and_kill(struct utest *t)
{
	int pid = fork(), status = -1;
	if (pid == 0)
		for (;;)
			sched_yield();
	ASSERT_TRUE(t, pid > 0);
	EXPECT_EQ(t, waitpid(pid, &status, WNOHANG), 0);
	EXPECT_EQ(t, kill(pid, 0), 0);
	EXPECT_EQ(t, kill(pid, SIGKILL), 0);
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(t, WIFSIGNALED(status));
	EXPECT_EQ(t, WTERMSIG(status), SIGKILL);
	EXPECT_EQ(t, kill(pid, 0), -1);
	EXPECT_EQ(t, errno, ESRCH);
}

/* A child asleep in debug_read (no one types) is woken by kill. */
static void kill_interrupts_debug_read(struct utest *t)
{
	int pid = fork(), status;
	if (pid == 0) {
		char c;
		debug_read(&c, 1);
		_exit(errno == EINTR ? 50 : 51);
	}
	ASSERT_TRUE(t, pid > 0);
	EXPECT_TRUE(t, until_sleeping(pid, 10000));     /* it sleeps in the call */
	EXPECT_EQ(t, kill(pid, SIGTERM), 0);
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, WTERMSIG(status), SIGTERM);
}

static void kill_errors(struct utest *t)
{
	EXPECT_EQ(t, syscall2(__NR_kill, 0x7ffffff0, SIGTERM), -ESRCH);
	EXPECT_EQ(t, syscall2(__NR_kill, getpid(), 99), -EINVAL);
	EXPECT_EQ(t, syscall2(__NR_kill, getpid(), -1), -EINVAL);
	int pid = fork(), status;
	if (pid == 0)
		_exit((int)-syscall2(__NR_kill, 1, SIGKILL));
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, WEXITSTATUS(status), EPERM);
}

static void wait_errors(struct utest *t)
{
	EXPECT_EQ(t, syscall4(__NR_wait4, -1, NULL, 0, NULL), -ECHILD);
	EXPECT_EQ(t, syscall4(__NR_wait4, -1, NULL, WNOHANG, NULL), -ECHILD);
	EXPECT_EQ(t, syscall4(__NR_wait4, 1, NULL, 0, NULL), -ECHILD);        /* not our child, or us */
	EXPECT_EQ(t, syscall4(__NR_wait4, -1, NULL, 0x100, NULL), -EINVAL);
	int st;
	EXPECT_EQ(t, syscall4(__NR_wait4, -1, &st, 0, &st), -EINVAL);
}

/* A child whose parent ends goes to init (pid 1), which reaps it. */
static void orphan_goes_to_init(struct utest *t)
{
	int pid = fork(), status;
	if (pid == 0) {
		int parent = getpid();
		int gpid = fork();
		if (gpid == 0) {
			for (int i = 0; i < 100000 && getppid() == parent; i++)
				sched_yield();
			for (int i = 0; i < 20000; i++)     /* time for a look at it */
				sched_yield();
			_exit(getppid() == 1 ? 7 : 8);
		}
		_exit(gpid > 0 ? 0 : 1);
	}
	ASSERT_TRUE(t, pid > 0);
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, status, 0);
	if (getpid() == 1) {                    /* we are init: the orphan is ours */
		int gpid = wait(&status);
		EXPECT_TRUE(t, gpid > pid);
		EXPECT_EQ(t, WEXITSTATUS(status), 7);
		return;
	}
	/* Else it is init's: see it there while it lingers. */
	struct proc_stat st;
	int seen = 0;
	for (int i = 0; i < 20000 && !seen; i++) {
		for (int q = pid + 1; proc_stat(q, &st, PROC_STAT_NEXT) > 0; q = st.pid + 1)
			if (st.ppid == 1 && !strcmp(st.comm, "usertests"))
				seen = 1;
		sched_yield();
	}
	EXPECT_TRUE(t, seen);
}

static void exec_statuses(struct utest *t)
{
	char *f_argv[] = { "false", NULL };
	int pid = fork(), status;
	if (pid == 0) {
		execve("/bin/false", f_argv, no_env);
		_exit(100);
	}
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, status, W_EXITCODE(1, 0));
	EXPECT_EQ(t, exec_in_child("/bin/nonexistent", true_argv, no_env), -ENOENT);
	EXPECT_EQ(t, exec_in_child("/bin", true_argv, no_env) < 0, 1);
	EXPECT_EQ(t, exec_in_child("/bin/true", true_argv, no_env), 0);
}

/* argv and envp reach the new program: it exits with a checksum of them. */
static void exec_passes_argv_envp(struct utest *t)
{
	char *argv[] = { "usertests", "--argv-sum", "abc", "de", "", "f", NULL };
	char *envp[] = { "X=1", "LONGER=value", NULL };
	int pid = fork(), status;
	if (pid == 0) {
		execve("/bin/usertests", argv, envp);
		_exit(200);
	}
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	/* argc 6; strings 3+2+0+1 = 6 bytes; envc 2: 6*10 + 6 + 2*50 */
	EXPECT_EQ(t, WEXITSTATUS(status), 6 * 10 + 6 + 2 * 50);
}

/* exec replaces the address space: memory mapped before is gone. */
static void exec_after_mmap(struct utest *t)
{
	int pid = fork(), status;
	if (pid == 0) {
		char *p = map(256, PROT_READ | PROT_WRITE);
		for (int i = 0; p && i < 256; i++)
			p[i * PAGE] = 1;
		execve("/bin/true", true_argv, no_env);
		_exit(100);
	}
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, status, 0);
}

const struct ucase proc_cases[] = {
	{ "exit_statuses", exit_statuses },
	{ "fork_copies_memory", fork_copies_memory },
	{ "wnohang_and_kill", wnohang_and_kill },
	{ "kill_interrupts_debug_read", kill_interrupts_debug_read },
	{ "kill_errors", kill_errors },
	{ "wait_errors", wait_errors },
	{ "orphan_goes_to_init", orphan_goes_to_init },
	{ "exec_statuses", exec_statuses },
	{ "exec_passes_argv_envp", exec_passes_argv_envp },
	{ "exec_after_mmap", exec_after_mmap },
	{ NULL, NULL },
};
