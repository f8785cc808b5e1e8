/* printk's formatter on the target itself (the host tests cover it in depth). */
#include <pagoda/ktest.h>
#include <pagoda/sprintf.h>
#include <pagoda/printk.h>
#include <pagoda/kallsyms.h>

static void integers_and_widths(struct ktest *t)
{
	char b[64];
	snprintf(b, sizeof(b), "%d|%5d|%-5d|%05d|%u|%x|%X|%#x", -42, 42, 42, -42, 4000000000u, 0xbeef, 0xbeef, 255);
	KTEST_EXPECT_STREQ(t, b, "-42|   42|42   |-0042|4000000000|beef|BEEF|0xff");
	snprintf(b, sizeof(b), "%lx|%llx|%zu|%lld", 0x1234abcdUL, 0xfedcba9876543210ULL, (size_t)77, -9000000000LL);
	KTEST_EXPECT_STREQ(t, b, "1234abcd|fedcba9876543210|77|-9000000000");
}

static void strings_chars_pointers(struct ktest *t)
{
	char b[64];
	snprintf(b, sizeof(b), "[%s][%8s][%-4s][%.2s][%c]", "abc", "right", "l", "trunc", 'Z');
	KTEST_EXPECT_STREQ(t, b, "[abc][   right][l   ][tr][Z]");
	snprintf(b, sizeof(b), "%p", (void *)0x1000);
	KTEST_EXPECT_EQ(t, strlen(b), sizeof(void *) * 2);
	KTEST_EXPECT_EQ(t, b[strlen(b) - 4], '1');
}

static void truncation_returns_full_length(struct ktest *t)
{
	char b[8];
	int n = snprintf(b, sizeof(b), "%s", "0123456789");
	KTEST_EXPECT_EQ(t, n, 10);
	KTEST_EXPECT_STREQ(t, b, "0123456");
}

static void symbol_format(struct ktest *t)
{
	extern void start_kernel(unsigned long, const void *);
	char b[96];
	snprintf(b, sizeof(b), "%pS", (void *)((unsigned long)start_kernel + 3));
	KTEST_EXPECT_EQ(t, strncmp(b, "start_kernel+0x3/0x", 19), 0);
}

static char recorded[256];
static size_t recorded_len;

static void record_console(const char *s, size_t n)
{
	for (size_t i = 0; i < n && recorded_len + 1 < sizeof(recorded); i++)
		recorded[recorded_len++] = s[i];
	recorded[recorded_len] = '\0';
}

/* Messages above the console loglevel reach the log but not the console. */
static void loglevel_filters_console(struct ktest *t)
{
	char cap[256];
	int saved = console_loglevel;
	recorded_len = 0;
	recorded[0] = '\0';
	console_capture_start(cap, sizeof(cap));
	void (*serial)(const char *, size_t) = console_register(record_console);
	console_loglevel = 3;
	printk(KERN_ERR "err-line\n");
	printk(KERN_DEBUG "debug-line\n");
	console_loglevel = saved;
	console_register(serial);
	console_capture_stop();
	KTEST_EXPECT_NOT_NULL(t, strstr(recorded, "err-line"));
	KTEST_EXPECT_NULL(t, strstr(recorded, "debug-line"));
	KTEST_EXPECT_NOT_NULL(t, strstr(cap, "debug-line"));
}

static struct ktest_case printk_cases[] = {
	KTEST_CASE(integers_and_widths),
	KTEST_CASE(strings_chars_pointers),
	KTEST_CASE(truncation_returns_full_length),
	KTEST_CASE(symbol_format),
	KTEST_CASE(loglevel_filters_console),
	{}
};
KTEST_SUITE(printk, printk_cases);
