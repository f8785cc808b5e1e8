/*
 * usertests: the user-space test suite (issue #14). It reports KTAP
 * version 1, the same format as the kernel's ktest runner (kernel/ktest.c),
 * so tools/ktest/ktap.py judges both: one suite per group of cases, "ok N
 * name", "not ok N name" or "ok N name # SKIP why" per case, "# ..."
 * diagnostics. A case that must die (a fault) runs in a forked child and
 * the parent checks how it ended (WTERMSIG); nothing waits for a time:
 * every loop that waits for the kernel is bounded by a count.
 *
 *   usertests [glob]...   run the cases whose suite.case matches one (default all);
 *                         an argument name=value is no glob but a setting for a
 *                         suite (ahcid=--noncq,--dma32: uahcid's server options);
 *                         !glob leaves out the cases it matches (a boot that
 *                         need not repeat a slow case another boot runs)
 *   usertests --argv-sum ARGS...   (a helper exec'd by the exec cases)
 *   usertests --fds-check FD H FD  (a helper exec'd by ufd.cloexec_across_exec)
 *   usertests --cwd-check DIR      (a helper exec'd by ufd.mounted_paths)
 *   usertests --exec-mo-check      (a helper exec'd from a file system by ufd.exec_from_fs)
 *   usertests --serve PATH         a fake file system at PATH (the shell's file tests)
 */
#include "utest.h"
#include "fakefs.h"

static const struct usuite suites[] = {
	{ "ulib", lib_cases },
	{ "usyscall", syscall_cases },
	{ "uaccess", uaccess_cases },
	{ "ufault", fault_cases },
	{ "uproc", proc_cases },
	{ "umm", mm_cases },
	{ "ulimit", limit_cases },
	{ "uipc", ipc_cases },
	{ "ureply", reply_cases },
	{ "umemobj", memobj_cases },
	{ "uhandles", handles_cases },
	{ "upipe", pipe_cases },
	{ "upager", pager_cases },
	{ "udev", device_cases },
	{ "uahcid", ahcid_cases },      /* before ublk: names ahcid "blk0" for it */
	{ "ublk", blk_cases },
	{ "ucons", cons_cases },
	{ "umount", mount_cases },
	{ "uexec", exec_memobj_cases },
	{ "uroot", root_cases },
	{ "ufd", ufd_cases },
	{ "ufdx", ufd_ext2_cases },     /* the fd layer on /mnt/sda's ext2d, if mounted */
	{ "ufuzz", fuzz_cases },
	{ "ufs", fs_cases },
};
#define NR_SUITES (int)(sizeof(suites) / sizeof(suites[0]))

static char **globs;             /* NULL-terminated; none: every case */
char **usertests_args;

static int selected(const struct usuite *s, const struct ucase *c)
{
	char full[96];
	snprintf(full, sizeof(full), "%s.%s", s->name, c->name);
	int nglobs = 0;
	for (char **g = globs; *g; g++)
		if (**g == '!' && glob_match(*g + 1, full))
			return 0;               /* left out, whatever else matches */
	for (char **g = globs; *g; g++) {
		if (strchr(*g, '=') || **g == '!')
			continue;               /* a setting or an exclusion */
		nglobs++;
		if (glob_match(*g, full))
			return 1;
	}
	return !nglobs;
}

/* The slowest cases of the run, for the last lines: where a boot's time
 * goes (docs/testing.md, the suite's wall time). */
#define SLOWEST 5
static struct { const char *suite, *name; unsigned long long ms; } slowest[SLOWEST];

static unsigned long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000 + (unsigned long long)ts.tv_nsec / 1000000;
}

static void note_time(const char *suite, const char *name, unsigned long long ms)
{
	int i = SLOWEST;
	while (i > 0 && slowest[i - 1].ms < ms)
		i--;
	if (i == SLOWEST)
		return;
	for (int j = SLOWEST - 1; j > i; j--)
		slowest[j] = slowest[j - 1];
	slowest[i].suite = suite;
	slowest[i].name = name;
	slowest[i].ms = ms;
}

/* --argv-sum: the helper exec'd by exec_passes_argv_envp. */
static int argv_sum(int argc, char **argv, char **envp)
{
	int sum = argc * 10, envc = 0;
	for (int i = 2; i < argc; i++)
		sum += (int)strlen(argv[i]);
	/* FDS and PWD are the library's own (the fd table and the cwd an
	 * execve passes on: docs/user-space.md), not the caller's envp. */
	for (char **e = envp; *e; e++)
		envc += strncmp(*e, "FDS=", 4) && strncmp(*e, "PWD=", 4);
	return sum + envc * 50;
}

int main(int argc, char **argv, char **envp)
{
	if (argc > 1 && !strcmp(argv[1], "--argv-sum"))
		return argv_sum(argc, argv, envp);
	if (argc > 1 && !strcmp(argv[1], "--fds-check"))
		return ufd_fds_check(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "--serve"))
		return fakefs_serve(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "--exec-mo-check"))
		return ufd_exec_mo_check(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "--cwd-check"))
		return ufd_cwd_check(argc, argv);
	globs = usertests_args = argv + 1;
	int nsuites = 0, passed = 0, failed = 0, skipped = 0;
	for (int i = 0; i < NR_SUITES; i++)
		for (const struct ucase *c = suites[i].cases; c->name; c++)
			if (selected(&suites[i], c)) {
				nsuites++;
				break;
			}
	printf("KTAP version 1\n1..%d\n", nsuites);
	for (int i = 0, suite_no = 0; i < NR_SUITES; i++) {
		const struct usuite *s = &suites[i];
		int n = 0, case_no = 0, suite_failed = 0;
		for (const struct ucase *c = s->cases; c->name; c++)
			n += selected(s, c);
		if (!n)
			continue;
		printf("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", s->name, n);
		for (const struct ucase *c = s->cases; c->name; c++) {
			if (!selected(s, c))
				continue;
			struct utest t = { .name = c->name };
			unsigned long long t0 = now_ms();
			c->run(&t);
			note_time(s->name, c->name, now_ms() - t0);
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
	printf("# usertests: slowest cases:");
	for (int i = 0; i < SLOWEST && slowest[i].name; i++)
		printf(" %s.%s %llu ms%s", slowest[i].suite, slowest[i].name, slowest[i].ms,
		       i + 1 < SLOWEST && slowest[i + 1].name ? "," : "");
	printf("\n# usertests: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
