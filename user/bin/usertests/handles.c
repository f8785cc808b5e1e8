/* usertests, suite uhandles: the HANDLES convention (user/lib/handles.c). */
#include "utest.h"
#include <pagoda_handles.h>

static void lookup_finds_each_name(struct utest *t)
{
	const char *l = "devroot:1024,console:2049,blk0:7";
	EXPECT_EQ(t, handles_lookup(l, "devroot"), 1024);
	EXPECT_EQ(t, handles_lookup(l, "console"), 2049);
	EXPECT_EQ(t, handles_lookup(l, "blk0"), 7);
	EXPECT_EQ(t, handles_lookup("a:1", "a"), 1);
	errno = 0;
	EXPECT_EQ(t, handles_lookup(l, "blk"), -1);     /* a prefix is not a name */
	EXPECT_EQ(t, errno, ENOENT);
	errno = 0;
	EXPECT_EQ(t, handles_lookup(l, "console:2049"), -1);
	EXPECT_EQ(t, errno, ENOENT);
	errno = 0;
	EXPECT_EQ(t, handles_lookup(NULL, "console"), -1);
	EXPECT_EQ(t, errno, ENOENT);
}

/* Each of these breaks the grammar somewhere: every lookup refuses it,
 * whether or not the broken part is the name asked for. */
static void malformed_lists_are_refused(struct utest *t)
{
	static const char *const bad[] = {
		"", ",", "console", "console:", ":5", "console:5,", ",console:5",
		"console:5,,blk0:6", "console:0", "console:-5", "console:+5", "console: 5",
		"console:5 ", " console:5", "console:5x", "console:0x10", "console:5:6",
		"con sole:5", "con=sole:5", "console:5,console:6", "blk0:1,console:5,blk0:2",
		"console:99999999999", "console:2147483648",
		"a_name_of_thirty_two_characters_:1",
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		int h = handles_lookup(bad[i], "console");
		if (h != -1 || errno != EINVAL)
			printf("    # malformed %u: \"%s\" gave %d, errno %d\n", i, bad[i], h, errno);
		EXPECT_EQ(t, h, -1);
		EXPECT_EQ(t, errno, EINVAL);
	}
	/* The limits themselves are fine. */
	EXPECT_EQ(t, handles_lookup("console:2147483647", "console"), 2147483647);
	EXPECT_EQ(t, handles_lookup("a_name_of_thirty_one_characters:3,x:1", "x"), 1);
}

static void format_round_trips(struct utest *t)
{
	char buf[64];
	struct handle_name n[] = { { "devroot", 1024 }, { "console", 3 }, { "blk0", 77 } };
	EXPECT_EQ(t, handles_format(buf, sizeof(buf), n, 3), 38);
	EXPECT_EQ(t, strcmp(buf, "HANDLES=devroot:1024,console:3,blk0:77"), 0);
	EXPECT_EQ(t, handles_lookup(buf + 8, "blk0"), 77);

	/* Exactly fitting, and one byte short. */
	EXPECT_EQ(t, handles_format(buf, 39, n, 3), 38);
	errno = 0;
	EXPECT_EQ(t, handles_format(buf, 38, n, 3), -1);
	EXPECT_EQ(t, errno, ENAMETOOLONG);

	struct handle_name dup[] = { { "a", 1 }, { "a", 2 } };
	struct handle_name bad_name[] = { { "co:n", 1 } };
	struct handle_name bad_h[] = { { "con", 0 } };
	errno = 0;
	EXPECT_EQ(t, handles_format(buf, sizeof(buf), dup, 2), -1);
	EXPECT_EQ(t, errno, EINVAL);
	errno = 0;
	EXPECT_EQ(t, handles_format(buf, sizeof(buf), bad_name, 1), -1);
	EXPECT_EQ(t, errno, EINVAL);
	errno = 0;
	EXPECT_EQ(t, handles_format(buf, sizeof(buf), bad_h, 1), -1);
	EXPECT_EQ(t, errno, EINVAL);
	errno = 0;
	EXPECT_EQ(t, handles_format(buf, sizeof(buf), n, 0), -1);
	EXPECT_EQ(t, errno, EINVAL);
}

/* handle_named reads the environment: swap environ for one of ours. */
static void handle_named_reads_environ(struct utest *t)
{
	char *env[] = { "PATH=/bin", "HANDLESX=console:9", "HANDLES=console:5,blk0:6", NULL };
	char *none[] = { "PATH=/bin", NULL };
	char **saved = environ;
	environ = env;
	int c = handle_named("console"), b = handle_named("blk0");
	errno = 0;
	int missing = handle_named("devroot");
	int missing_errno = errno;
	environ = none;
	errno = 0;
	int no_var = handle_named("console");
	int no_var_errno = errno;
	environ = saved;
	EXPECT_EQ(t, c, 5);
	EXPECT_EQ(t, b, 6);
	EXPECT_EQ(t, missing, -1);
	EXPECT_EQ(t, missing_errno, ENOENT);
	EXPECT_EQ(t, no_var, -1);
	EXPECT_EQ(t, no_var_errno, ENOENT);
}

const struct ucase handles_cases[] = {
	{ "lookup_finds_each_name", lookup_finds_each_name },
	{ "malformed_lists_are_refused", malformed_lists_are_refused },
	{ "format_round_trips", format_round_trips },
	{ "handle_named_reads_environ", handle_named_reads_environ },
	{ NULL, NULL },
};
