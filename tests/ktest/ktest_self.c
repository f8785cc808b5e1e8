/* ktest checks itself: the listing, and that expectations really fail. */
#include <pagoda/ktest.h>
#include <pagoda/printk.h>

static char out[16384];        /* the whole ktest=list output: it grows with every suite */

static void list_names_every_case(struct ktest *t)
{
	console_capture_start(out, sizeof(out));
	ktest_list();
	console_capture_stop();
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "ktest: boot.e820_first_last_word\n"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "ktest: oops.null_dereference  [expect-panic: BUG: kernel NULL pointer dereference]"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "ktest: end of list"));
}

/* Run expectations against a scratch ktest: failures must be counted. */
static void expectations_fail_when_false(struct ktest *t)
{
	struct ktest scratch = { .name = "scratch" };
	int a = 2;
	console_capture_start(out, sizeof(out));
	KTEST_EXPECT_EQ(&scratch, a, 3);
	KTEST_EXPECT_TRUE(&scratch, a == 3);
	KTEST_EXPECT_NULL(&scratch, &a);
	KTEST_EXPECT_STREQ(&scratch, "abc", "abd");
	KTEST_EXPECT_MEMEQ(&scratch, "abc", "abd", 3);
	KTEST_EXPECT_IN_RANGE(&scratch, a, 5, 9);
	KTEST_EXPECT_EQ(&scratch, a, 2);
	console_capture_stop();
	KTEST_EXPECT_EQ(t, scratch.failures, 6);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "Expected a == 3, but"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "byte 2 differs: 0x63 != 0x64"));
}

static struct ktest_case ktest_self_cases[] = {
	KTEST_CASE(list_names_every_case),
	KTEST_CASE(expectations_fail_when_false),
	{}
};
KTEST_SUITE(ktest_self, ktest_self_cases);
