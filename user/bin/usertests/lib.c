/* usertests, suite ulib: the user library. */
#include "utest.h"

static void strtol_bases(struct utest *t)
{
	char *end;
	EXPECT_EQ(t, strtol("  -42x", &end, 10), -42);
	EXPECT_EQ(t, *end, 'x');
	EXPECT_EQ(t, strtol("0x1f", NULL, 0), 31);
	EXPECT_EQ(t, strtol("017", NULL, 0), 15);
	EXPECT_EQ(t, strtoul("ff", NULL, 16), 255);
	errno = 0;
	strtol("99999999999999999999999", NULL, 10);
	EXPECT_EQ(t, errno, ERANGE);
}

static void snprintf_formats(struct utest *t)
{
	char buf[32];
	EXPECT_EQ(t, snprintf(buf, sizeof(buf), "%d|%5s|%#x", -7, "ab", 255), 13);
	EXPECT_EQ(t, strcmp(buf, "-7|   ab|0xff"), 0);
}

static void malloc_reuses_and_merges(struct utest *t)
{
	char *a = malloc(100), *b = malloc(100), *c = malloc(100);
	EXPECT_TRUE(t, a && b && c && a != b && b != c);
	EXPECT_EQ(t, (unsigned long)a % 16, 0);
	memset(a, 1, 100);
	memset(b, 2, 100);
	free(a);
	free(b);
	char *d = malloc(200);          /* fits only in a and b merged */
	EXPECT_TRUE(t, d == a);
	char *e = realloc(c, 5000);
	EXPECT_TRUE(t, e != NULL);
	free(d);
	free(e);
	char *z = calloc(64, 64);
	EXPECT_TRUE(t, z != NULL);
	for (int i = 0; z && i < 64 * 64; i++)
		if (z[i]) {
			EXPECT_EQ(t, z[i], 0);
			break;
		}
	free(z);
}

/* A large block is its own mapping: its pages come and go with it. */
static void malloc_large_is_mapped(struct utest *t)
{
	unsigned long long vm0 = self_stat().vm_pages;
	char *p = malloc(1 << 20);
	ASSERT_TRUE(t, p != NULL);
	EXPECT_TRUE(t, self_stat().vm_pages >= vm0 + 256);
	p[0] = 1;
	p[(1 << 20) - 1] = 2;
	free(p);
	EXPECT_TRUE(t, self_stat().vm_pages < vm0 + 256);
}

static void strsignal_names(struct utest *t)
{
	EXPECT_EQ(t, strcmp(strsignal(SIGSEGV), "Segmentation fault"), 0);
	EXPECT_EQ(t, strcmp(strsignal(SIGKILL), "Killed"), 0);
}

const struct ucase lib_cases[] = {
	{ "strtol_bases", strtol_bases },
	{ "snprintf_formats", snprintf_formats },
	{ "malloc_reuses_and_merges", malloc_reuses_and_merges },
	{ "malloc_large_is_mapped", malloc_large_is_mapped },
	{ "strsignal_names", strsignal_names },
	{ NULL, NULL },
};
