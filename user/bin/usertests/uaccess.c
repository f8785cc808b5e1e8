/* usertests, suite uaccess: bad pointers: every pointer-taking call. */
#include "utest.h"

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

const struct ucase uaccess_cases[] = {
	{ "bad_pointer_matrix", bad_pointer_matrix },
	{ "unterminated_path", unterminated_path },
	{ "overlong_strings", overlong_strings },
	{ NULL, NULL },
};
