/* Helpers shared by the suites (declared in utest.h). */
#include "utest.h"

/* Run fn in a child; the status word of its end (or -1 if fork failed). */
int in_child(void (*fn)(void))
{
	int pid = fork();
	if (pid == 0) {
		fn();
		_exit(0);
	}
	if (pid < 0)
		return -1;
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

void *map(size_t pages, int prot)
{
	void *p = mmap(NULL, pages * PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* A page that is certainly not mapped: mapped, then unmapped. */
void *hole(void)
{
	void *p = map(1, PROT_READ | PROT_WRITE);
	if (p)
		munmap(p, PAGE);
	return p;
}

struct proc_stat self_stat(void)
{
	struct proc_stat st = { 0 };
	proc_stat(0, &st, 0);
	return st;
}

unsigned long xorshift(unsigned long *state)
{
	unsigned long x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

bool until_sleeping(int pid, int looks)
{
	for (int i = 0; i < looks; i++) {
		struct proc_stat st;
		if (proc_stat(pid, &st, 0) == pid && st.state == 'S')
			return true;
		sched_yield();
	}
	return false;
}

/* The process's free pages once the kernel has settled; the smallest of a
 * few readings, so a page the reaper has not yet given back is waited for
 * by asking again, never by time. */
unsigned long long free_pages_settled(unsigned long long want)
{
	struct sysinfo si;
	unsigned long long best = 0;
	for (int i = 0; i < 200; i++) {
		if (sysinfo(&si))
			return 0;
		if (si.free_pages > best)
			best = si.free_pages;
		if (best >= want)
			break;
		sched_yield();
	}
	return best;
}

void leak_mark(struct leak_mark *m)
{
	struct sysinfo si;
	*m = (struct leak_mark){ 0 };
	if (sysinfo(&si))
		return;
	m->kobjs = si.nr_kobjs;
	m->pages = free_pages_settled(si.free_pages);
}

void expect_no_leak(struct utest *t, const struct leak_mark *m)
{
	unsigned long long after = free_pages_settled(m->pages);
	if (after < m->pages)
		printf("    # %s: %llu pages missing\n", t->name, m->pages - after);
	EXPECT_TRUE(t, m->pages && after >= m->pages);
	struct sysinfo si;
	EXPECT_EQ(t, sysinfo(&si), 0);
	if (si.nr_kobjs != m->kobjs)
		printf("    # %s: %u kernel objects alive, %u before\n", t->name, si.nr_kobjs, m->kobjs);
	EXPECT_EQ(t, si.nr_kobjs, m->kobjs);
}

/* NX: x86_64 always; i386 only with PAE paging and a CPU that has it. */
bool cpu_has_nx(void)
{
	unsigned int a = 0x80000000, b, c, d;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	if (a < 0x80000001)
		return false;
	a = 0x80000001;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	return d & (1u << 20);
}

const char *no_nx_reason(void)
{
#if defined(__x86_64__)
	return NULL;
#elif defined(USER_PAE)
	return cpu_has_nx() ? NULL : "needs NX (this CPU has none)";
#else
	return "needs NX (2-level i386 paging has none)";
#endif
}

/* execve runs in a child, which exits with the error number: a kernel
 * that wrongly accepted the call runs /bin/true (status 0). */
long exec_in_child(const char *path, char *const *argv, char *const *envp)
{
	int pid = fork();
	if (pid == 0)
		_exit((int)-syscall3(__NR_execve, path, argv, envp));
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	return -WEXITSTATUS(status);
}

char *const true_argv[] = { "true", NULL };
char *const no_env[] = { NULL };

/* fn, in a forked child, must end by signal sig. */
void expect_killed(struct utest *t, void (*fn)(void), int sig)
{
	int status = in_child(fn);
	EXPECT_TRUE(t, status != -1 && WIFSIGNALED(status));
	EXPECT_EQ(t, WTERMSIG(status), sig);
}
