/*
 * The ktest runner: walks the suites in the .ktest_suites section, runs the
 * cases the ktest= option selects, prints KTAP version 1 and exits QEMU with
 * the verdict. Cases run one after another on the boot CPU with interrupts on.
 */
#include <pagoda/ktest.h>
#include <pagoda/cmdline.h>
#include <pagoda/printk.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <pagoda/reboot.h>
#include <pagoda/time.h>
#include <asm/processor.h>

/* KTAP lines are the product of a test boot: printed whatever the loglevel. */
#define ktap(fmt, ...) printk(KERN_EMERG fmt, ##__VA_ARGS__)

#define MAX_GLOBS 16
static char ktest_arg[256];
static const char *globs[MAX_GLOBS];
static int nr_globs;
static bool list_only;

/* The case running now, for panic()'s report. */
static const struct ktest_case *current_case;
static const struct ktest_suite *current_suite;

static int setup_ktest(const char *val)
{
	if (!val || !*val) {
		pr_err("cmdline: ktest= needs a value: a comma-separated list of globs over suite.case, or 'list'\n");
		return -1;
	}
	strlcpy(ktest_arg, val, sizeof(ktest_arg));
	nr_globs = 0;
	for (char *p = ktest_arg; p && *p && nr_globs < MAX_GLOBS;) {
		globs[nr_globs++] = p;
		p = strchr(p, ',');
		if (p)
			*p++ = '\0';
	}
	list_only = nr_globs == 1 && !strcmp(globs[0], "list");
	return 0;
}
CMDLINE_OPTION(ktest, setup_ktest, "run in-kernel tests: ktest=glob[,glob...] over suite.case, or ktest=list");

/* The seed of the randomized suites (monitor_fuzz): a new one each boot,
 * so the runs explore, printed first so a failure replays with it. */
static u64 seed;
static bool seed_given;

static int setup_ktest_seed(const char *val)
{
	unsigned long long v;
	if (!val || parse_ulong(val, &v, false)) {
		pr_err("cmdline: ktest_seed= needs a number (the seed a ktest run printed)\n");
		return -1;
	}
	seed = v;
	seed_given = true;
	return 0;
}
CMDLINE_OPTION(ktest_seed, setup_ktest_seed, "replay the randomized ktests with this seed (as a run printed it)");

u64 ktest_seed(void)
{
	if (!seed_given) {
		seed = rdtsc() * 0x9e3779b97f4a7c15ULL;
		seed_given = true;
	}
	return seed;
}

bool ktest_requested(void)
{
	return nr_globs > 0;
}

static bool selected(const struct ktest_suite *s, const struct ktest_case *c)
{
	char full[128];
	snprintf(full, sizeof(full), "%s.%s", s->name, c->name);
	for (int i = 0; i < nr_globs; i++)
		if (glob_match(globs[i], full) || glob_match(globs[i], s->name))
			return true;
	return false;
}

static int count_selected(const struct ktest_suite *s)
{
	int n = 0;
	for (const struct ktest_case *c = s->cases; c->name; c++)
		n += selected(s, c);
	return n;
}

void ktest_fail_int(struct ktest *t, const char *file, int line, const char *op,
		    const char *left, const char *right, long long lv, long long rv)
{
	t->failures++;
	ktap("    # %s: EXPECTATION FAILED at %s:%d\n", t->name, file, line);
	ktap("    # Expected %s %s %s, but\n", left, op, right);
	ktap("    #   %s == %lld (0x%llx)\n", left, lv, (unsigned long long)lv);
	ktap("    #   %s == %lld (0x%llx)\n", right, rv, (unsigned long long)rv);
}

void ktest_fail_msg(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	t->failures++;
	ktap("    # %s: EXPECTATION FAILED at %s:%d\n    # %s\n", t->name, file, line, msg);
}

void ktest_fail_mem(struct ktest *t, const char *file, int line, const char *a, const char *b,
		    const void *pa, const void *pb, size_t n)
{
	const u8 *x = pa, *y = pb;
	size_t i = 0;
	while (i < n && x[i] == y[i])
		i++;
	ktest_fail_msg(t, file, line, "Expected %s == %s over %zu bytes, but byte %zu differs: 0x%02x != 0x%02x",
		       a, b, n, i, x[i], y[i]);
}

void ktest_skip(struct ktest *t, const char *reason)
{
	t->skip_reason = reason;
}

void ktest_note_panic(void)
{
	if (!current_case)
		return;
	ktap("    # panic in ktest case %s.%s%s%s%s\n", current_suite->name, current_case->name,
	       current_case->expect_panic ? " (expected panic: \"" : "",
	       current_case->expect_panic ? current_case->expect_panic : "",
	       current_case->expect_panic ? "\")" : "");
}

void ktest_list(void)
{
	for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
		for (const struct ktest_case *c = s->cases; c->name; c++)
			ktap("ktest: %s.%s%s%s%s\n", s->name, c->name,
			       c->expect_panic ? "  [expect-panic: " : "",
			       c->expect_panic ? c->expect_panic : "", c->expect_panic ? "]" : "");
	ktap("ktest: end of list\n");
}

/* The slowest cases of the run, printed last: where a boot's time goes
 * (docs/testing.md, the suite's wall time). */
#define SLOWEST 5
static struct {
	const struct ktest_suite *s;
	const struct ktest_case *c;
	u64 ns;
} slowest[SLOWEST];

static void note_time(const struct ktest_suite *s, const struct ktest_case *c, u64 ns)
{
	int i = SLOWEST;
	while (i > 0 && slowest[i - 1].ns < ns)
		i--;
	if (i == SLOWEST)
		return;
	for (int j = SLOWEST - 1; j > i; j--)
		slowest[j] = slowest[j - 1];
	slowest[i].s = s;
	slowest[i].c = c;
	slowest[i].ns = ns;
}

static void print_slowest(void)
{
	ktap("# ktest: slowest cases:");
	for (int i = 0; i < SLOWEST && slowest[i].c; i++)
		ktap(" %s.%s %llu ms%s", slowest[i].s->name, slowest[i].c->name, slowest[i].ns / 1000000,
		     i + 1 < SLOWEST && slowest[i + 1].c ? "," : "");
	ktap("\n");
}

void ktest_run_selected(void)
{
	int failed = ktest_run();
	qemu_exit(failed ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
}

int ktest_run(void)
{
	int suites = 0, passed = 0, failed = 0, skipped = 0, suite_no = 0;

	if (list_only) {
		ktest_list();
		qemu_exit(QEMU_EXIT_PASS);
	}
	for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
		suites += count_selected(s) > 0;

	/* An expected-panic case runs only alone: any other selection skips it. */
	int total_selected = 0;
	for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++)
		total_selected += count_selected(s);

	ktap("KTAP version 1\n1..%d\n# ktest: seed %#llx (ktest_seed=%#llx replays it)\n", suites,
	     (unsigned long long)ktest_seed(), (unsigned long long)ktest_seed());
	for (const struct ktest_suite *s = __ktest_suites_start; s < __ktest_suites_end; s++) {
		int n = count_selected(s);
		if (!n)
			continue;
		suite_no++;
		ktap("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", s->name, n);
		const char *suite_skip = NULL;
		if (s->init && s->init() != 0)
			suite_skip = "suite init failed";
		int case_no = 0, suite_failed = 0;
		for (const struct ktest_case *c = s->cases; c->name; c++) {
			if (!selected(s, c))
				continue;
			struct ktest t = { .name = c->name };
			case_no++;
			if (suite_skip) {
				t.skip_reason = suite_skip;
			} else if (c->expect_panic && total_selected > 1) {
				t.skip_reason = "expected-panic: boot alone";
			} else {
				if (c->expect_panic)
					ktap("    # expect-panic: %s\n", c->expect_panic);
				current_case = c;
				current_suite = s;
				u64 t0 = ktime_get_ns();
				c->run(&t);
				note_time(s, c, ktime_get_ns() - t0);
				current_case = NULL;
				if (c->expect_panic) {
					ktap("    # %s: expected a panic (\"%s\") but the case returned\n",
					       c->name, c->expect_panic);
					t.failures++;
				}
			}
			if (t.failures) {
				ktap("    not ok %d %s\n", case_no, c->name);
				failed++;
				suite_failed++;
			} else if (t.skip_reason) {
				ktap("    ok %d %s # SKIP %s\n", case_no, c->name, t.skip_reason);
				skipped++;
			} else {
				ktap("    ok %d %s\n", case_no, c->name);
				passed++;
			}
		}
		ktap("%s %d %s\n", suite_failed ? "not ok" : "ok", suite_no, s->name);
	}
	print_slowest();
	ktap("# ktest: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed;
}
