/* usertests, suite ulimit: limits and leaks. */
#include "utest.h"

#define BOMB_MAX 4096

/* Fork until the process limit says EAGAIN; kill and reap them all; the
 * machine is usable after it, and fork works again. */
static void fork_bomb_bounded(struct utest *t)
{
	static int pids[BOMB_MAX];
	int n = 0, err = 0;
	while (n < BOMB_MAX) {
		int pid = fork();
		if (pid == 0)
			for (;;)
				sleep(1000);
		if (pid < 0) {
			err = errno;
			break;
		}
		pids[n++] = pid;
	}
	EXPECT_EQ(t, err, EAGAIN);
	struct sysinfo si;
	EXPECT_EQ(t, sysinfo(&si), 0);
	EXPECT_TRUE(t, si.nr_procs <= si.max_procs);
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	int reaped = 0, status;
	for (int i = 0; i < n; i++)
		reaped += waitpid(pids[i], &status, 0) == pids[i] && WTERMSIG(status) == SIGKILL;
	EXPECT_EQ(t, reaped, n);
	printf("    # %s: %d processes forked before EAGAIN\n", t->name, n);
	int pid = fork();
	if (pid == 0)
		_exit(9);
	EXPECT_TRUE(t, pid > 0);
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, WEXITSTATUS(status), 9);
}

/* A storm of fork, touch, COW, exec and exit gives every page back. */
static void no_page_leak(struct utest *t)
{
	struct sysinfo si;
	char *p = map(16, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, p != NULL);
	memset(p, 1, 16 * PAGE);
	ASSERT_TRUE(t, sysinfo(&si) == 0);
	unsigned long long before = free_pages_settled(si.free_pages);
	for (int round = 0; round < 20; round++) {
		int pid = fork();
		if (pid == 0) {
			memset(p, 2, 8 * PAGE);                 /* COW copies */
			char *q = map(32, PROT_READ | PROT_WRITE);
			for (int i = 0; q && i < 32; i++)
				q[i * PAGE] = 1;                /* demand-paged */
			if (round % 2)
				execve("/bin/true", true_argv, no_env);
			if (round % 3 == 0)
				*(volatile int *)0 = 0;         /* and a fault */
			_exit(0);
		}
		int status;
		waitpid(pid, &status, 0);
	}
	unsigned long long after = free_pages_settled(before);
	if (after < before)
		printf("    # %s: %llu pages missing after the storm\n", t->name, before - after);
	EXPECT_TRUE(t, after >= before);
	munmap(p, 16 * PAGE);
}

/* One child per CPU, all spinning in user mode at once: the parent, which
 * sleeps between looks, must see them on every CPU in one proc_stat
 * snapshot (new tasks go to the least loaded CPU, and a CPU left idle takes
 * a waiting one: idle balancing). Bounded by a number of looks, never by
 * time; then the children are killed and reaped. */
static void every_cpu_at_once(struct utest *t)
{
	struct sysinfo si;
	ASSERT_TRUE(t, sysinfo(&si) == 0);
	unsigned int n = si.nr_cpus;
	if (n > 32)
		n = 32;
	int parent = getpid(), pids[32];
	for (unsigned int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			for (;;)
				__asm__ volatile("pause");
		ASSERT_TRUE(t, pids[i] > 0);
	}
	unsigned int best = 0;
	for (long looks = 0; looks < 20000; looks++) {
		unsigned int seen = 0;
		struct proc_stat st;
		for (int pid = 2; proc_stat(pid, &st, PROC_STAT_NEXT) > 0; pid = st.pid + 1)
			if (st.ppid == parent && st.state == 'R' && st.cpu >= 0 && st.cpu < 32)
				seen |= 1u << st.cpu;
		if (__builtin_popcount(seen) > __builtin_popcount(best))
			best = seen;
		if ((unsigned int)__builtin_popcount(seen) == n)
			break;
		usleep(1000);
	}
	if ((unsigned int)__builtin_popcount(best) != n) {
		struct proc_stat st;
		for (int pid = 1; proc_stat(pid, &st, PROC_STAT_NEXT) > 0; pid = st.pid + 1)
			printf("    # %s: pid %d ppid %d %c cpu %d %s\n", t->name, st.pid, st.ppid, st.state,
			       st.cpu, st.comm);
	}
	for (unsigned int i = 0; i < n; i++) {
		int status;
		EXPECT_EQ(t, kill(pids[i], SIGKILL), 0);
		EXPECT_EQ(t, waitpid(pids[i], &status, 0), pids[i]);
		EXPECT_TRUE(t, WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
	printf("    # %s: %u CPUs, children seen at once on CPU mask %#x\n", t->name, n, best);
	EXPECT_EQ(t, (unsigned int)__builtin_popcount(best), n);
}

const struct ucase limit_cases[] = {
	{ "fork_bomb_bounded", fork_bomb_bounded },
	{ "no_page_leak", no_page_leak },
	{ "every_cpu_at_once", every_cpu_at_once },
	{ NULL, NULL },
};
