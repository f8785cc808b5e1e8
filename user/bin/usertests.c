/*
 * usertests: the user-space test suite (issue #14). It reports KTAP
 * version 1, the same format as the kernel's ktest runner (kernel/ktest.c),
 * so tools/ktest/ktap.py judges both: one suite per group of cases, "ok N
 * name", "not ok N name" or "ok N name # SKIP why" per case, "# ..."
 * diagnostics. A case that must die (a fault) runs in a forked child and
 * the parent checks how it ended (WTERMSIG); nothing waits for a time:
 * every loop that waits for the kernel is bounded by a count.
 *
 *   usertests [glob]   run the cases whose suite.case matches (default all)
 *   usertests --argv-sum ARGS...   (a helper exec'd by the exec cases)
 */
#include <errno.h>
#include <limits.h>
#include <pagoda_ipc.h>
#include <pagoda_lib.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/proc.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../lib/syscall.h"

struct utest {
	const char *name;
	int failures;
	const char *skip;       /* set: the case is reported as skipped with this reason */
};

struct ucase {
	const char *name;
	void (*run)(struct utest *t);
};

struct usuite {
	const char *name;
	const struct ucase *cases;
};

#define EXPECT_EQ(t, a, b) do { \
	long long ua = (long long)(a), ub = (long long)(b); \
	if (ua != ub) { \
		printf("    # %s: EXPECTATION FAILED at %s:%d\n    # Expected %s == %s, but\n" \
		       "    #   %s == %lld\n    #   %s == %lld\n", \
		       (t)->name, __FILE__, __LINE__, #a, #b, #a, ua, #b, ub); \
		(t)->failures++; \
	} \
} while (0)
#define EXPECT_TRUE(t, c) EXPECT_EQ(t, !!(c), 1)
/* Stop the case if a precondition fails (the rest would only add noise). */
#define ASSERT_TRUE(t, c) do { if (!(c)) { EXPECT_TRUE(t, c); return; } } while (0)

#define PAGE 4096UL

#ifdef __x86_64__
#define KERNEL_ADDR ((void *)0xffff888000000000UL)      /* the direct map */
#else
#define KERNEL_ADDR ((void *)0xc0100000UL)              /* the kernel's text */
#endif

/* ---- helpers ---- */

/* Run fn in a child; the status word of its end (or -1 if fork failed). */
static int in_child(void (*fn)(void))
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

static void *map(size_t pages, int prot)
{
	void *p = mmap(NULL, pages * PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* A page that is certainly not mapped: mapped, then unmapped. */
static void *hole(void)
{
	void *p = map(1, PROT_READ | PROT_WRITE);
	if (p)
		munmap(p, PAGE);
	return p;
}

static struct proc_stat self_stat(void)
{
	struct proc_stat st = { 0 };
	proc_stat(0, &st, 0);
	return st;
}

/* The process's free pages once the kernel has settled; the smallest of a
 * few readings, so a page the reaper has not yet given back is waited for
 * by asking again, never by time. */
static unsigned long long free_pages_settled(unsigned long long want)
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

/* NX: x86_64 always; i386 only with PAE paging and a CPU that has it. */
static __attribute__((unused)) bool cpu_has_nx(void)
{
	unsigned int a = 0x80000000, b, c, d;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	if (a < 0x80000001)
		return false;
	a = 0x80000001;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	return d & (1u << 20);
}

static const char *no_nx_reason(void)
{
#if defined(__x86_64__)
	return NULL;
#elif defined(USER_PAE)
	return cpu_has_nx() ? NULL : "needs NX (this CPU has none)";
#else
	return "needs NX (2-level i386 paging has none)";
#endif
}

/* ---- the library ---- */

static void strtol_bases(struct utest *t)
{
	char *end;
	EXPECT_EQ(t, strtol("  -42x", &end, 10), -42);
	EXPECT_EQ(t, *end, 'x');
	EXPECT_EQ(t, strtol("0x1f", NULL, 0), 31);
	EXPECT_EQ(t, strtol("017", NULL, 0), 15);
	EXPECT_EQ(t, strtoul("ff", NULL, 16), 255);
	errno = 0;
	strtol("99999999999999999999999", NULL, 10);
	EXPECT_EQ(t, errno, ERANGE);
}

static void snprintf_formats(struct utest *t)
{
	char buf[32];
	EXPECT_EQ(t, snprintf(buf, sizeof(buf), "%d|%5s|%#x", -7, "ab", 255), 13);
	EXPECT_EQ(t, strcmp(buf, "-7|   ab|0xff"), 0);
}

static void malloc_reuses_and_merges(struct utest *t)
{
	char *a = malloc(100), *b = malloc(100), *c = malloc(100);
	EXPECT_TRUE(t, a && b && c && a != b && b != c);
	EXPECT_EQ(t, (unsigned long)a % 16, 0);
	memset(a, 1, 100);
	memset(b, 2, 100);
	free(a);
	free(b);
	char *d = malloc(200);          /* fits only in a and b merged */
	EXPECT_TRUE(t, d == a);
	char *e = realloc(c, 5000);
	EXPECT_TRUE(t, e != NULL);
	free(d);
	free(e);
	char *z = calloc(64, 64);
	EXPECT_TRUE(t, z != NULL);
	for (int i = 0; z && i < 64 * 64; i++)
		if (z[i]) {
			EXPECT_EQ(t, z[i], 0);
			break;
		}
	free(z);
}

/* A large block is its own mapping: its pages come and go with it. */
static void malloc_large_is_mapped(struct utest *t)
{
	unsigned long long vm0 = self_stat().vm_pages;
	char *p = malloc(1 << 20);
	ASSERT_TRUE(t, p != NULL);
	EXPECT_TRUE(t, self_stat().vm_pages >= vm0 + 256);
	p[0] = 1;
	p[(1 << 20) - 1] = 2;
	free(p);
	EXPECT_TRUE(t, self_stat().vm_pages < vm0 + 256);
}

static void strsignal_names(struct utest *t)
{
	EXPECT_EQ(t, strcmp(strsignal(SIGSEGV), "Segmentation fault"), 0);
	EXPECT_EQ(t, strcmp(strsignal(SIGKILL), "Killed"), 0);
}

static const struct ucase lib_cases[] = {
	{ "strtol_bases", strtol_bases },
	{ "snprintf_formats", snprintf_formats },
	{ "malloc_reuses_and_merges", malloc_reuses_and_merges },
	{ "malloc_large_is_mapped", malloc_large_is_mapped },
	{ "strsignal_names", strsignal_names },
	{ NULL, NULL },
};

/* ---- the system-call conventions ---- */

static void getpid_positive(struct utest *t)
{
	EXPECT_TRUE(t, getpid() > 0);
	EXPECT_TRUE(t, getppid() >= 0);
}

static void unknown_number_is_enosys(struct utest *t)
{
	EXPECT_EQ(t, syscall0(__NR_syscalls), -ENOSYS);
	EXPECT_EQ(t, syscall0(-1L), -ENOSYS);
	EXPECT_EQ(t, syscall0(__NR_memobj_create), -ENOSYS);      /* reserved for issue #15 */
}

static void clock_advances(struct utest *t)
{
	struct timespec a, b;
	EXPECT_EQ(t, clock_gettime(CLOCK_MONOTONIC, &a), 0);
	EXPECT_EQ(t, usleep(1000), 0);
	EXPECT_EQ(t, clock_gettime(CLOCK_MONOTONIC, &b), 0);
	EXPECT_TRUE(t, b.tv_sec * 1000000000LL + b.tv_nsec >= a.tv_sec * 1000000000LL + a.tv_nsec + 1000000);
	EXPECT_EQ(t, syscall2(__NR_clock_gettime, 12345, &a), -EINVAL);
	struct timespec bad = { .tv_sec = 0, .tv_nsec = 1000000000 };
	EXPECT_EQ(t, syscall2(__NR_nanosleep, &bad, NULL), -EINVAL);
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	EXPECT_EQ(t, syscall2(__NR_nanosleep, &bad, NULL), -EINVAL);
}

static void info_calls(struct utest *t)
{
	struct sysinfo si;
	unsigned int cpu = 99999, node = 99999;
	EXPECT_EQ(t, sysinfo(&si), 0);
	EXPECT_TRUE(t, si.nr_cpus >= 1 && si.free_pages > 0 && si.free_pages <= si.total_pages);
	EXPECT_EQ(t, si.page_size, PAGE);
	EXPECT_TRUE(t, si.nr_procs >= 1 && si.max_procs >= si.nr_procs);
	EXPECT_EQ(t, getcpu(&cpu, &node), 0);
	EXPECT_TRUE(t, cpu < si.nr_cpus);
	EXPECT_EQ(t, node, 0);
	EXPECT_EQ(t, getcpu(NULL, NULL), 0);
	struct proc_stat st;
	EXPECT_EQ(t, proc_stat(0, &st, 0), getpid());
	EXPECT_EQ(t, st.pid, getpid());
	EXPECT_EQ(t, st.ppid, getppid());
	EXPECT_EQ(t, st.state, 'R');
	EXPECT_EQ(t, strcmp(st.comm, "usertests"), 0);
	EXPECT_EQ(t, proc_stat(1, &st, PROC_STAT_NEXT) > 0, 1);
	EXPECT_EQ(t, syscall3(__NR_proc_stat, 0, &st, 4), -EINVAL);
	EXPECT_EQ(t, syscall3(__NR_proc_stat, 0x7ffffff0, &st, 0), -ESRCH);
}

static void debug_read_len_zero(struct utest *t)
{
	EXPECT_EQ(t, syscall2(__NR_debug_read, NULL, 0), 0);
}

static const struct ucase syscall_cases[] = {
	{ "getpid_positive", getpid_positive },
	{ "unknown_number_is_enosys", unknown_number_is_enosys },
	{ "clock_advances", clock_advances },
	{ "info_calls", info_calls },
	{ "debug_read_len_zero", debug_read_len_zero },
	{ NULL, NULL },
};

/* ---- bad pointers: every pointer-taking call ---- */

/* The bad pointers, each made fresh for a call. */
enum bad { BAD_NULL, BAD_KERNEL, BAD_UNMAPPED, BAD_READONLY, BAD_STRADDLE, NR_BAD };
static const char *const bad_names[] = { "NULL", "kernel", "unmapped", "read-only", "straddling" };

/* Two bytes before a hole: anything longer (an int, a timespec, a
 * pointer array, an unterminated string) runs into it. */
#define STRADDLE_MAPPED 2
static void *straddle(void)
{
	char *p = map(2, PROT_READ | PROT_WRITE);
	if (!p)
		return NULL;
	memset(p, 'x', 2 * PAGE);
	munmap(p + PAGE, PAGE);
	return p + PAGE - STRADDLE_MAPPED;
}

static void *make_bad(enum bad b)
{
	switch (b) {
	case BAD_NULL: return NULL;
	case BAD_KERNEL: return KERNEL_ADDR;
	case BAD_UNMAPPED: return hole();
	case BAD_READONLY: return map(1, PROT_READ);
	case BAD_STRADDLE: return straddle();
	default: return NULL;
	}
}

struct ptr_call {
	const char *name;
	bool writes;            /* the kernel writes there: a read-only page is bad too */
	long (*call)(void *p);  /* the raw result */
};

static long c_debug_write(void *p) { return syscall2(__NR_debug_write, p, 64); }
static long c_debug_read(void *p) { return syscall2(__NR_debug_read, p, 64); }
static long c_clock_gettime(void *p) { return syscall2(__NR_clock_gettime, CLOCK_MONOTONIC, p); }
static long c_nanosleep(void *p) { return syscall2(__NR_nanosleep, p, NULL); }
static long c_proc_stat(void *p) { return syscall3(__NR_proc_stat, 0, p, 0); }
static long c_getcpu(void *p) { return syscall3(__NR_getcpu, p, NULL, NULL); }
static long c_getcpu_node(void *p) { return syscall3(__NR_getcpu, NULL, p, NULL); }
static long c_sysinfo(void *p) { return syscall1(__NR_sysinfo, p); }

static long c_wait4(void *p)
{
	int pid = fork();
	if (pid == 0)
		_exit(3);
	long r = syscall4(__NR_wait4, pid, p, 0, NULL);
	waitpid(pid, NULL, 0);          /* reap it whatever wait4 did */
	return r;
}

/* execve runs in a child, which exits with the error number: a kernel
 * that wrongly accepted the call runs /bin/true (status 0). */
static long exec_in_child(const char *path, char *const *argv, char *const *envp)
{
	int pid = fork();
	if (pid == 0)
		_exit((int)-syscall3(__NR_execve, path, argv, envp));
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	return -WEXITSTATUS(status);
}

static char *const true_argv[] = { "true", NULL };
static char *const no_env[] = { NULL };

static long c_execve_path(void *p) { return exec_in_child(p, true_argv, no_env); }
static long c_execve_argv(void *p) { return exec_in_child("/bin/true", p, no_env); }
static long c_execve_envp(void *p) { return exec_in_child("/bin/true", true_argv, p); }

/* An argv whose array is fine but whose first string is the bad pointer. */
static long c_execve_argv_string(void *p)
{
	char *argv[] = { p, NULL };
	return exec_in_child("/bin/true", argv, no_env);
}

static const struct ptr_call ptr_calls[] = {
	{ "debug_write", false, c_debug_write },
	{ "debug_read", true, c_debug_read },
	{ "clock_gettime", true, c_clock_gettime },
	{ "nanosleep", false, c_nanosleep },
	{ "proc_stat", true, c_proc_stat },
	{ "getcpu", true, c_getcpu },
	{ "getcpu_node", true, c_getcpu_node },
	{ "sysinfo", true, c_sysinfo },
	{ "wait4", true, c_wait4 },
	{ "execve_path", false, c_execve_path },
	{ "execve_argv", false, c_execve_argv },
	{ "execve_envp", false, c_execve_envp },
	{ "execve_argv_string", false, c_execve_argv_string },
};

/* NULL is a valid "none" for some pointers: getcpu's, wait4's status, and
 * execve's argv and envp (an empty list, as Linux takes it). */
static bool null_allowed(const char *call)
{
	return !strncmp(call, "getcpu", 6) || !strcmp(call, "wait4") || !strncmp(call, "execve_argv", 11) ||
	       !strcmp(call, "execve_envp");
}

/* Every call with every bad pointer: -EFAULT, and the process lives on. A
 * read-only page is a bad pointer only for a call that writes. */
static void bad_pointer_matrix(struct utest *t)
{
	for (unsigned int i = 0; i < sizeof(ptr_calls) / sizeof(ptr_calls[0]); i++) {
		const struct ptr_call *c = &ptr_calls[i];
		for (int b = 0; b < NR_BAD; b++) {
			if (b == BAD_READONLY && !c->writes)
				continue;
			if (b == BAD_NULL && null_allowed(c->name))
				continue;
			void *p = make_bad(b);
			if (b != BAD_NULL && b != BAD_KERNEL && !p) {
				printf("    # %s: could not make a %s pointer\n", t->name, bad_names[b]);
				t->failures++;
				continue;
			}
			long r = c->call(p);
			if (r != -EFAULT) {
				printf("    # %s: %s with a %s pointer gave %ld, not -EFAULT\n", t->name, c->name,
				       bad_names[b], r);
				t->failures++;
			}
			if (b == BAD_READONLY)
				munmap(p, PAGE);
			else if (b == BAD_STRADDLE)
				munmap((char *)p - PAGE + STRADDLE_MAPPED, PAGE);
		}
	}
}

/* A string that never ends inside its mapping: the kernel must stop at the
 * hole, not run past it. */
static void unterminated_path(struct utest *t)
{
	char *p = map(2, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, p != NULL);
	memset(p, 'a', 2 * PAGE);
	munmap(p + PAGE, PAGE);
	EXPECT_EQ(t, exec_in_child(p + PAGE - 16, true_argv, no_env), -EFAULT);
	munmap(p, PAGE);
}

static void overlong_strings(struct utest *t)
{
	size_t len = 64 * PAGE;
	char *s = map(64, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, s != NULL);
	memset(s, 'a', len - 1);
	s[len - 1] = '\0';
	EXPECT_EQ(t, exec_in_child(s, true_argv, no_env), -ENAMETOOLONG);
	s[PATH_MAX + 10] = '\0';
	EXPECT_EQ(t, exec_in_child(s, true_argv, no_env), -ENAMETOOLONG);
	s[PATH_MAX + 10] = 'a';
	char *argv[] = { "true", s, NULL };
	EXPECT_EQ(t, exec_in_child("/bin/true", argv, no_env), -E2BIG);
	char *envp[] = { s, NULL };
	EXPECT_EQ(t, exec_in_child("/bin/true", true_argv, envp), -E2BIG);
	/* Many short arguments add up too. */
	static char *many[4096];
	for (int i = 0; i < 4095; i++)
		many[i] = s + len - 1 - 256;        /* 256 bytes each: 1 MiB */
	many[4095] = NULL;
	EXPECT_EQ(t, exec_in_child("/bin/true", many, no_env), -E2BIG);
	munmap(s, len);
}

static const struct ucase uaccess_cases[] = {
	{ "bad_pointer_matrix", bad_pointer_matrix },
	{ "unterminated_path", unterminated_path },
	{ "overlong_strings", overlong_strings },
	{ NULL, NULL },
};

/* ---- faults: each kills a child with the signal Linux would send ---- */

static char data_code[16] = { (char)0xc3 };     /* ret, in a rw- page */

static void do_null_read(void) { (void)*(volatile int *)0; }
static void do_text_write(void) { *(volatile char *)(uintptr_t)do_null_read = 0; }
static void do_exec_data(void) { ((void (*)(void))(uintptr_t)data_code)(); }
static void do_exec_stack(void)
{
	volatile char code[16] = { (char)0xc3 };
	((void (*)(void))(uintptr_t)code)();
}
static void do_kernel_read(void) { (void)*(volatile long *)KERNEL_ADDR; }
static void do_kernel_write(void) { *(volatile long *)KERNEL_ADDR = 1; }
static void do_rodata_write(void) { *(volatile char *)(uintptr_t)"constant" = 'C'; }
static void do_hlt(void) { __asm__ volatile("hlt"); }
static void do_ud2(void) { __asm__ volatile("ud2"); }
static void do_div0(void)
{
	unsigned int zero = 0, a = 1, d = 0;
	__asm__ volatile("divl %2" : "+a"(a), "+d"(d) : "r"(zero));
}

/* Each frame touches its page, so the stack grows page by page down to
 * its limit and then meets the guard gap below it. */
static volatile int recurse_limit = -1;     /* never reached: the guard stops it */
static int recurse(int depth)
{
	volatile char frame[1024];
	frame[0] = (char)depth;
	if (depth == recurse_limit)
		return 0;
	return recurse(depth + 1) + frame[0];
}
static void do_stack_overflow(void) { recurse(0); }

static void expect_killed(struct utest *t, void (*fn)(void), int sig)
{
	int status = in_child(fn);
	EXPECT_TRUE(t, status != -1 && WIFSIGNALED(status));
	EXPECT_EQ(t, WTERMSIG(status), sig);
}

static void null_read(struct utest *t) { expect_killed(t, do_null_read, SIGSEGV); }
static void write_to_text(struct utest *t) { expect_killed(t, do_text_write, SIGSEGV); }
static void write_to_rodata(struct utest *t) { expect_killed(t, do_rodata_write, SIGSEGV); }
static void kernel_read(struct utest *t) { expect_killed(t, do_kernel_read, SIGSEGV); }
static void kernel_write(struct utest *t) { expect_killed(t, do_kernel_write, SIGSEGV); }
static void stack_overflow(struct utest *t) { expect_killed(t, do_stack_overflow, SIGSEGV); }
static void privileged_gp(struct utest *t) { expect_killed(t, do_hlt, SIGSEGV); }
static void ud2_sigill(struct utest *t) { expect_killed(t, do_ud2, SIGILL); }
static void divide_sigfpe(struct utest *t) { expect_killed(t, do_div0, SIGFPE); }

static void exec_from_data(struct utest *t)
{
	if ((t->skip = no_nx_reason()))
		return;
	expect_killed(t, do_exec_data, SIGSEGV);
}

static void exec_from_stack(struct utest *t)
{
	if ((t->skip = no_nx_reason()))
		return;
	expect_killed(t, do_exec_stack, SIGSEGV);
}

/* The parent lives on after a child's fault, and its memory is intact. */
static void parent_survives(struct utest *t)
{
	static int canary = 0x5a5a;
	expect_killed(t, do_null_read, SIGSEGV);
	EXPECT_EQ(t, canary, 0x5a5a);
}

static const struct ucase fault_cases[] = {
	{ "null_read", null_read },
	{ "write_to_text", write_to_text },
	{ "write_to_rodata", write_to_rodata },
	{ "exec_from_data", exec_from_data },
	{ "exec_from_stack", exec_from_stack },
	{ "kernel_read", kernel_read },
	{ "kernel_write", kernel_write },
	{ "stack_overflow", stack_overflow },
	{ "privileged_gp", privileged_gp },
	{ "ud2_sigill", ud2_sigill },
	{ "divide_sigfpe", divide_sigfpe },
	{ "parent_survives", parent_survives },
	{ NULL, NULL },
};

/* ---- processes: fork, exec, exit, wait, kill ---- */

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
	struct proc_stat st;
	for (int i = 0; i < 10000; i++) {   /* until it sleeps in the call */
		if (proc_stat(pid, &st, 0) == pid && st.state == 'S')
			break;
		sched_yield();
	}
	EXPECT_EQ(t, st.state, 'S');
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

static const struct ucase proc_cases[] = {
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

/* ---- memory: demand paging, COW, mmap, brk ---- */

/* A page is allocated when touched, not when mapped. */
static void lazy_allocation(struct utest *t)
{
	struct proc_stat a = self_stat();
	char *p = map(64, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, p != NULL);
	struct proc_stat b = self_stat();
	for (int i = 0; i < 10; i++)
		p[i * PAGE] = 1;
	struct proc_stat c = self_stat();
	EXPECT_TRUE(t, b.vm_pages >= a.vm_pages + 64);
	EXPECT_TRUE(t, b.rss_pages <= a.rss_pages + 1);
	EXPECT_TRUE(t, c.rss_pages >= b.rss_pages + 10 && c.rss_pages <= b.rss_pages + 11);
	EXPECT_TRUE(t, c.page_faults >= b.page_faults + 10);
	/* A second touch of the same pages costs no fault. */
	for (int i = 0; i < 10; i++)
		p[i * PAGE] = 2;
	struct proc_stat d = self_stat();
	EXPECT_TRUE(t, d.page_faults <= c.page_faults + 1);
	EXPECT_EQ(t, p[64 * PAGE - 1], 0);              /* untouched pages read as zeros */
	munmap(p, 64 * PAGE);
	EXPECT_TRUE(t, self_stat().rss_pages <= d.rss_pages - 10 + 1);
}

#define COW_PAGES 8
#define COW_CHILDREN 8

/* Parent and children each see only their own writes, over many forks. */
static void cow_many_forks(struct utest *t)
{
	char *p = map(COW_PAGES, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, p != NULL);
	for (unsigned long i = 0; i < COW_PAGES * PAGE; i++)
		p[i] = (char)(i % 251);
	int pids[COW_CHILDREN];
	for (int c = 0; c < COW_CHILDREN; c++) {
		pids[c] = fork();
		if (pids[c] == 0) {
			unsigned long long cow0 = self_stat().cow_copies;
			/* Check the inherited bytes, write our own, yield, check again. */
			for (unsigned long i = 0; i < COW_PAGES * PAGE; i++)
				if (p[i] != (char)(i % 251))
					_exit(1);
			for (unsigned long i = 0; i < COW_PAGES * PAGE; i += 64)
				p[i] = (char)(c + 1);
			if (self_stat().cow_copies < cow0 + COW_PAGES - 1)
				_exit(2);
			for (int y = 0; y < 50; y++)
				sched_yield();
			for (unsigned long i = 0; i < COW_PAGES * PAGE; i++)
				if (p[i] != (i % 64 ? (char)(i % 251) : (char)(c + 1)))
					_exit(3);
			_exit(0);
		}
		ASSERT_TRUE(t, pids[c] > 0);
	}
	/* The parent writes too, while the children run. */
	p[PAGE] = 'P';
	for (int c = 0; c < COW_CHILDREN; c++) {
		int status;
		EXPECT_EQ(t, waitpid(pids[c], &status, 0), pids[c]);
		EXPECT_EQ(t, status, 0);
	}
	EXPECT_EQ(t, p[PAGE], 'P');
	for (unsigned long i = 0; i < COW_PAGES * PAGE; i++)
		if (i != PAGE && p[i] != (char)(i % 251)) {
			EXPECT_EQ(t, p[i], (char)(i % 251));
			break;
		}
	munmap(p, COW_PAGES * PAGE);
}

/* The last user of a COW page writes it without a copy (do_wp_page). */
static void cow_last_user_no_copy(struct utest *t)
{
	char *p = map(1, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, p != NULL);
	p[0] = 1;
	int pid = fork(), status;
	if (pid == 0)
		_exit(p[0]);
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, WEXITSTATUS(status), 1);
	unsigned long long cow0 = self_stat().cow_copies;
	p[0] = 2;
	EXPECT_EQ(t, self_stat().cow_copies, cow0);
	munmap(p, PAGE);
}

static char *fault_addr;
static void do_touch_read(void) { (void)*(volatile char *)fault_addr; }
static void do_touch_write(void) { *(volatile char *)fault_addr = 1; }

static void expect_read_faults(struct utest *t, void *addr)
{
	fault_addr = addr;
	expect_killed(t, do_touch_read, SIGSEGV);
}

static void expect_write_faults(struct utest *t, void *addr)
{
	fault_addr = addr;
	expect_killed(t, do_touch_write, SIGSEGV);
}

static void mmap_errors(struct utest *t)
{
	int rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;
	EXPECT_EQ(t, syscall6(__NR_mmap, 0, 0, rw, anon, -1, 0), -EINVAL);
	EXPECT_EQ(t, syscall6(__NR_mmap, 0x10000001L, PAGE, rw, anon | MAP_FIXED, -1, 0), -EINVAL);
	EXPECT_EQ(t, syscall6(__NR_mmap, 0, PAGE, rw, MAP_PRIVATE, 3, 0), -EINVAL);    /* a file */
	EXPECT_EQ(t, syscall6(__NR_mmap, 0, PAGE, rw, MAP_SHARED | MAP_ANONYMOUS, -1, 0), -EINVAL);
	long r;
	r = syscall6(__NR_mmap, (long)KERNEL_ADDR, PAGE, rw, anon | MAP_FIXED, -1, 0);
	EXPECT_TRUE(t, r == -EINVAL || r == -ENOMEM);   /* never the kernel's address */
	r = syscall6(__NR_mmap, 0, -PAGE, rw, anon, -1, 0);           /* larger than user space */
	EXPECT_TRUE(t, r == -ENOMEM || r == -EINVAL);
	EXPECT_EQ(t, syscall2(__NR_munmap, 0x10000001L, PAGE), -EINVAL);
	EXPECT_EQ(t, syscall2(__NR_munmap, 0x10000000L, 0), -EINVAL);
	EXPECT_EQ(t, syscall2(__NR_munmap, (long)KERNEL_ADDR, PAGE), -EINVAL);
	EXPECT_EQ(t, syscall3(__NR_mprotect, 0x10000001L, PAGE, PROT_READ), -EINVAL);
	void *h = hole();
	EXPECT_EQ(t, syscall3(__NR_mprotect, h, PAGE, PROT_READ), -ENOMEM);
	EXPECT_EQ(t, syscall2(__NR_munmap, h, PAGE), 0);        /* nothing there: fine */
}

/* An unaligned length covers the partial page; a hint is only a hint. */
static void mmap_unaligned_len(struct utest *t)
{
	char *p = mmap(NULL, PAGE + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(t, p != MAP_FAILED);
	EXPECT_EQ(t, (uintptr_t)p % PAGE, 0);
	p[2 * PAGE - 1] = 1;                    /* the rest of the second page is ours */
	EXPECT_EQ(t, munmap(p, PAGE + 1), 0);   /* and goes with it */
	expect_read_faults(t, p + PAGE);
}

static void mprotect_splits(struct utest *t)
{
	char *p = map(3, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, p != NULL);
	memset(p, 7, 3 * PAGE);
	EXPECT_EQ(t, mprotect(p + PAGE, PAGE, PROT_READ), 0);
	p[0] = 1;
	p[2 * PAGE] = 1;
	EXPECT_EQ(t, p[PAGE], 7);
	expect_write_faults(t, p + PAGE);
	EXPECT_EQ(t, mprotect(p + PAGE, PAGE, PROT_NONE), 0);
	expect_read_faults(t, p + PAGE);
	/* All three pages back to one protection (the VMAs merge again). */
	EXPECT_EQ(t, mprotect(p, 3 * PAGE, PROT_READ | PROT_WRITE), 0);
	p[PAGE] = 2;
	EXPECT_EQ(t, p[PAGE], 2);
	EXPECT_EQ(t, p[PAGE + 1], 7);           /* the data survived PROT_NONE */
	munmap(p, 3 * PAGE);
}

static void munmap_splits(struct utest *t)
{
	char *p = map(3, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, p != NULL);
	memset(p, 9, 3 * PAGE);
	EXPECT_EQ(t, munmap(p + PAGE, PAGE), 0);
	EXPECT_EQ(t, p[0], 9);
	EXPECT_EQ(t, p[2 * PAGE], 9);
	expect_read_faults(t, p + PAGE);
	/* One munmap over the hole takes both halves. */
	EXPECT_EQ(t, munmap(p, 3 * PAGE), 0);
	expect_read_faults(t, p);
	expect_read_faults(t, p + 2 * PAGE);
}

static void map_fixed_replaces(struct utest *t)
{
	char *p = map(2, PROT_READ | PROT_WRITE);
	ASSERT_TRUE(t, p != NULL);
	memset(p, 5, 2 * PAGE);
	char *q = mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	EXPECT_TRUE(t, q == p);
	EXPECT_EQ(t, p[0], 0);                  /* a fresh page */
	EXPECT_EQ(t, p[PAGE], 5);               /* its neighbour untouched */
	expect_write_faults(t, p);              /* with the new protection */
	munmap(p, 2 * PAGE);
}

extern char _end[];     /* the end of bss (user/user.ld): the heap starts above */

static void brk_grow_shrink(struct utest *t)
{
	char *base = (char *)syscall1(__NR_brk, 0);
	ASSERT_TRUE(t, base != NULL);
	char *top = (char *)syscall1(__NR_brk, base + 3 * PAGE);
	EXPECT_TRUE(t, top == base + 3 * PAGE);
	for (unsigned long i = 0; i < 3 * PAGE; i += 512)
		if (base[i]) {
			EXPECT_EQ(t, base[i], 0);
			break;
		}
	memset(base, 0x77, 3 * PAGE);
	EXPECT_TRUE(t, (char *)syscall1(__NR_brk, base + PAGE) == base + PAGE);
	expect_read_faults(t, base + 2 * PAGE);
	EXPECT_TRUE(t, (char *)syscall1(__NR_brk, base + 3 * PAGE) == base + 3 * PAGE);
	EXPECT_EQ(t, base[0], 0x77);            /* kept */
	EXPECT_EQ(t, base[2 * PAGE], 0);        /* given back, then fresh zeros */
	/* Below the start of the heap (into the program's data): refused,
	 * the break stays. */
	EXPECT_TRUE(t, (char *)syscall1(__NR_brk, (uintptr_t)_end - PAGE) == base + 3 * PAGE);
	EXPECT_TRUE(t, (char *)syscall1(__NR_brk, base) == base);
}

static const struct ucase mm_cases[] = {
	{ "lazy_allocation", lazy_allocation },
	{ "cow_many_forks", cow_many_forks },
	{ "cow_last_user_no_copy", cow_last_user_no_copy },
	{ "mmap_errors", mmap_errors },
	{ "mmap_unaligned_len", mmap_unaligned_len },
	{ "mprotect_splits", mprotect_splits },
	{ "munmap_splits", munmap_splits },
	{ "map_fixed_replaces", map_fixed_replaces },
	{ "brk_grow_shrink", brk_grow_shrink },
	{ NULL, NULL },
};

/* ---- limits and leaks ---- */

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

static const struct ucase limit_cases[] = {
	{ "fork_bomb_bounded", fork_bomb_bounded },
	{ "no_page_leak", no_page_leak },
	{ "every_cpu_at_once", every_cpu_at_once },
	{ NULL, NULL },
};

/* ---- uipc: handles and synchronous IPC (docs/ipc.md) ---- */

/* What the test server (serve) understands: the label of a request. */
enum { OP_ECHO = 1, OP_QUIT, OP_BUF, OP_SIGNAL };

/* -errno of a failed library call, or its result. */
#define E(expr) ({ long __r = (long)(expr); __r < 0 ? -(long)errno : __r; })

/* The reply to OP_ECHO: each word mixed with another, so a reply meant for
 * another request (or words in the wrong registers) shows. */
static void echo_expect(const unsigned long *w, unsigned long *r)
{
	r[0] = w[0] * 3;
	r[1] = w[1] + w[2];
	r[2] = w[3] ^ 0xa5a5UL;
}

/* A server: answers until OP_QUIT, then exits 0; exits 100 + errno if a
 * call fails. OP_BUF: the buffer back with each byte ^ 0x5a, its CRC and
 * length in w0, w1. OP_SIGNAL: signal the handle that came with w0. */
static __attribute__((noreturn)) void serve(int ep)
{
	static unsigned char in[IPC_BUF_MAX], out[IPC_BUF_MAX];
	struct ipc_ext x = { .recv_buf = in, .recv_cap = sizeof(in), .timeout_ms = IPC_FOREVER };
	struct ipc_msg m;
	if (ipc_recv_ext(ep, &m, &x))
		_exit(100 + errno);
	for (;;) {
		unsigned long label = m.tag & IPC_LABEL_MASK;
		struct ipc_msg r = { .tag = label };
		x.send_len = 0;
		x.send_nhandles = 0;
		x.timeout_ms = IPC_FOREVER;
		if (label == OP_ECHO) {
			echo_expect(m.w, r.w);
		} else if (label == OP_BUF) {
			unsigned long n = x.recv_len < sizeof(in) ? x.recv_len : sizeof(in);
			for (unsigned long i = 0; i < n; i++)
				out[i] = in[i] ^ 0x5a;
			x.send_buf = out;
			x.send_len = n;
			r.w[0] = crc32(0, in, n);
			r.w[1] = x.recv_len;
		} else if (label == OP_SIGNAL) {
			r.w[0] = x.recv_nhandles;
			r.w[1] = x.recv_nhandles ? E(notify_signal(x.recv_handles[0], m.w[0])) : 1;
			if (x.recv_nhandles)
				handle_close(x.recv_handles[0]);
		} else if (label == OP_QUIT) {
			x.timeout_ms = IPC_POLL;        /* reply, then find nobody waiting */
			ipc_reply_recv_ext(ep, &r, &x);
			_exit(0);
		}
		if (ipc_reply_recv_ext(ep, &r, &x))
			_exit(100 + errno);
		m = r;
	}
}

static int start_server(int ep)
{
	int pid = fork();
	if (pid == 0)
		serve(ep);
	return pid;
}

/* Keep only the right to send on ep: if the server dies, our calls get
 * -EPIPE instead of waiting forever for a receiver we could be. */
static int send_only(int ep)
{
	int s = handle_dup(ep, RIGHT_SEND);
	handle_close(ep);
	return s;
}

static void stop_server(struct utest *t, int ep, int pid)
{
	struct ipc_msg m = { .tag = OP_QUIT };
	EXPECT_EQ(t, E(ipc_call(ep, &m)), 0);
	int status = -1;
	EXPECT_EQ(t, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(t, status, 0);
}

/* n echo calls; how many replies were wrong. */
static int echo_calls(int ep, unsigned long seed, int n)
{
	int bad = 0;
	for (int i = 0; i < n; i++) {
		unsigned long v = seed + (unsigned long)i;
		struct ipc_msg m = { .tag = OP_ECHO, .w = { v, v * 7, v ^ 0x55, ~v } };
		unsigned long want[3];
		echo_expect(m.w, want);
		if (ipc_call(ep, &m))
			return n - i;           /* the rest would fail the same way */
		if (m.tag != OP_ECHO || m.w[0] != want[0] || m.w[1] != want[1] || m.w[2] != want[2])
			bad++;
	}
	return bad;
}

static unsigned char ipc_out[IPC_BUF_MAX + 1], ipc_in[IPC_BUF_MAX];

/* One OP_BUF call of len bytes (recv_cap cap): 0, or -errno. */
static long buf_call(int ep, unsigned long len, unsigned long cap, struct ipc_msg *m, struct ipc_ext *x)
{
	*x = (struct ipc_ext){ .send_buf = ipc_out, .send_len = len, .recv_buf = ipc_in, .recv_cap = cap,
			       .timeout_ms = IPC_FOREVER };
	*m = (struct ipc_msg){ .tag = OP_BUF };
	return E(ipc_call_ext(ep, m, x));
}

/* Replies go to their own caller, with its words; buffers of every size
 * arrive whole, a longer one than the receiver offers is cut and says so. */
static void call_reply_pairing(struct utest *t)
{
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	int srv = start_server(ep);
	ASSERT_TRUE(t, srv > 0);
	ep = send_only(ep);
	ASSERT_TRUE(t, ep > 0);
	EXPECT_EQ(t, echo_calls(ep, 1000, 300), 0);

	static const unsigned long lens[] = { 1, 100, 4095, IPC_BUF_MAX };
	for (unsigned int k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		unsigned long len = lens[k];
		for (unsigned long i = 0; i < len; i++)
			ipc_out[i] = (unsigned char)(i * 31 + k);
		memset(ipc_in, 0, sizeof(ipc_in));
		struct ipc_msg m;
		struct ipc_ext x;
		EXPECT_EQ(t, buf_call(ep, len, sizeof(ipc_in), &m, &x), 0);
		EXPECT_EQ(t, m.w[0], crc32(0, ipc_out, len));
		EXPECT_EQ(t, m.w[1], len);
		EXPECT_EQ(t, x.recv_len, len);
		unsigned long wrong = 0;
		for (unsigned long i = 0; i < len; i++)
			wrong += ipc_in[i] != (ipc_out[i] ^ 0x5a);
		EXPECT_EQ(t, wrong, 0);
	}
	/* A reply longer than the room: cut to recv_cap, recv_len says how long. */
	struct ipc_msg m;
	struct ipc_ext x;
	memset(ipc_in, 0xee, sizeof(ipc_in));
	EXPECT_EQ(t, buf_call(ep, 100, 10, &m, &x), 0);
	EXPECT_EQ(t, x.recv_len, 100);
	EXPECT_EQ(t, ipc_in[9], ipc_out[9] ^ 0x5a);
	EXPECT_EQ(t, ipc_in[10], 0xee);
	/* Too long to send: refused before anything moves. */
	EXPECT_EQ(t, buf_call(ep, IPC_BUF_MAX + 1, sizeof(ipc_in), &m, &x), -EMSGSIZE);
	stop_server(t, ep, srv);
	EXPECT_EQ(t, handle_close(ep), 0);
}

/* Several clients at once (on every CPU there is), one server: each gets
 * its own replies only. */
static void many_clients(struct utest *t)
{
	enum { NCLIENTS = 6, CALLS = 200 };
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	int srv = start_server(ep);
	ASSERT_TRUE(t, srv > 0);
	ep = send_only(ep);
	ASSERT_TRUE(t, ep > 0);
	int pids[NCLIENTS], ok = 0;
	for (int c = 0; c < NCLIENTS; c++) {
		pids[c] = fork();
		if (pids[c] == 0)
			_exit(echo_calls(ep, (unsigned long)c * 100000, CALLS) ? 1 : 0);
		EXPECT_TRUE(t, pids[c] > 0);
	}
	for (int c = 0; c < NCLIENTS; c++) {
		int status = -1;
		if (pids[c] > 0 && waitpid(pids[c], &status, 0) == pids[c] && status == 0)
			ok++;
	}
	EXPECT_EQ(t, ok, NCLIENTS);
	stop_server(t, ep, srv);
	EXPECT_EQ(t, handle_close(ep), 0);
}

/* The process whose pid is given is asleep (in an IPC wait): bounded by a
 * count of looks, never by time. */
static bool wait_until_sleeping(int pid)
{
	for (int i = 0; i < 100000; i++) {
		struct proc_stat st;
		if (proc_stat(pid, &st, 0) == pid && st.state == 'S')
			return true;
		sched_yield();
	}
	return false;
}

/* Timeouts: poll and a bounded wait with no partner give -ETIMEDOUT (the
 * length of the wait is not judged); a handle offered in a message that
 * timed out is back with its sender; a caller that gave up while the
 * server held its request leaves the server's reply harmlessly unused. */
static void timeouts(struct utest *t)
{
	int ep = endpoint_create(), n = notify_create();
	ASSERT_TRUE(t, ep > 0 && n > 0);
	struct ipc_msg m = { .tag = OP_ECHO };
	struct ipc_ext x = { .timeout_ms = IPC_POLL };
	EXPECT_EQ(t, E(ipc_recv_ext(ep, &m, &x)), -ETIMEDOUT);
	x.timeout_ms = 30;
	EXPECT_EQ(t, E(ipc_recv_ext(ep, &m, &x)), -ETIMEDOUT);
	x.timeout_ms = IPC_POLL;
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), -ETIMEDOUT);
	EXPECT_EQ(t, E(ipc_send_ext(ep, &m, &x)), -ETIMEDOUT);
	int d = handle_dup(n, RIGHTS_ALL);
	ASSERT_TRUE(t, d > 0);
	x = (struct ipc_ext){ .send_handles = { d }, .send_nhandles = 1, .timeout_ms = 20 };
	m.tag = OP_ECHO;
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), -ETIMEDOUT);
	EXPECT_EQ(t, E(notify_signal(d, 1)), 0);        /* d came back */
	EXPECT_EQ(t, handle_close(d), 0);
	EXPECT_EQ(t, E(notify_wait(n, IPC_POLL)), 1);
	EXPECT_EQ(t, E(notify_wait(n, IPC_POLL)), -ETIMEDOUT);
	EXPECT_EQ(t, E(notify_wait(n, 20)), -ETIMEDOUT);

	/* A server that takes the call and answers only after the caller gave up. */
	int srv = fork();
	if (srv == 0) {
		struct ipc_msg r;
		if (ipc_recv(ep, &r) || !(r.tag & IPC_TAG_CALL))
			_exit(1);
		if (notify_wait(n, IPC_FOREVER) != 2)   /* the caller timed out */
			_exit(2);
		struct ipc_ext px = { .timeout_ms = IPC_POLL };
		r.tag = 7;
		_exit(E(ipc_reply_recv_ext(ep, &r, &px)) == -ETIMEDOUT ? 0 : 3);
	}
	ASSERT_TRUE(t, srv > 0);
	EXPECT_TRUE(t, wait_until_sleeping(srv));      /* in its ipc_recv: ours is taken at once */
	x = (struct ipc_ext){ .timeout_ms = 50 };
	m.tag = OP_ECHO;
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), -ETIMEDOUT);
	EXPECT_EQ(t, E(notify_signal(n, 2)), 0);
	int status = -1;
	EXPECT_EQ(t, waitpid(srv, &status, 0), srv);
	EXPECT_EQ(t, status, 0);
	EXPECT_EQ(t, handle_close(ep), 0);
	EXPECT_EQ(t, handle_close(n), 0);
}

/* Every way to hold a handle wrongly: forged, closed, wrong type is
 * -EBADF; each missing right is -EPERM; nothing else changes. */
static void handle_errors(struct utest *t)
{
	int ep = endpoint_create(), n = notify_create();
	ASSERT_TRUE(t, ep > 0 && n > 0);
	struct ipc_msg m = { .tag = 1 };
	struct ipc_ext x = { .timeout_ms = IPC_POLL };
	static const int forged[] = { 0, -1, 1, 7, 255, 0x7fffffff };
	for (unsigned int i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		int f = forged[i];
		EXPECT_EQ(t, E(handle_close(f)), -EBADF);
		EXPECT_EQ(t, E(handle_dup(f, RIGHT_SEND)), -EBADF);
		EXPECT_EQ(t, E(ipc_call_ext(f, &m, &x)), -EBADF);
		EXPECT_EQ(t, E(ipc_recv_ext(f, &m, &x)), -EBADF);
		EXPECT_EQ(t, E(notify_signal(f, 1)), -EBADF);
	}
	EXPECT_EQ(t, E(handle_close(ep ^ (1 << 8))), -EBADF);  /* another generation */
	/* Wrong type. */
	EXPECT_EQ(t, E(ipc_call_ext(n, &m, &x)), -EBADF);
	EXPECT_EQ(t, E(ipc_send_ext(n, &m, &x)), -EBADF);
	EXPECT_EQ(t, E(ipc_recv_ext(n, &m, &x)), -EBADF);
	EXPECT_EQ(t, E(notify_signal(ep, 1)), -EBADF);
	EXPECT_EQ(t, E(notify_wait(ep, IPC_POLL)), -EBADF);
	/* Each missing right. */
	int no_send = handle_dup(ep, RIGHTS_ALL & ~RIGHT_SEND);
	int no_recv = handle_dup(ep, RIGHTS_ALL & ~RIGHT_RECEIVE);
	int no_dup = handle_dup(ep, RIGHTS_ALL & ~RIGHT_DUPLICATE);
	int no_xfer = handle_dup(n, RIGHTS_ALL & ~RIGHT_TRANSFER);
	int n_no_send = handle_dup(n, RIGHTS_ALL & ~RIGHT_SEND);
	int n_no_recv = handle_dup(n, RIGHTS_ALL & ~RIGHT_RECEIVE);
	ASSERT_TRUE(t, no_send > 0 && no_recv > 0 && no_dup > 0 && no_xfer > 0 && n_no_send > 0 && n_no_recv > 0);
	EXPECT_EQ(t, E(ipc_call_ext(no_send, &m, &x)), -EPERM);
	EXPECT_EQ(t, E(ipc_send_ext(no_send, &m, &x)), -EPERM);
	EXPECT_EQ(t, E(ipc_recv_ext(no_recv, &m, &x)), -EPERM);
	EXPECT_EQ(t, E(ipc_reply_recv_ext(no_recv, &m, &x)), -EPERM);
	EXPECT_EQ(t, E(handle_dup(no_dup, RIGHT_SEND)), -EPERM);
	EXPECT_EQ(t, E(handle_dup(no_send, RIGHT_SEND)), -EPERM);      /* more than it has */
	EXPECT_EQ(t, E(handle_dup(ep, 0x100)), -EINVAL);
	EXPECT_EQ(t, E(notify_signal(n_no_send, 1)), -EPERM);
	EXPECT_EQ(t, E(notify_wait(n_no_recv, IPC_POLL)), -EPERM);
	struct ipc_ext xx = { .send_handles = { no_xfer }, .send_nhandles = 1, .timeout_ms = IPC_POLL };
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &xx)), -EPERM);
	EXPECT_EQ(t, E(notify_signal(no_xfer, 1)), 0);         /* still there */
	/* Malformed messages. */
	xx = (struct ipc_ext){ .send_nhandles = IPC_HANDLES_MAX + 1, .timeout_ms = IPC_POLL };
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &xx)), -EINVAL);
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, (struct ipc_ext *)KERNEL_ADDR)), -EFAULT);
	xx = (struct ipc_ext){ .send_buf = KERNEL_ADDR, .send_len = 8, .timeout_ms = IPC_POLL };
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &xx)), -EFAULT);
	unsigned long tag = 1UL << 24, w[4] = { 0 };
	EXPECT_EQ(t, syscall6(__NR_ipc_call, ep, tag, w[0], w[1], w[2], w[3]), -EINVAL);
	/* Closed. */
	int all[] = { no_send, no_recv, no_dup, no_xfer, n_no_send, n_no_recv, n, ep };
	for (unsigned int i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		EXPECT_EQ(t, handle_close(all[i]), 0);
		EXPECT_EQ(t, E(handle_close(all[i])), -EBADF);
	}
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), -EBADF);
	EXPECT_EQ(t, E(notify_signal(n, 1)), -EBADF);
	/* A full table: -EMFILE, and every slot comes back. */
	int hs[HANDLE_MAX + 1], got = 0;
	while (got <= HANDLE_MAX && (hs[got] = notify_create()) > 0)
		got++;
	EXPECT_EQ(t, errno, EMFILE);
	EXPECT_TRUE(t, got > 0 && got <= HANDLE_MAX);
	for (int i = 0; i < got; i++)
		EXPECT_EQ(t, handle_close(hs[i]), 0);
}

/* A handle moved in a message: the receiver can use it, the sender no
 * longer has it; without RIGHT_TRANSFER it stays where it was. */
static void handle_transfer(struct utest *t)
{
	int ep = endpoint_create(), n = notify_create();
	ASSERT_TRUE(t, ep > 0 && n > 0);
	int srv = start_server(ep);
	ASSERT_TRUE(t, srv > 0);
	ep = send_only(ep);
	ASSERT_TRUE(t, ep > 0);
	int d = handle_dup(n, RIGHT_SEND | RIGHT_TRANSFER);
	ASSERT_TRUE(t, d > 0);
	struct ipc_msg m = { .tag = OP_SIGNAL, .w = { 0x40 } };
	struct ipc_ext x = { .send_handles = { d }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), 0);
	EXPECT_EQ(t, m.w[0], 1);                /* the server got one handle */
	EXPECT_EQ(t, m.w[1], 0);                /* and signalled through it */
	EXPECT_EQ(t, E(notify_wait(n, IPC_POLL)), 0x40);
	EXPECT_EQ(t, E(handle_close(d)), -EBADF);       /* gone from the sender */
	EXPECT_EQ(t, E(notify_signal(d, 1)), -EBADF);
	/* Two at once, one of them not a notification: both move. */
	int e2 = endpoint_create();
	ASSERT_TRUE(t, e2 > 0);
	int e2_send = handle_dup(e2, RIGHT_SEND | RIGHT_TRANSFER);
	x = (struct ipc_ext){ .send_handles = { e2_send, n }, .send_nhandles = 2, .timeout_ms = IPC_FOREVER };
	m = (struct ipc_msg){ .tag = OP_SIGNAL, .w = { 0x2 } };
	EXPECT_EQ(t, E(ipc_call_ext(ep, &m, &x)), 0);
	EXPECT_EQ(t, m.w[0], 2);                /* both arrived; the first was not a notification */
	EXPECT_EQ(t, (long)m.w[1], -EBADF);
	EXPECT_EQ(t, E(handle_close(e2_send)), -EBADF);
	EXPECT_EQ(t, E(handle_close(n)), -EBADF);       /* moved too (the server dropped it at exit) */
	stop_server(t, ep, srv);
	EXPECT_EQ(t, handle_close(e2), 0);
	EXPECT_EQ(t, handle_close(ep), 0);
}

/* A server that dies wakes its callers with -EPIPE: one waiting for a
 * receiver (the endpoint's last receive handle closes) and one whose
 * request the server held (its reply capability dies with it). */
static void server_death_epipe(struct utest *t)
{
	int ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	int parent = getpid();
	int srv = fork();
	if (srv == 0)
		_exit(wait_until_sleeping(parent) ? 0 : 1);
	ASSERT_TRUE(t, srv > 0);
	int s = handle_dup(ep, RIGHT_SEND);
	EXPECT_EQ(t, handle_close(ep), 0);      /* the server's copy is the only receiver */
	struct ipc_msg m = { .tag = OP_ECHO };
	EXPECT_EQ(t, E(ipc_call(s, &m)), -EPIPE);
	int status = -1;
	EXPECT_EQ(t, waitpid(srv, &status, 0), srv);
	if (status)
		printf("    # %s: the server never saw the caller asleep\n", t->name);
	EXPECT_EQ(t, E(ipc_call(s, &m)), -EPIPE);       /* and at once from now on */
	EXPECT_EQ(t, handle_close(s), 0);

	ep = endpoint_create();
	ASSERT_TRUE(t, ep > 0);
	srv = fork();
	if (srv == 0) {
		struct ipc_msg r;
		ipc_recv(ep, &r);
		_exit(3);                       /* holding the caller's reply capability */
	}
	ASSERT_TRUE(t, srv > 0);
	m.tag = OP_ECHO;
	EXPECT_EQ(t, E(ipc_call(ep, &m)), -EPIPE);     /* we still may receive: not the last */
	EXPECT_EQ(t, waitpid(srv, &status, 0), srv);
	EXPECT_EQ(t, WEXITSTATUS(status), 3);
	EXPECT_EQ(t, handle_close(ep), 0);
}

/* A client killed while the server holds its request: the server's reply
 * goes nowhere and it serves the next caller as before. */
static void client_death_harmless(struct utest *t)
{
	int ep = endpoint_create(), held = notify_create(), go = notify_create();
	ASSERT_TRUE(t, ep > 0 && held > 0 && go > 0);
	int srv = fork();
	if (srv == 0) {
		struct ipc_msg r;
		if (ipc_recv(ep, &r))
			_exit(1);
		notify_signal(held, 1);
		if (notify_wait(go, IPC_FOREVER) != 1)
			_exit(2);
		r = (struct ipc_msg){ .tag = 9, .w = { 777 } };
		if (ipc_reply_recv(ep, &r))             /* to a dead caller: dropped */
			_exit(3);
		r.w[0] += 1;
		struct ipc_ext px = { .timeout_ms = IPC_POLL };
		_exit(E(ipc_reply_recv_ext(ep, &r, &px)) == -ETIMEDOUT ? 0 : 4);
	}
	ASSERT_TRUE(t, srv > 0);
	ep = send_only(ep);                     /* the server alone may receive */
	ASSERT_TRUE(t, ep > 0);
	int cli = fork();
	if (cli == 0) {
		struct ipc_msg r = { .tag = OP_ECHO };
		ipc_call(ep, &r);
		_exit(5);
	}
	ASSERT_TRUE(t, cli > 0);
	EXPECT_EQ(t, E(notify_wait(held, IPC_FOREVER)), 1);
	EXPECT_EQ(t, kill(cli, SIGKILL), 0);
	int status = -1;
	EXPECT_EQ(t, waitpid(cli, &status, 0), cli);
	EXPECT_TRUE(t, WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	EXPECT_EQ(t, E(notify_signal(go, 1)), 0);
	struct ipc_msg m = { .tag = OP_ECHO, .w = { 41 } };
	EXPECT_EQ(t, E(ipc_call(ep, &m)), 0);
	EXPECT_EQ(t, m.w[0], 42);
	EXPECT_EQ(t, waitpid(srv, &status, 0), srv);
	EXPECT_EQ(t, status, 0);
	EXPECT_EQ(t, handle_close(ep) | handle_close(held) | handle_close(go), 0);
}

/* A storm of servers, calls with buffers and handles, kills mid-call and
 * deaths: afterwards every page and every kernel object is back. */
static void no_leak_after_storm(struct utest *t)
{
	struct sysinfo si;
	ASSERT_TRUE(t, sysinfo(&si) == 0);
	unsigned int kobjs = si.nr_kobjs;
	unsigned long long before = 0;
	for (int round = -1; round < 12; round++) {
		if (round == 0) {               /* after a first round has filled the caches */
			ASSERT_TRUE(t, sysinfo(&si) == 0);
			before = free_pages_settled(si.free_pages);
		}
		int ep = endpoint_create(), n = notify_create();
		if (ep < 0 || n < 0)
			break;
		int srv = start_server(ep);
		int s = send_only(ep);
		if (srv < 0 || s < 0)
			break;
		echo_calls(s, (unsigned long)round, 20);
		struct ipc_msg m;
		struct ipc_ext x;
		for (int i = 0; i < 4; i++)
			buf_call(s, IPC_BUF_MAX, sizeof(ipc_in), &m, &x);
		int d = handle_dup(n, RIGHT_SEND | RIGHT_TRANSFER);
		x = (struct ipc_ext){ .send_handles = { d }, .send_nhandles = 1, .timeout_ms = IPC_FOREVER };
		m = (struct ipc_msg){ .tag = OP_SIGNAL, .w = { 1 } };
		ipc_call_ext(s, &m, &x);
		if (round % 2 == 1) {
			/* A client in the middle of calls when the server is killed. */
			int cli = fork();
			if (cli == 0)
				_exit(echo_calls(s, 0, 1000000) ? 0 : 1);
			for (int i = 0; i < 50; i++)
				sched_yield();
			kill(srv, SIGKILL);
			waitpid(srv, NULL, 0);
			waitpid(cli, NULL, 0);
			m.tag = OP_ECHO;
			EXPECT_EQ(t, E(ipc_call(s, &m)), -EPIPE);
		} else {
			stop_server(t, s, srv);
		}
		handle_close(s);
		handle_close(n);
	}
	unsigned long long after = free_pages_settled(before);
	if (after < before)
		printf("    # %s: %llu pages missing after the storm\n", t->name, before - after);
	EXPECT_TRUE(t, after >= before);
	ASSERT_TRUE(t, sysinfo(&si) == 0);
	EXPECT_EQ(t, si.nr_kobjs, kobjs);
}

static const struct ucase ipc_cases[] = {
	{ "call_reply_pairing", call_reply_pairing },
	{ "many_clients", many_clients },
	{ "timeouts", timeouts },
	{ "handle_errors", handle_errors },
	{ "handle_transfer", handle_transfer },
	{ "server_death_epipe", server_death_epipe },
	{ "client_death_harmless", client_death_harmless },
	{ "no_leak_after_storm", no_leak_after_storm },
	{ NULL, NULL },
};

static const struct usuite suites[] = {
	{ "ulib", lib_cases },
	{ "usyscall", syscall_cases },
	{ "uaccess", uaccess_cases },
	{ "ufault", fault_cases },
	{ "uproc", proc_cases },
	{ "umm", mm_cases },
	{ "ulimit", limit_cases },
	{ "uipc", ipc_cases },
};
#define NR_SUITES (int)(sizeof(suites) / sizeof(suites[0]))

static int selected(const char *glob, const struct usuite *s, const struct ucase *c)
{
	char full[96];
	snprintf(full, sizeof(full), "%s.%s", s->name, c->name);
	return glob_match(glob, full);
}

/* --argv-sum: the helper exec'd by exec_passes_argv_envp. */
static int argv_sum(int argc, char **argv, char **envp)
{
	int sum = argc * 10, envc = 0;
	for (int i = 2; i < argc; i++)
		sum += (int)strlen(argv[i]);
	while (envp[envc])
		envc++;
	return sum + envc * 50;
}

int main(int argc, char **argv, char **envp)
{
	if (argc > 1 && !strcmp(argv[1], "--argv-sum"))
		return argv_sum(argc, argv, envp);
	const char *glob = argc > 1 ? argv[1] : "*";
	int nsuites = 0, passed = 0, failed = 0, skipped = 0;
	for (int i = 0; i < NR_SUITES; i++)
		for (const struct ucase *c = suites[i].cases; c->name; c++)
			if (selected(glob, &suites[i], c)) {
				nsuites++;
				break;
			}
	printf("KTAP version 1\n1..%d\n", nsuites);
	for (int i = 0, suite_no = 0; i < NR_SUITES; i++) {
		const struct usuite *s = &suites[i];
		int n = 0, case_no = 0, suite_failed = 0;
		for (const struct ucase *c = s->cases; c->name; c++)
			n += selected(glob, s, c);
		if (!n)
			continue;
		printf("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", s->name, n);
		for (const struct ucase *c = s->cases; c->name; c++) {
			if (!selected(glob, s, c))
				continue;
			struct utest t = { .name = c->name };
			c->run(&t);
			if (t.failures) {
				printf("    not ok %d %s\n", ++case_no, c->name);
				failed++;
				suite_failed++;
			} else if (t.skip) {
				printf("    ok %d %s # SKIP %s\n", ++case_no, c->name, t.skip);
				skipped++;
			} else {
				printf("    ok %d %s\n", ++case_no, c->name);
				passed++;
			}
		}
		printf("%s %d %s\n", suite_failed ? "not ok" : "ok", ++suite_no, s->name);
	}
	printf("# usertests: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
