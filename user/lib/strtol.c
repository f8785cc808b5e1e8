/* strtol/strtoul: C's rules (leading space, sign, 0x and 0 prefixes with
 * base 0 or 16, *end at the first unused character; ERANGE saturates). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

static int digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* The magnitude, saturated at limit (then *over is set). */
static unsigned long parse(const char *s, char **end, int base, unsigned long limit,
			   int *neg, int *over)
{
	const char *p = s;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	*neg = 0;
	if (*p == '+' || *p == '-')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	unsigned long v = 0;
	const char *first = p;
	*over = 0;
	for (; digit(*p) < base; p++) {
		unsigned d = digit(*p);
		if (v > (limit - d) / base) {
			*over = 1;
			v = limit;
		} else if (!*over) {
			v = v * base + d;
		}
	}
	if (end)
		*end = (char *)(p == first ? s : p);
	return v;
}

long strtol(const char *s, char **end, int base)
{
	int neg, over;
	unsigned long v = parse(s, end, base, (unsigned long)LONG_MAX + 1, &neg, &over);
	if (!neg && v > LONG_MAX) {
		over = 1;
		v = LONG_MAX;
	}
	if (over)
		errno = ERANGE;
	return neg ? (long)(0 - v) : (long)v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	int neg, over;
	unsigned long v = parse(s, end, base, ULONG_MAX, &neg, &over);
	if (over) {
		errno = ERANGE;
		return ULONG_MAX;
	}
	return neg ? 0 - v : v;
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}
