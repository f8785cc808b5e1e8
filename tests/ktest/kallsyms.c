/* The embedded symbol table agrees with the functions it names. */
#include <pagoda/ktest.h>
#include <pagoda/kallsyms.h>
#include <pagoda/sections.h>

extern void start_kernel(unsigned long, const void *);
extern void panic(const char *fmt, ...);

static void lookup_by_address(struct ktest *t)
{
	unsigned long off, size;
	const char *name = kallsyms_lookup((unsigned long)start_kernel + 5, &off, &size);
	KTEST_ASSERT_NOT_NULL(t, name);
	KTEST_EXPECT_STREQ(t, name, "start_kernel");
	KTEST_EXPECT_EQ(t, off, 5);
	KTEST_EXPECT_GT(t, size, 5);
	KTEST_EXPECT_NULL(t, kallsyms_lookup((unsigned long)_etext + 0x100, NULL, NULL));
	KTEST_EXPECT_NULL(t, kallsyms_lookup(0x1000, NULL, NULL));
}

static void lookup_by_name(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, kallsyms_lookup_name("panic"), (unsigned long)panic);
	KTEST_EXPECT_EQ(t, kallsyms_lookup_name("no_such_function_here"), 0);
}

/* Every symbol's range lies in the text and the table is sorted. */
static void table_consistent(struct ktest *t)
{
	unsigned long n = kallsyms_count();
	KTEST_ASSERT_GT(t, n, 50);
	unsigned long off;
	for (unsigned long a = (unsigned long)_text + 0x40; a < (unsigned long)_etext; a += 0x101) {
		const char *name = kallsyms_lookup(a, &off, NULL);
		if (name)
			KTEST_EXPECT_EQ(t, kallsyms_lookup_name(name) + off, a);
	}
}

static struct ktest_case kallsyms_cases[] = {
	KTEST_CASE(lookup_by_address),
	KTEST_CASE(lookup_by_name),
	KTEST_CASE(table_consistent),
	{}
};
KTEST_SUITE(kallsyms, kallsyms_cases);
