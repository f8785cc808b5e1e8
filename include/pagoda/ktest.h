/*
 * ktest: in-kernel tests in the KUnit style. A suite is an array of cases
 * registered in a linker section; the command line selects cases by glob
 * (`ktest=buddy*,slab.kmalloc_*`, `ktest=list`) and the results go to COM1
 * as KTAP version 1. Then the kernel leaves QEMU with pass or fail status.
 *
 *   static void my_case(struct ktest *t)
 *   {
 *       KTEST_EXPECT_EQ(t, 1 + 1, 2);        // records a failure, goes on
 *       KTEST_ASSERT_NOT_NULL(t, ptr);       // records it and returns
 *   }
 *   static struct ktest_case my_cases[] = { KTEST_CASE(my_case), {} };
 *   KTEST_SUITE(mysuite, my_cases);
 *
 * A case that must panic is declared with KTEST_PANIC_CASE(fn, "text"): it
 * runs only when selected alone, prints `# expect-panic: text`, and the test
 * runner passes it when that panic report appears.
 */
#ifndef PAGODA_KTEST_H
#define PAGODA_KTEST_H

#include <pagoda/compiler.h>
#include <pagoda/types.h>
#include <pagoda/string.h>

struct ktest {
	const char *name;
	int failures;
	const char *skip_reason;
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
	const char *expect_panic;       /* NULL: an ordinary case */
};

struct ktest_suite {
	const char *name;
	struct ktest_case *cases;       /* ended by an entry with name NULL */
	int (*init)(void);              /* optional, before the suite; non-zero skips it */
};

/* Table entries carry their natural alignment explicitly: otherwise the
 * compiler may align a larger object to 16 or 32 bytes, leaving gaps that
 * break the walk over the linker section as an array. */
#define KTEST_CASE(fn) { .name = #fn, .run = fn }
#define KTEST_PANIC_CASE(fn, text) { .name = #fn, .run = fn, .expect_panic = text }

#define KTEST_SUITE(sname, case_array) \
	static const struct ktest_suite __ktest_suite_##sname \
	__section(".ktest_suites." #sname) __used __aligned(__alignof__(struct ktest_suite)) = { .name = #sname, .cases = case_array }
#define KTEST_SUITE_INIT(sname, case_array, initfn) \
	static const struct ktest_suite __ktest_suite_##sname \
	__section(".ktest_suites." #sname) __used __aligned(__alignof__(struct ktest_suite)) = \
	{ .name = #sname, .cases = case_array, .init = initfn }

/* Failure reporting (kernel/ktest.c): prints KTAP diagnostics. */
void ktest_fail_int(struct ktest *t, const char *file, int line, const char *op,
		    const char *left, const char *right, long long lv, long long rv);
void ktest_fail_msg(struct ktest *t, const char *file, int line, const char *fmt, ...) __printf(4, 5);
void ktest_skip(struct ktest *t, const char *reason);

/* Literals like 0 meet u64 values here: the comparison is meant as written. */
#define __KTEST_BINOP(t, a, op, b, onfail) do { \
	__typeof__(a) __a = (a); __typeof__(b) __b = (b); \
	_Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wsign-compare\"") \
	bool __ok = __a op __b; \
	_Pragma("GCC diagnostic pop") \
	if (!__ok) { \
		ktest_fail_int(t, __FILE__, __LINE__, #op, #a, #b, (long long)__a, (long long)__b); \
		onfail; \
	} } while (0)

#define KTEST_EXPECT_EQ(t, a, b) __KTEST_BINOP(t, a, ==, b, (void)0)
#define KTEST_EXPECT_NE(t, a, b) __KTEST_BINOP(t, a, !=, b, (void)0)
#define KTEST_EXPECT_LT(t, a, b) __KTEST_BINOP(t, a, <, b, (void)0)
#define KTEST_EXPECT_LE(t, a, b) __KTEST_BINOP(t, a, <=, b, (void)0)
#define KTEST_EXPECT_GT(t, a, b) __KTEST_BINOP(t, a, >, b, (void)0)
#define KTEST_EXPECT_GE(t, a, b) __KTEST_BINOP(t, a, >=, b, (void)0)
#define KTEST_ASSERT_EQ(t, a, b) __KTEST_BINOP(t, a, ==, b, return)
#define KTEST_ASSERT_NE(t, a, b) __KTEST_BINOP(t, a, !=, b, return)
#define KTEST_ASSERT_LT(t, a, b) __KTEST_BINOP(t, a, <, b, return)
#define KTEST_ASSERT_LE(t, a, b) __KTEST_BINOP(t, a, <=, b, return)
#define KTEST_ASSERT_GT(t, a, b) __KTEST_BINOP(t, a, >, b, return)
#define KTEST_ASSERT_GE(t, a, b) __KTEST_BINOP(t, a, >=, b, return)

#define __KTEST_BOOL(t, cond, want, onfail) do { \
	if ((bool)(cond) != (want)) { \
		ktest_fail_msg(t, __FILE__, __LINE__, "Expected %s to be %s", #cond, (want) ? "true" : "false"); \
		onfail; \
	} } while (0)
#define KTEST_EXPECT_TRUE(t, c)  __KTEST_BOOL(t, c, true, (void)0)
#define KTEST_EXPECT_FALSE(t, c) __KTEST_BOOL(t, c, false, (void)0)
#define KTEST_ASSERT_TRUE(t, c)  __KTEST_BOOL(t, c, true, return)
#define KTEST_ASSERT_FALSE(t, c) __KTEST_BOOL(t, c, false, return)

#define __KTEST_PTR(t, p, wantnull, onfail) do { \
	const void *__p = (p); \
	if ((__p == NULL) != (wantnull)) { \
		ktest_fail_msg(t, __FILE__, __LINE__, "Expected %s %s NULL, but %s == %p", \
			       #p, (wantnull) ? "==" : "!=", #p, __p); \
		onfail; \
	} } while (0)
#define KTEST_EXPECT_NULL(t, p)      __KTEST_PTR(t, p, true, (void)0)
#define KTEST_EXPECT_NOT_NULL(t, p)  __KTEST_PTR(t, p, false, (void)0)
#define KTEST_ASSERT_NULL(t, p)      __KTEST_PTR(t, p, true, return)
#define KTEST_ASSERT_NOT_NULL(t, p)  __KTEST_PTR(t, p, false, return)

/* Integers only in the macros above; pointers compare with these. */
#define __KTEST_PTREQ(t, a, b, onfail) do { \
	const void *__a = (a), *__b = (b); \
	if (__a != __b) { \
		ktest_fail_msg(t, __FILE__, __LINE__, "Expected %s == %s, but %p != %p", #a, #b, __a, __b); \
		onfail; \
	} } while (0)
#define KTEST_EXPECT_PTR_EQ(t, a, b) __KTEST_PTREQ(t, a, b, (void)0)
#define KTEST_ASSERT_PTR_EQ(t, a, b) __KTEST_PTREQ(t, a, b, return)

#define __KTEST_STR(t, a, b, onfail) do { \
	const char *__a = (a), *__b = (b); \
	if (strcmp(__a, __b)) { \
		ktest_fail_msg(t, __FILE__, __LINE__, "Expected %s == %s, but\n    #   %s == \"%s\"\n    #   %s == \"%s\"", \
			       #a, #b, #a, __a, #b, __b); \
		onfail; \
	} } while (0)
#define KTEST_EXPECT_STREQ(t, a, b) __KTEST_STR(t, a, b, (void)0)
#define KTEST_ASSERT_STREQ(t, a, b) __KTEST_STR(t, a, b, return)

/* Compare n bytes; the report shows the first differing offset and bytes. */
void ktest_fail_mem(struct ktest *t, const char *file, int line, const char *a, const char *b,
		    const void *pa, const void *pb, size_t n);
#define KTEST_EXPECT_MEMEQ(t, a, b, n) do { \
	if (memcmp((a), (b), (n))) ktest_fail_mem(t, __FILE__, __LINE__, #a, #b, (a), (b), (n)); } while (0)

#define KTEST_EXPECT_IN_RANGE(t, v, lo, hi) do { \
	long long __v = (long long)(v), __lo = (long long)(lo), __hi = (long long)(hi); \
	if (__v < __lo || __v > __hi) \
		ktest_fail_msg(t, __FILE__, __LINE__, "Expected %s in [%lld, %lld], but it is %lld (0x%llx)", \
			       #v, __lo, __hi, __v, (unsigned long long)__v); \
	} while (0)

/* Run the cases selected by the ktest= option, report, and leave QEMU. */
__noreturn void ktest_run_selected(void);
/* Run and report them without leaving (a boot that goes on to init=):
 * the number of failed cases. */
int ktest_run(void);
/* Print every suite.case, marking expected-panic cases (ktest=list). */
void ktest_list(void);
/* The seed randomized suites start from: ktest_seed= on the command line,
 * else a new one each boot; the KTAP header prints it. */
u64 ktest_seed(void);
/* True if the command line asked for tests. */
bool ktest_requested(void);
/* panic() calls this so the log says which case panicked and what it expected. */
void ktest_note_panic(void);

extern const struct ktest_suite __ktest_suites_start[], __ktest_suites_end[];

#endif
