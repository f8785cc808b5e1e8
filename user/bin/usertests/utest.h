/*
 * usertests' shared part: the case and suite types, the EXPECT macros, and
 * the helpers every suite uses (helpers.c). One file per suite beside it;
 * main.c runs them (see main.c for the KTAP it prints).
 */
#ifndef USERTESTS_UTEST_H
#define USERTESTS_UTEST_H

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
#include "../../lib/syscall.h"

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

/* main.c: the arguments, NULL-terminated (globs, and name=value settings). */
extern char **usertests_args;

/* helpers.c */
int in_child(void (*fn)(void));
void *map(size_t pages, int prot);
void *hole(void);
struct proc_stat self_stat(void);
/* pid is asleep ('S': in a system call's wait), looked for up to `looks`
 * times with a yield between: bounded by a count of looks, never by time. */
bool until_sleeping(int pid, int looks);
/* The next number of a xorshift sequence (state: its seed, never 0):
 * reproducible from the seed a fuzzing case prints. */
unsigned long xorshift(unsigned long *state);
unsigned long long free_pages_settled(unsigned long long want);
/* A leak check's two figures: kernel objects alive, free pages (settled). */
struct leak_mark {
	unsigned int kobjs;
	unsigned long long pages;
};
/* Take them now (after a warm-up round has filled the caches). */
void leak_mark(struct leak_mark *m);
/* Fail t if a page is missing or a kernel object more or less than at m. */
void expect_no_leak(struct utest *t, const struct leak_mark *m);
bool cpu_has_nx(void);
const char *no_nx_reason(void);
/* execve in a forked child: 0 if the program ran, else -errno of the exec. */
long exec_in_child(const char *path, char *const *argv, char *const *envp);
extern char *const true_argv[], *const no_env[];
/* fn, in a forked child, must end by signal sig. */
void expect_killed(struct utest *t, void (*fn)(void), int sig);

/* nosenders.c: uipc's no-senders cases (listed in ipc.c's table). */
void nosenders_child_exit(struct utest *t);
void nosenders_dup_and_fork(struct utest *t);
void nosenders_transfer_fails(struct utest *t);
void nosenders_never_given(struct utest *t);
void nosenders_no_leak(struct utest *t);

/* The suites, one file each. */
extern const struct ucase lib_cases[], syscall_cases[], uaccess_cases[], fault_cases[],
	proc_cases[], mm_cases[], limit_cases[], ipc_cases[], reply_cases[], memobj_cases[],
	handles_cases[], pipe_cases[], pager_cases[], device_cases[], blk_cases[], ahcid_cases[], cons_cases[],
	fuzz_cases[], mount_cases[], exec_memobj_cases[], root_cases[], ufd_cases[], fs_cases[],
	ufd_ext2_cases[];
/* exec_memobj.c: a static ELF exiting with code, TINY_ELF_SIZE bytes,
 * into f (three pages, zeroed by the caller). */
#define TINY_ELF_SIZE (2 * 4096 + 0x10 + 16)
void make_tiny(unsigned char *f, int code);
/* ufd.c: the program side of ufd.cloexec_across_exec (usertests --fds-check). */
int ufd_fds_check(int argc, char **argv);
int ufd_cwd_check(int argc, char **argv);
int ufd_exec_mo_check(int argc, char **argv);

#endif
