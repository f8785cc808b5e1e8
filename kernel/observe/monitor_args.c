/*
 * The monitor's argument readers (<pagoda/monitor_args.h>): every command
 * reads addresses, pages, numbers and sizes the same way, and a mistake is
 * reported naming the command, the argument and what was wrong with it.
 */
#include <pagoda/errno.h>
#include <pagoda/monitor_args.h>
#include <pagoda/printk.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <asm/page.h>
#include "monitor_internal.h"

#define PHYS_LIMIT (1ULL << 52)         /* x86's architectural limit */

static int bad(const char *what, const char *s, const char *why)
{
	printk("%s: %s '%s': %s\n", monitor_current(), what, s, why);
	return -EINVAL;
}

static int digit(char c, unsigned int base)
{
	int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
	return d < (int)base ? d : -1;
}

/*
 * Digits of base (16 or 10; "0x" switches 10 to 16) up to the first
 * non-digit, left in *end. The hex-only callers take "0x" too: that is how
 * the kernel prints physical addresses.
 */
static int read_digits(const char *what, const char *arg, const char *s, unsigned int base,
		       unsigned long long *out, const char **end)
{
	const char *p = s;
	unsigned long long v = 0;

	if (!*p)
		return bad(what, arg, "empty");
	if (*p == '-')
		return bad(what, arg, "negative: numbers start at 0");
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
		if (digit(*p, 16) < 0)
			return bad(what, arg, "no hex digits after 0x");
	}
	if (digit(*p, base) < 0)
		return bad(what, arg, base == 16 ? "not a hex number" : "not a number (decimal, or hex with 0x)");
	for (; digit(*p, base) >= 0; p++) {
		unsigned int d = digit(*p, base);
		if (v > (~0ULL - d) / base)
			return bad(what, arg, "too large");
		v = v * base + d;
	}
	*out = v;
	*end = p;
	return 0;
}

/* arg is the whole argument, for the message; s the digits in it. */
static int read_hex(const char *what, const char *arg, const char *s, unsigned long long max,
		    unsigned long long *out)
{
	const char *end;
	if (read_digits(what, arg, s, 16, out, &end))
		return -EINVAL;
	if (*end)
		return bad(what, arg, "not a hex number");
	if (*out > max)
		return bad(what, arg, "too large for this machine");
	return 0;
}

int mon_arg_addr(const char *what, const char *s, unsigned long *out)
{
	unsigned long long v;
	if (read_hex(what, s, s, ~0UL, &v))
		return -EINVAL;
	*out = (unsigned long)v;
	return 0;
}

int mon_arg_phys(const char *what, const char *s, phys_addr_t *out)
{
	unsigned long long v;
	if (read_hex(what, s, s, PHYS_LIMIT - 1, &v))
		return -EINVAL;
	*out = v;
	return 0;
}

int mon_arg_pfn(const char *what, const char *s, unsigned long *pfn)
{
	unsigned long long v;
	if (!strncmp(s, "pfn:", 4)) {
		unsigned long long max = PHYS_LIMIT >> PAGE_SHIFT;
		if (max > ~0UL)
			max = ~0UL;
		if (read_hex(what, s, s + 4, max - 1, &v))
			return -EINVAL;
		*pfn = (unsigned long)v;
		return 0;
	}
	phys_addr_t pa;
	if (mon_arg_phys(what, s, &pa))
		return -EINVAL;
	*pfn = (unsigned long)(pa >> PAGE_SHIFT);
	return 0;
}

static int in_range(const char *what, const char *s, unsigned long long v, unsigned long long min,
		    unsigned long long max)
{
	char why[64];
	if (v >= min && v <= max)
		return 0;
	snprintf(why, sizeof(why), "out of range (%llu to %llu)", min, max);
	return bad(what, s, why);
}

int mon_arg_num(const char *what, const char *s, unsigned long long min, unsigned long long max,
		unsigned long long *out)
{
	const char *end;
	if (read_digits(what, s, s, 10, out, &end))
		return -EINVAL;
	if (*end)
		return bad(what, s, "not a number (decimal, or hex with 0x)");
	return in_range(what, s, *out, min, max);
}

int mon_arg_size(const char *what, const char *s, unsigned long long min, unsigned long long max,
		 unsigned long long *out)
{
	const char *end;
	unsigned long long v;
	if (read_digits(what, s, s, 10, &v, &end))
		return -EINVAL;
	if (*end) {
		unsigned int shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20 :
				     *end == 'G' || *end == 'g' ? 30 : 0;
		if (!shift || end[1])
			return bad(what, s, "not a size (a number, with K, M or G after it)");
		if (v > ~0ULL >> shift)
			return bad(what, s, "too large");
		v <<= shift;
	}
	*out = v;
	return in_range(what, s, v, min, max);
}
