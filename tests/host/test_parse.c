/* lib/parse.c on the host: glob_match and parse_ulong. */
#include <stdio.h>
#include <string.h>

#include <pagoda/compiler.h>

#include "hosttest.h"
#include "../../lib/parse.c"

/* Reference glob: plain recursion, obviously right, exponential (fine here). */
static bool ref_glob(const char *p, const char *s)
{
	if (!*p)
		return !*s;
	if (*p == '*')
		return ref_glob(p + 1, s) || (*s && ref_glob(p, s + 1));
	return *s && (*p == '?' || *p == *s) && ref_glob(p + 1, s + 1);
}

static void test_glob_table(void)
{
	static const struct { const char *pat, *str; bool match; } t[] = {
		{ "", "", true },
		{ "", "a", false },
		{ "a", "", false },
		{ "*", "", true },
		{ "*", "anything", true },
		{ "**", "", true },
		{ "?", "", false },
		{ "?", "x", true },
		{ "?", "xy", false },
		{ "abc", "abc", true },
		{ "abc", "abd", false },
		{ "abc", "ab", false },
		{ "ab", "abc", false },
		{ "a*", "a", true },
		{ "a*", "abc", true },
		{ "a*", "ba", false },
		{ "*c", "abc", true },
		{ "*c", "abcd", false },
		{ "a*c", "ac", true },
		{ "a*c", "abbbc", true },
		{ "a*c", "abcb", false },
		{ "a*b*c", "aXbYbZc", true },
		{ "a*b*c", "abc", true },
		{ "a*b*c", "aXbYbZ", false },
		{ "a*b*c", "acb", false },
		{ "*ab", "aab", true },
		{ "*aab", "aaab", true },
		{ "*abc*abd", "abcabcabd", true },
		{ "*a?c", "abcaxc", true },
		{ "a?c*", "abc", true },
		{ "?*?", "ab", true },
		{ "?*?", "a", false },
		{ "boot.*", "boot.mm", true },
		{ "boot.*", "boot", false },
		{ "*.i386.*", "boot.i386.pc", true },
		{ "*.i386.*", "boot.x86_64.pc", false },
		{ "mm.*,boot", "mm.x", false },
		{ "***a", "bbba", true },
		{ "a**", "a", true },
		{ "*x*", "xxxxxxxxxy", true },
		{ "*x*y", "xxxxxxxxxx", false },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		CHECKF(glob_match(t[i].pat, t[i].str) == t[i].match, "glob \"%s\" on \"%s\"",
		       t[i].pat, t[i].str);
		CHECKF(ref_glob(t[i].pat, t[i].str) == t[i].match, "ref glob \"%s\" on \"%s\"",
		       t[i].pat, t[i].str);
	}
}

/* Every pattern over {a, b, *, ?} up to 5 long against every string over
 * {a, b} up to 6 long, against the reference. */
static void test_glob_exhaustive(void)
{
	static const char pchars[] = "ab*?", schars[] = "ab";
	char pat[8], str[8];
	int before = ht_checks;

	for (int plen = 0; plen <= 5; plen++) {
		int np = 1;
		for (int i = 0; i < plen; i++)
			np *= 4;
		for (int pi = 0; pi < np; pi++) {
			for (int i = 0, x = pi; i < plen; i++, x /= 4)
				pat[i] = pchars[x % 4];
			pat[plen] = '\0';
			for (int slen = 0; slen <= 6; slen++)
				for (int si = 0; si < (1 << slen); si++) {
					for (int i = 0; i < slen; i++)
						str[i] = schars[(si >> i) & 1];
					str[slen] = '\0';
					CHECKF(glob_match(pat, str) == ref_glob(pat, str),
					       "glob \"%s\" on \"%s\": got %d", pat, str,
					       glob_match(pat, str));
				}
		}
	}
	CHECK(ht_checks - before > 100000);
}

static void test_parse_ulong(void)
{
	static const struct {
		const char *s;
		bool suffix;
		int ret;
		unsigned long long v;
	} t[] = {
		{ "0", false, 0, 0 },
		{ "7", false, 0, 7 },
		{ "123456789", false, 0, 123456789 },
		{ "18446744073709551615", false, 0, 18446744073709551615ULL },
		{ "18446744073709551616", false, -EINVAL, 0 },
		{ "99999999999999999999", false, -EINVAL, 0 },
		{ "0x0", false, 0, 0 },
		{ "0x1f", false, 0, 31 },
		{ "0XABCdef", false, 0, 0xabcdef },
		{ "0xffffffffffffffff", false, 0, ~0ULL },
		{ "0x10000000000000000", false, -EINVAL, 0 },
		{ "010", false, 0, 10 },                /* no octal */
		{ "", false, -EINVAL, 0 },
		{ "0x", false, -EINVAL, 0 },
		{ "x10", false, -EINVAL, 0 },
		{ "-1", false, -EINVAL, 0 },
		{ "+1", false, -EINVAL, 0 },
		{ " 1", false, -EINVAL, 0 },
		{ "1 ", false, -EINVAL, 0 },
		{ "12a", false, -EINVAL, 0 },
		{ "0x1g", false, -EINVAL, 0 },
		{ "K", true, -EINVAL, 0 },
		{ "4K", false, -EINVAL, 0 },            /* suffix not allowed */
		{ "4K", true, 0, 4096 },
		{ "4k", true, 0, 4096 },
		{ "128M", true, 0, 128ULL << 20 },
		{ "128m", true, 0, 128ULL << 20 },
		{ "6G", true, 0, 6ULL << 30 },
		{ "6g", true, 0, 6ULL << 30 },
		{ "0x10M", true, 0, 16ULL << 20 },
		{ "0K", true, 0, 0 },
		{ "4T", true, -EINVAL, 0 },
		{ "4KB", true, -EINVAL, 0 },
		{ "4 K", true, -EINVAL, 0 },
		{ "17179869183G", true, 0, 17179869183ULL << 30 },      /* 2^34 - 1 */
		{ "17179869184G", true, -EINVAL, 0 },                   /* 2^34: overflow */
		{ "18014398509481983K", true, 0, 18014398509481983ULL << 10 },
		{ "18014398509481984K", true, -EINVAL, 0 },
		{ "18446744073709551615K", true, -EINVAL, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		unsigned long long v = 0xdeadbeef;
		int ret = parse_ulong(t[i].s, &v, t[i].suffix);
		CHECKF(ret == t[i].ret, "parse_ulong(\"%s\", %d) returned %d", t[i].s, t[i].suffix, ret);
		if (t[i].ret == 0)
			CHECKF(v == t[i].v, "parse_ulong(\"%s\") = %llu, want %llu", t[i].s, v, t[i].v);
		else
			CHECKF(v == 0xdeadbeef, "parse_ulong(\"%s\") wrote %llu on error", t[i].s, v);
	}
	/* every number round-trips, decimal and hex */
	char buf[32];
	unsigned long long v;
	for (unsigned long long x = 1; x; x = x * 3 + 1) {
		snprintf(buf, sizeof(buf), "%llu", x);
		CHECK(parse_ulong(buf, &v, false) == 0 && v == x);
		snprintf(buf, sizeof(buf), "0x%llx", x);
		CHECK(parse_ulong(buf, &v, true) == 0 && v == x);
		if (x > ~0ULL / 3)
			break;
	}
}

static void test_split_words(void)
{
	char line[] = "  dread\tram0  0 8 ", *argv[4];
	CHECK_EQ(split_words(line, argv, 4), 4);
	CHECK_STREQ(argv[0], "dread");
	CHECK_STREQ(argv[1], "ram0");
	CHECK_STREQ(argv[2], "0");
	CHECK_STREQ(argv[3], "8");
	char blank[] = " \t ";
	CHECK_EQ(split_words(blank, argv, 4), 0);
	char empty[] = "";
	CHECK_EQ(split_words(empty, argv, 4), 0);
	/* at most max words, each terminated; the rest dropped */
	char many[] = "a b c d e";
	CHECK_EQ(split_words(many, argv, 2), 2);
	CHECK_STREQ(argv[0], "a");
	CHECK_STREQ(argv[1], "b");
}

int main(void)
{
	test_glob_table();
	test_glob_exhaustive();
	test_parse_ulong();
	test_split_words();
	return ht_finish();
}
