/* Monitor commands run as a user would type them; their output is checked. */
#include <pagoda/ktest.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/time.h>
#include <pagoda/errno.h>
#include <pagoda/gfp.h>
#include <pagoda/mm.h>
#include <pagoda/mmzone.h>
#include <pagoda/percpu.h>
#include <pagoda/smp.h>
#include <asm/processor.h>
#include <pagoda/sprintf.h>
#include <pagoda/sections.h>
#include <asm/page.h>

static char out[8192];   /* help lists every command: room to grow */

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

/* pt and v2p agree with __pa() for the kernel image and the direct map. */
static void pt_and_v2p_walk(struct ktest *t)
{
	char cmd[64], want[64];
	/* monitor_exec's page: text that has surely run through the final
	 * page tables (it runs this command), so its accessed bit is set
	 * whatever the link order puts on _text's first page. */
	const char *text = (const char *)monitor_exec;
	snprintf(cmd, sizeof(cmd), "pt %p", (void *)text);
	snprintf(want, sizeof(want), "=> physical address %#llx", (unsigned long long)__pa(text));
	KTEST_EXPECT_EQ(t, run(cmd), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, want));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, " P A G "));       /* text: not writable */

	snprintf(cmd, sizeof(cmd), "v2p %p", (char *)__va(0x100000) + 0x123);
	KTEST_EXPECT_EQ(t, run(cmd), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "-> 0x100123"));

	KTEST_EXPECT_EQ(t, run("pt 0"), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "not mapped: an access would page-fault"));
	KTEST_EXPECT_NE(t, run("pt"), 0);
	KTEST_EXPECT_NE(t, run("v2p zzz"), 0);
}

/* Lab 0: the uptime command exists and prints both clocks. */
static void uptime_command(struct ktest *t)
{
	/* Right after boot the first tick may not have come yet: wait for it
	 * (bounded), so that both clocks have something to say. */
	u64 deadline = ktime_get_ns() + 2000000000ULL;
	while (!jiffies && ktime_get_ns() < deadline)
		safe_halt();
	KTEST_ASSERT_EQ(t, run("uptime"), 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "up "));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, " jiffies at 100 Hz"));
	unsigned long long tsc_s, tsc_ms, j;
	const char *p = strstr(out, "up ");
	KTEST_ASSERT_NOT_NULL(t, p);
	/* "up S.MMM s (TSC), J jiffies at 100 Hz = ..." */
	char num[24];
	int n = 0;
	for (p += 3; *p && *p != '.' && n < 20; )
		num[n++] = *p++;
	num[n] = '\0';
	KTEST_ASSERT_EQ(t, parse_ulong(num, &tsc_s, false), 0);
	n = 0;
	for (p++; *p >= '0' && *p <= '9' && n < 20; )
		num[n++] = *p++;
	num[n] = '\0';
	KTEST_ASSERT_EQ(t, parse_ulong(num, &tsc_ms, false), 0);
	p = strstr(p, "), ");
	KTEST_ASSERT_NOT_NULL(t, p);
	n = 0;
	for (p += 3; *p >= '0' && *p <= '9' && n < 20; )
		num[n++] = *p++;
	num[n] = '\0';
	KTEST_ASSERT_EQ(t, parse_ulong(num, &j, false), 0);
	/* Both clocks have run since boot; how far apart they are depends on
	 * how promptly QEMU delivered the ticks, so it is not asserted. */
	KTEST_EXPECT_GT(t, tsc_s * 1000 + tsc_ms, 0);
	KTEST_EXPECT_GT(t, j, 0);
}

/* pcp is the per-CPU caches' tunable: it refuses a size that would break
 * them, and what it sets is what every CPU's cache then has. */
static void pcp_tunable(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, run("pcp 0 1"), MON_USAGE);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "high"));
	KTEST_EXPECT_EQ(t, run("pcp 4 8"), MON_USAGE);          /* batch above high */
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "batch"));
	KTEST_EXPECT_EQ(t, run("pcp 99999 1"), MON_USAGE);
	KTEST_EXPECT_EQ(t, pcp_set_high_batch(4, 8), -EINVAL);  /* the API refuses it too */
	KTEST_ASSERT_EQ(t, run("pcp 8 3"), MON_OK);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "high 8, batch 3"));
	int cpu;
	for_each_online_cpu(cpu)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			KTEST_EXPECT_EQ(t, per_cpu_ptr(zones[z].per_cpu_pageset, cpu)->high, 8);
			KTEST_EXPECT_EQ(t, per_cpu_ptr(zones[z].per_cpu_pageset, cpu)->batch, 3);
		}
	/* Pages still come and go through the small caches. */
	struct page *p = alloc_page(GFP_KERNEL);
	KTEST_EXPECT_NOT_NULL(t, p);
	if (p)
		__free_page(p);
	KTEST_EXPECT_EQ(t, run("pcp reset"), MON_OK);
	KTEST_EXPECT_NULL(t, strstr(out, "high 8,"));
	KTEST_EXPECT_EQ(t, run("pcp"), MON_OK);
}

static struct ktest_case monitor_cases[] = {
	KTEST_CASE(uptime_command),
	KTEST_CASE(pt_and_v2p_walk),
	KTEST_CASE(help_lists_every_command),
	KTEST_CASE(unknown_command),
	KTEST_CASE(mem_and_cpuinfo),
	KTEST_CASE(bt_shows_the_path),
	KTEST_CASE(irqs_counts_the_timer),
	KTEST_CASE(pcp_tunable),
	{}
};
KTEST_SUITE(monitor, monitor_cases);
