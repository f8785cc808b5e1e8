/* The command-line parser over the real option table. */
#include <pagoda/ktest.h>
#include <pagoda/cmdline.h>
#include <pagoda/printk.h>

static void known_option_applies(struct ktest *t)
{
	int saved = console_loglevel;
	KTEST_EXPECT_EQ(t, cmdline_parse("loglevel=2"), 0);
	KTEST_EXPECT_EQ(t, console_loglevel, 2);
	KTEST_EXPECT_EQ(t, cmdline_parse("  loglevel=7   "), 0);
	KTEST_EXPECT_EQ(t, console_loglevel, 7);
	console_loglevel = saved;
}

static void unknown_and_bad_are_counted(struct ktest *t)
{
	char cap[1024];
	int saved = console_loglevel;
	console_capture_start(cap, sizeof(cap));
	int errors = cmdline_parse("nosuchopt=1 loglevel=eight loglevel=99 loglevel");
	console_capture_stop();
	KTEST_EXPECT_EQ(t, errors, 4);
	KTEST_EXPECT_EQ(t, console_loglevel, saved);
	KTEST_EXPECT_NOT_NULL(t, strstr(cap, "unknown option 'nosuchopt'"));
	KTEST_EXPECT_NOT_NULL(t, strstr(cap, "valid options:"));
	KTEST_EXPECT_NOT_NULL(t, strstr(cap, "got 'eight'"));
	console_loglevel = saved;
}

static void leading_path_is_skipped(struct ktest *t)
{
	int saved = console_loglevel;
	KTEST_EXPECT_EQ(t, cmdline_parse("/boot/kernel.elf loglevel=4"), 0);
	KTEST_EXPECT_EQ(t, console_loglevel, 4);
	console_loglevel = saved;
}

static void table_is_sorted_and_documented(struct ktest *t)
{
	int n = 0;
	for (const struct cmdline_option *o = __cmdline_opts_start; o < __cmdline_opts_end; o++, n++) {
		KTEST_EXPECT_GT(t, strlen(o->help), 10);
		if (o + 1 < __cmdline_opts_end)
			KTEST_EXPECT_LT(t, strcmp(o->name, o[1].name), 0);
	}
	KTEST_EXPECT_GE(t, n, 3);
}

static struct ktest_case cmdline_cases[] = {
	KTEST_CASE(known_option_applies),
	KTEST_CASE(unknown_and_bad_are_counted),
	KTEST_CASE(leading_path_is_skipped),
	KTEST_CASE(table_is_sorted_and_documented),
	{}
};
KTEST_SUITE(cmdline, cmdline_cases);
