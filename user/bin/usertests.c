/*
 * usertests: the user-space test suite. It reports KTAP version 1, the same
 * format as the kernel's ktest runner (kernel/ktest.c), so
 * tools/ktest/ktap.py judges both: one suite per group of cases, "ok N name"
 * or "not ok N name" per case, "# ..." diagnostics. A skeleton for now: the
 * library's pure code, and the system calls' error conventions (which hold
 * even before any call is implemented: unknown and reserved numbers are
 * -ENOSYS). The cases of issue #14 (bad pointers, faults, fork/exec/wait,
 * COW, demand paging, mmap...) go here as the kernel gains them.
 *
 *   usertests [glob]   run the cases whose suite.case matches (default all)
 */
#include <errno.h>
#include <pagoda_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../lib/syscall.h"

struct utest {
	const char *name;
	int failures;
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
	EXPECT_EQ(t, snprintf(buf, sizeof(buf), "%d|%5s|%#x", -7, "ab", 255), 16);
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

static const struct ucase lib_cases[] = {
	{ "strtol_bases", strtol_bases },
	{ "snprintf_formats", snprintf_formats },
	{ "malloc_reuses_and_merges", malloc_reuses_and_merges },
	{ NULL, NULL },
};

/* ---- the system-call conventions ---- */

static void getpid_positive(struct utest *t)
{
	EXPECT_TRUE(t, getpid() > 0);
}

static void unknown_number_is_enosys(struct utest *t)
{
	EXPECT_EQ(t, syscall0(__NR_syscalls), -ENOSYS);
	EXPECT_EQ(t, syscall0(-1L), -ENOSYS);
	EXPECT_EQ(t, syscall0(__NR_ipc_call), -ENOSYS);   /* reserved for issue #15 */
}

static void debug_write_bad_pointer(struct utest *t)
{
	EXPECT_EQ(t, syscall2(__NR_debug_write, NULL, 1), -EFAULT);
	errno = 0;
	EXPECT_EQ(t, debug_write(NULL, 1), -1);
	EXPECT_EQ(t, errno, EFAULT);
}

static const struct ucase syscall_cases[] = {
	{ "getpid_positive", getpid_positive },
	{ "unknown_number_is_enosys", unknown_number_is_enosys },
	{ "debug_write_bad_pointer", debug_write_bad_pointer },
	{ NULL, NULL },
};

static const struct usuite suites[] = {
	{ "ulib", lib_cases },
	{ "usyscall", syscall_cases },
};
#define NR_SUITES (int)(sizeof(suites) / sizeof(suites[0]))

static int selected(const char *glob, const struct usuite *s, const struct ucase *c)
{
	char full[96];
	snprintf(full, sizeof(full), "%s.%s", s->name, c->name);
	return glob_match(glob, full);
}

int main(int argc, char **argv)
{
	const char *glob = argc > 1 ? argv[1] : "*";
	int nsuites = 0, passed = 0, failed = 0;
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
			printf("    %s %d %s\n", t.failures ? "not ok" : "ok", ++case_no, c->name);
			if (t.failures) {
				failed++;
				suite_failed++;
			} else {
				passed++;
			}
		}
		printf("%s %d %s\n", suite_failed ? "not ok" : "ok", ++suite_no, s->name);
	}
	printf("# usertests: %d passed, %d failed, 0 skipped\n", passed, failed);
	return failed ? 1 : 0;
}
