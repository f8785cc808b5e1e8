/*
 * Hostile input for the monitor: every command with every argument shape
 * (none, too many, negative, huge, non-numeric, 20 digits, addresses from
 * every region of both builds), random lines, lines longer than the line
 * buffer, control and escape bytes. Each line must come back with a status
 * and leave the kernel running: an oops, BUG or panic ends the boot and
 * fails the suite. Seeded from ktest_seed(): a new seed each boot, so the
 * runs explore more than one set of lines, and ktest_seed= (the KTAP
 * header prints it) replays a failure; bounded in count.
 */
#include <pagoda/ktest.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/random.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>

#define LINES_PER_SHAPE 6               /* a wrong number of words */
#define LINES_PER_ARITY 20              /* a right one: the command runs */
#define RANDOM_LINES 400

static struct rnd_state rng;

static u64 rnd(void)
{
	return prandom_u64_state(&rng);
}

/* Argument shapes: numbers at every edge, text, and an address from each
 * region of the x86_64, i386 and PAE maps (README "Memory layouts"). */
static const char *const tokens[] = {
	"", "0", "1", "-1", "-0x10", "7", "4096", "0x", "0x0", "0xg", "zzz", "pfn:", "pfn:0", "pfn:1",
	"pfn:-1", "pfn:ffffffffffffffff", "pfn:fffff", "pfn:zz", "18446744073709551615",
	"18446744073709551616", "99999999999999999999", "0xffffffffffffffff", "0x10000000000000000",
	"1K", "4M", "1G", "16G", "1T", "K", "0K", "12Q", "3.5", "1e9", "last", "release", "ram0x", "nodisk",
	"%s%s%n", "\\x1b[A", "\x1b[A", "\x7f\b", "help",
	/* x86_64 */
	"0000000000000000", "00007fffffffffff", "0000800000000000", "ffff800000000000", "ffff800000100000",
	"ffffbfffffffffff", "ffffc90000000000", "ffffc90000001000", "ffffc9ffffffffff", "ffffffff80000000",
	"ffffffff80100000", "ffffffffffc00000", "ffffffffffffffff",
	/* i386 and PAE */
	"c0000000", "c0100000", "f7ffffff", "f8800000", "f8801000", "ff800000", "ffc00000", "ffe00000",
	"ffffffff", "bfffffff",
	/* physical */
	"fee00000", "fec00000", "a0000", "9fc00", "100000", "7fe0000", "100000000", "fffffffff",
	/* pages and sizes that exist: low RAM, i386 highmem at 2G, PAE above 4G */
	"1000000", "2345678", "pfn:2000", "pfn:3000", "pfn:7fdf", "pfn:70000", "pfn:180000", "16K", "64", "8K",
};

/* Commands that take long or end the boot with any accepted line: fed
 * only lines with too many words, which must be refused before they run.
 * (dmesg would also replay other tests' reports into the output checked.) */
static bool only_refused_shapes(const char *name)
{
	return !strcmp(name, "exit") || !strcmp(name, "poweroff") || !strncmp(name, "bench_", 6) || !strcmp(name, "dbench") ||
	       !strcmp(name, "memmap") || !strcmp(name, "dmesg");
}

static char out[4096];

static bool bad_output(void)
{
	return strstr(out, "BUG") || strstr(out, "Oops") || strstr(out, "panic") || strstr(out, "WARNING");
}

static int exec_line(struct ktest *t, const char *line)
{
	console_capture_start(out, sizeof(out));
	int ret = monitor_exec(line);
	console_capture_stop();
	if (ret < -1 || ret > MON_FAILED || bad_output())
		ktest_fail_msg(t, __FILE__, __LINE__, "'%s' returned %d: %s", line, ret, out);
	return ret;
}

static void every_command_every_shape(struct ktest *t)
{
	char line[512];
	unsigned long lines = 0;
	prandom_seed_state(&rng, ktest_seed());
	for (const struct monitor_cmd *c = __monitor_cmds_start; c < __monitor_cmds_end; c++) {
		int min, max;
		monitor_usage_arity(c->usage, &min, &max);
		bool refused_only = only_refused_shapes(c->name);
		for (int words = refused_only ? max + 1 : 0; words <= max + 2; words++)
			for (int i = 0; i < (words >= min && words <= max ? LINES_PER_ARITY : LINES_PER_SHAPE); i++) {
				size_t n = snprintf(line, sizeof(line), "%s", c->name);
				int nonempty = 0;
				for (int w = 0; w < words; w++) {
					const char *tok = tokens[rnd() % ARRAY_SIZE(tokens)];
					/* An empty token is no word: `exit ""` would run. */
					while (refused_only && !*tok)
						tok = tokens[rnd() % ARRAY_SIZE(tokens)];
					n += snprintf(line + n, sizeof(line) - n, " %s", tok);
					nonempty += *tok != '\0';
				}
				int ret = exec_line(t, line);
				lines++;
				/* Too many words never reaches the command. */
				if (nonempty > max && ret != MON_USAGE)
					ktest_fail_msg(t, __FILE__, __LINE__, "'%s' ran with %d words", line, words);
			}
	}
	/* Undo what accepted lines changed for the suites after this one:
	 * objects held, the per-CPU page caches' size (`pcp 1 1` leaves them
	 * nearly empty; which lines run depends on the command table). */
	exec_line(t, "held release");
	exec_line(t, "pcp reset");
	printk("monitor_fuzz: %lu command lines, none hurt the kernel\n", lines);
	KTEST_EXPECT_GT(t, lines, 200);
}

/* Random bytes, control and escape characters included, at every length
 * up to twice the line buffer: unknown commands or refused lines. */
static void random_lines(struct ktest *t)
{
	char line[600];
	int too_long = 0;
	prandom_seed_state(&rng, ktest_seed() ^ 0xdeadbeef);
	for (int i = 0; i < RANDOM_LINES; i++) {
		size_t len = rnd() % (sizeof(line) - 1);
		for (size_t j = 0; j < len; j++) {
			unsigned int r = rnd() % 8;
			line[j] = r == 0 ? (char)(1 + rnd() % 31) : r == 1 ? ' ' : r == 2 ? 0x1b : (char)(33 + rnd() % 94);
		}
		line[len] = '\0';
		int ret = exec_line(t, line);
		too_long += len > 255;
		if (len > 255)
			KTEST_EXPECT_EQ(t, ret, MON_USAGE);
	}
	exec_line(t, "held release");
	KTEST_EXPECT_GT(t, too_long, 0);
}

static struct ktest_case monitor_fuzz_cases[] = {
	KTEST_CASE(every_command_every_shape),
	KTEST_CASE(random_lines),
	{}
};
KTEST_SUITE(monitor_fuzz, monitor_fuzz_cases);
