/* Monitor commands run as a user would type them; their output is checked. */
#include <pagoda/ktest.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>

static char out[4096];

static int run(const char *line)
{
	console_capture_start(out, sizeof(out));
	int ret = monitor_exec(line);
	console_capture_stop();
	return ret;
}

static void help_lists_every_command(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, run("help"), 0);
	for (const struct monitor_cmd *c = __monitor_cmds_start; c < __monitor_cmds_end; c++)
		KTEST_EXPECT_NOT_NULL(t, strstr(out, c->name));
	KTEST_EXPECT_EQ(t, run("help mem"), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "memory map"));
}

static void unknown_command(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, run("frobnicate now"), -1);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "unknown command 'frobnicate'"));
	KTEST_EXPECT_EQ(t, run("   "), 0);
}

static void mem_and_cpuinfo(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, run("mem"), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "usable"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "MiB usable"));
	KTEST_EXPECT_EQ(t, run("cpuinfo"), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "vendor"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "TSC"));
}

static void bt_shows_the_path(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, run("bt"), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "monitor_exec+0x"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "ktest_run_selected+0x"));
}

static void irqs_counts_the_timer(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, run("irqs"), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "timer"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "serial"));
}

static struct ktest_case monitor_cases[] = {
	KTEST_CASE(help_lists_every_command),
	KTEST_CASE(unknown_command),
	KTEST_CASE(mem_and_cpuinfo),
	KTEST_CASE(bt_shows_the_path),
	KTEST_CASE(irqs_counts_the_timer),
	{}
};
KTEST_SUITE(monitor, monitor_cases);
