/*
 * lib/vsprintf.c on the host: the kernel's vsnprintf against glibc's for a
 * table of formats plus a generated cross product of flags, widths,
 * precisions, length modifiers and edge values; truncation at every buffer
 * size; and the kernel-only behaviour (%p, %pS, "(null)", unknown
 * conversions), checked against expected strings.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "hosttest.h"

/* The kernel's formatter has libc's names: rename it while including it. */
#define vsnprintf kernel_vsnprintf
#define snprintf kernel_snprintf
#include "../../lib/vsprintf.c"
#undef vsnprintf
#undef snprintf

#define BUFSZ 512

/* A format the compiler cannot see: for the cases -Wformat warns about
 * though C defines them ('0' ignored with '-' or a precision, "", %s of NULL,
 * an int argument for %hhd...). */
static __attribute__((noinline)) const char *nl(const char *fmt)
{
	return fmt;
}

/* Every buffer size from 0 to len+1 in a heap block of exactly that size
 * (ASan catches a write past it): the C99 return value and a truncated,
 * terminated prefix of the full output. */
static void check_truncation(const char *fmt, const char *full, int len, va_list ap0)
{
	for (int size = 0; size <= len + 1; size++) {
		char *buf = malloc(size ? size : 1);
		memset(buf, 0x5a, size ? size : 1);
		va_list ap;
		va_copy(ap, ap0);
		int n = kernel_vsnprintf(size ? buf : NULL, size, fmt, ap);
		va_end(ap);
		CHECKF(n == len, "fmt \"%s\" size %d: returned %d, want %d", fmt, size, n, len);
		if (size) {
			int keep = len < size - 1 ? len : size - 1;
			CHECKF(memcmp(buf, full, keep) == 0 && buf[keep] == '\0',
			       "fmt \"%s\" size %d: \"%.*s\" is not the truncated \"%s\"",
			       fmt, size, size, buf, full);
		} else {
			CHECKF((unsigned char)buf[0] == 0x5a, "fmt \"%s\" size 0 wrote", fmt);
		}
		free(buf);
	}
}

/* Format with both and compare; truncate too when `trunc`. */
static void vcompare(int trunc, const char *fmt, va_list ap)
{
	char want[BUFSZ], got[BUFSZ];
	va_list a1, a2;

	va_copy(a1, ap);
	int wn = vsnprintf(want, sizeof(want), fmt, a1);
	va_end(a1);
	va_copy(a2, ap);
	int gn = kernel_vsnprintf(got, sizeof(got), fmt, a2);
	va_end(a2);

	CHECKF(wn == gn && strcmp(want, got) == 0,
	       "fmt \"%s\": kernel \"%s\" (%d), glibc \"%s\" (%d)", fmt, got, gn, want, wn);
	if (trunc && wn == gn && wn < BUFSZ)
		check_truncation(fmt, want, wn, ap);
}

__attribute__((format(printf, 1, 2)))
static void cmp(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vcompare(1, fmt, ap);
	va_end(ap);
}

/* Not format-checked: for generated formats. */
static void cmp_dyn(int trunc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vcompare(trunc, fmt, ap);
	va_end(ap);
}

/* The kernel's output must be exactly `want` (kernel-specific behaviour). */
__attribute__((format(printf, 2, 3)))
static void expect(const char *want, const char *fmt, ...)
{
	char got[BUFSZ];
	va_list ap, ap2;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = kernel_vsnprintf(got, sizeof(got), fmt, ap);
	CHECKF(n == (int)strlen(want) && strcmp(got, want) == 0,
	       "fmt \"%s\": kernel \"%s\" (%d), want \"%s\"", fmt, got, n, want);
	if (n == (int)strlen(want))
		check_truncation(fmt, want, n, ap2);
	va_end(ap2);
	va_end(ap);
}

static void test_table(void)
{
	/* integers */
	cmp("%d", 0);
	cmp("%d|%i", 42, -42);
	cmp("%d %d", INT_MIN, INT_MAX);
	cmp("%u %u", 0u, UINT_MAX);
	cmp("%x %X %o", 0xdeadbeefu, 0xdeadbeefu, 0777u);
	cmp("%5d|%-5d|%05d|%+d|% d|%+5d|%-+5d|", 42, 42, 42, 42, 42, 42, 42);
	cmp(nl("%05d|%-05d|%+05d|% 05d"), -42, -42, 42, 42);
	cmp("%.3d|%.0d|%.0d|%5.0d|%-5.0d|%+.0d|% .0d", 7, 0, 1, 0, 0, 0, 0);
	cmp(nl("%8.3d|%-8.3d|%08.3d|%+8.3d"), -7, -7, -7, 7);
	cmp("%#x|%#X|%#o|%#x|%#o", 255u, 255u, 8u, 0u, 0u);
	cmp("%#08x|%#-8x|%#8X|%#.4x|%#10.4x", 255u, 255u, 255u, 255u, 255u);
	cmp("%#.0x|%#.0o|%.0x|%.0o|%#5.0o", 0u, 0u, 0u, 0u, 0u);
	cmp("%#.3o|%#.2o|%#5o|%#05o|%#-5o|", 8u, 8u, 8u, 8u, 8u);
	cmp("%#o|%#5o|%#05o|%#-5o|", 0u, 0u, 0u, 0u);
	cmp(nl("%hhd %hhd %hhu %hhx"), 200, -129, 300, 0x1ff);
	cmp(nl("%hd %hd %hu %hx"), 70000, -32769, 70000, 0x1ffff);
	cmp("%ld %lu %lx", LONG_MIN, ULONG_MAX, ULONG_MAX);
	cmp("%lld %lld %llu %llx %llo", LLONG_MIN, LLONG_MAX, ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	cmp("%zu %zx %zd %zd", SIZE_MAX, (size_t)0x1234, (ssize_t)-5, (ssize_t)LONG_MIN);
	cmp("%td %td %tx", (ptrdiff_t)-1, (ptrdiff_t)PTRDIFF_MAX, (ptrdiff_t)255);
	cmp("%30lld|%-30lld|%030lld|%.25lld", LLONG_MIN, LLONG_MIN, LLONG_MIN, LLONG_MIN);
	cmp(nl("%+lld|% lld|%+llu"), LLONG_MAX, LLONG_MAX, ULLONG_MAX);
	cmp("%#llo|%#llx|%#llX", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);

	/* * width and precision, negative ones included */
	cmp("%*d|%-*d|%*d", 6, 42, 6, 42, -6, 42);
	cmp("%.*d|%.*d|%.*d", 5, 42, 0, 0, -1, 0);
	cmp("%*.*x|%-*.*x|%0*d", 10, 6, 0xabcu, 10, 6, 0xabcu, 8, -3);
	cmp("%*s|%-*s|%.*s|%.*s", 8, "ab", 8, "ab", 3, "abcdef", -1, "abcdef");
	cmp("%*c|%-*c|", 4, 'x', -4, 'y');

	/* characters and strings */
	cmp("%c%c%c", 'a', 'B', '~');
	cmp("%5c|%-5c|", 'z', 'z');
	cmp("%s|%10s|%-10s|%.2s|%10.2s|%-10.2s|", "hello", "hello", "hello", "hello", "hello", "hello");
	cmp("%s|%5s|%.0s|%.10s", "", "", "abc", "abc");
	cmp("%s", "a rather longer string, long enough to make the truncation loop do some work");
	cmp("%%|%d%%|%%%s%%", 5, "x");
	cmp("no conversions at all");
	cmp("%s=%d (%#x) [%-8s] %c", "key", -17, 17u, "val", '!');
	cmp(nl(""), 0);
}

/* The cross product of flags x width x precision x length x conversion. */
static const long long sval[] = {
	0, 1, -1, 7, -7, 42, 127, 128, -128, 255, 32767, -32768, 65535, 65536,
	INT_MAX, INT_MIN, (long long)UINT_MAX, 0x123456789abcLL, LLONG_MAX, LLONG_MIN,
};

static void call_both(const char *fmt, const char *lmod, char conv, long long v)
{
	bool is_signed = conv == 'd' || conv == 'i';
	unsigned long long u = (unsigned long long)v;

	if (!strcmp(lmod, "ll")) {
		if (is_signed) cmp_dyn(0, fmt, v); else cmp_dyn(0, fmt, u);
	} else if (!strcmp(lmod, "l")) {
		if (is_signed) cmp_dyn(0, fmt, (long)v); else cmp_dyn(0, fmt, (unsigned long)u);
	} else if (!strcmp(lmod, "z")) {
		if (is_signed) cmp_dyn(0, fmt, (ssize_t)v); else cmp_dyn(0, fmt, (size_t)u);
	} else if (!strcmp(lmod, "t")) {
		cmp_dyn(0, fmt, (ptrdiff_t)v);
	} else {
		/* int, and hh/h whose argument is promoted to int */
		if (is_signed) cmp_dyn(0, fmt, (int)v); else cmp_dyn(0, fmt, (unsigned int)u);
	}
}

static void test_cross_product(void)
{
	static const char flagset[] = "-0+ #";
	static const char *widths[] = { "", "1", "6", "25" };
	static const char *precs[] = { "", ".0", ".1", ".4", ".22" };
	static const char *lmods[] = { "", "hh", "h", "l", "ll", "z", "t" };
	static const char convs[] = "diuxXo";
	char fmt[64];
	int before = ht_checks;

	for (int fl = 0; fl < 32; fl++) {
		char flags[8];
		int nf = 0;
		for (int i = 0; i < 5; i++)
			if (fl & (1 << i))
				flags[nf++] = flagset[i];
		flags[nf] = '\0';
		for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
			for (size_t p = 0; p < ARRAY_SIZE(precs); p++)
				for (size_t l = 0; l < ARRAY_SIZE(lmods); l++)
					for (const char *c = convs; *c; c++) {
						/* '+', ' ' and '#' where C leaves them undefined: skip */
						if (strchr("uxXo", *c) && (strchr(flags, '+') || strchr(flags, ' ')))
							continue;
						if (strchr("diu", *c) && strchr(flags, '#'))
							continue;
						snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flags, widths[w],
							 precs[p], lmods[l], *c);
						for (size_t v = 0; v < ARRAY_SIZE(sval); v++)
							call_both(fmt, lmods[l], *c, sval[v]);
					}
	}
	/* strings and characters */
	static const char *strs[] = { "", "a", "hello", "a string longer than the widths" };
	for (int fl = 0; fl < 2; fl++)
		for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
			for (size_t p = 0; p < ARRAY_SIZE(precs); p++) {
				snprintf(fmt, sizeof(fmt), "<%%%s%s%ss>", fl ? "-" : "", widths[w], precs[p]);
				for (size_t s = 0; s < ARRAY_SIZE(strs); s++)
					cmp_dyn(1, fmt, strs[s]);
				snprintf(fmt, sizeof(fmt), "<%%%s%sc>", fl ? "-" : "", widths[w]);
				cmp_dyn(1, fmt, 'q');
			}
	CHECKF(ht_checks - before > 100000, "only %d generated checks", ht_checks - before);
}

/* %pS: the hook writes the symbol; without a hook it is a plain %p. */
static unsigned long hook_last;
static int fake_symbol(char *buf, size_t size, unsigned long addr)
{
	hook_last = addr;
	if (addr == 0x1000)     /* a name longer than vsnprintf's 128-byte buffer */
		return snprintf(buf, size, "%0200d", 0);
	return snprintf(buf, size, "func+0x%lx/0x40", addr & 0xf);
}

static void test_kernel_specific(void)
{
	BUILD_BUG_ON(sizeof(void *) != 8);      /* the %p cases are for 64-bit */

	/* %p: always 16 zero-padded hex digits, no 0x */
	expect("0000000000000000", "%p", NULL);
	expect("0000000000001234", "%p", (void *)0x1234);
	expect("ffffffff81000000", "%p", (void *)0xffffffff81000000ul);
	expect("ffffffffffffffff", "%p", (void *)~0ul);
	expect("    0000000000abcdef|", "%20p|", (void *)0xabcdef);
	expect("0000000000abcdef    |", "%-20p|", (void *)0xabcdef);
	expect("0000000000abcdef", "%5p", (void *)0xabcdef);
	expect("0000000000abcdef", nl("%#p"), (void *)0xabcdef);
	expect("    0000000000abcdef", nl("%020p"), (void *)0xabcdef);
	expect("[0000000000000010][0000000000000020]", "[%p][%p]", (void *)16, (void *)32);

	/* %pS/%ps without a hook: the address, and the S is eaten */
	vsprintf_symbol_hook = NULL;
	expect("00000000deadbeef!", "%pS!", (void *)0xdeadbeef);
	expect("00000000deadbeef!", "%ps!", (void *)0xdeadbeef);
	/* with a hook */
	vsprintf_symbol_hook = fake_symbol;
	expect("<func+0x5/0x40>", "<%pS>", (void *)0xffffffff81000015ul);
	CHECK_EQ(hook_last, 0xffffffff81000015ul);
	expect("<func+0x5/0x40       >", "<%-20pS>", (void *)0x25);
	expect("<       func+0x5/0x40>", "<%20pS>", (void *)0x25);
	expect("x func+0x3/0x40 y 0000000000000003", "x %pS y %p", (void *)3, (void *)3);
	/* a symbol too long for the 128-byte buffer is cut at 127 characters */
	char want[128];
	memset(want, '0', 127);
	want[127] = '\0';
	expect(want, "%pS", (void *)0x1000);
	vsprintf_symbol_hook = NULL;

	/* the kernel prints "(null)", cut by the precision */
	expect("(null)", nl("%s"), (char *)NULL);
	expect("[  (null)]", nl("[%8s]"), (char *)NULL);
	expect("(nu", nl("%.3s"), (char *)NULL);

	/* unknown conversions are printed verbatim */
	char got[64];
	const char *fmt_q = "a%qb";         /* not a literal: no -Wformat */
	CHECK_EQ(kernel_snprintf(got, sizeof(got), fmt_q, 1), 3 + 1);
	CHECK_STREQ(got, "a%qb");
	const char *fmt_5lq = "%5lq|";
	kernel_snprintf(got, sizeof(got), fmt_5lq, 1);
	CHECK_STREQ(got, "%5lq|");
	const char *fmt_end = "100%";
	CHECK_EQ(kernel_snprintf(got, sizeof(got), fmt_end, 0), 4);
	CHECK_STREQ(got, "100%");
	const char *fmt_end2 = "x%-5";
	kernel_snprintf(got, sizeof(got), fmt_end2, 0);
	CHECK_STREQ(got, "x%-5");

	/* size 0 with a NULL buffer: just the length */
	CHECK_EQ(kernel_snprintf(NULL, 0, "%d-%s", 12345, "abc"), 9);
	/* a character NUL is output and counted */
	CHECK_EQ(kernel_snprintf(got, sizeof(got), "a%cb", 0), 3);
	CHECK(got[0] == 'a' && got[1] == '\0' && got[2] == 'b' && got[3] == '\0');
}

int main(void)
{
	test_table();
	test_cross_product();
	test_kernel_specific();
	return ht_finish();
}
