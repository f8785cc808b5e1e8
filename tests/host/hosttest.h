/*
 * hosttest.h - the few check macros every tests/host/test_*.c uses.
 *
 * A failed check prints file:line and what differed, and the test goes on;
 * main() ends with `return ht_finish();`, which prints a summary line and
 * returns 1 if any check failed.  Sanitizer reports abort the program at
 * once (-fno-sanitize-recover=all), which also fails the test.
 */
#ifndef HOSTTEST_H
#define HOSTTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ht_checks, ht_failed;

static inline int ht_fail_at(const char *file, int line)
{
	ht_failed++;
	fprintf(stderr, "%s:%d: FAILED: ", file, line);
	return 0;
}

#define CHECK(cond) do { \
	ht_checks++; \
	if (!(cond)) { \
		ht_fail_at(__FILE__, __LINE__); \
		fprintf(stderr, "%s\n", #cond); \
	} \
} while (0)

/* CHECK with a printf-style explanation of the failing case. */
#define CHECKF(cond, ...) do { \
	ht_checks++; \
	if (!(cond)) { \
		ht_fail_at(__FILE__, __LINE__); \
		fprintf(stderr, "%s: ", #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

#define CHECK_EQ(a, b) do { \
	long long ht_a = (long long)(a), ht_b = (long long)(b); \
	CHECKF(ht_a == ht_b, "%lld != %lld", ht_a, ht_b); \
} while (0)

#define CHECK_STREQ(a, b) do { \
	const char *ht_a = (a), *ht_b = (b); \
	CHECKF(ht_a && ht_b && strcmp(ht_a, ht_b) == 0, "\"%s\" != \"%s\"", \
	       ht_a ? ht_a : "(NULL)", ht_b ? ht_b : "(NULL)"); \
} while (0)

/* hay contains needle as a substring. */
#define CHECK_CONTAINS(hay, needle) do { \
	const char *ht_h = (hay), *ht_n = (needle); \
	CHECKF(ht_h && strstr(ht_h, ht_n), "\"%s\" lacks \"%s\"", \
	       ht_h ? ht_h : "(NULL)", ht_n); \
} while (0)

/* Print "<program>: N checks, M failed" and give main()'s exit status. */
#define ht_finish() ht_finish_(__FILE__)
static inline int ht_finish_(const char *file)
{
	const char *name = strrchr(file, '/');
	name = name ? name + 1 : file;
	printf("%s: %d checks, %d failed\n", name, ht_checks, ht_failed);
	if (ht_checks == 0) {
		printf("%s: no checks ran\n", name);
		return 1;
	}
	return ht_failed ? 1 : 0;
}

#endif
