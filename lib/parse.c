/* Small parsers shared by the command line, the monitor and the user
 * library (user/user.mk builds it too). Pure code: the host tests link this file too (lib/string.c is the kernel's libc stand-in). */
#include <pagoda/string.h>
#include <pagoda/errno.h>

bool glob_match(const char *pat, const char *str)
{
	/* Backtrack only to the last '*': linear for the patterns we see. */
	const char *star = NULL, *resume = NULL;
	while (*str) {
		if (*pat == '*') {
			star = pat++;
			resume = str;
		} else if (*pat == '?' || *pat == *str) {
			pat++;
			str++;
		} else if (star) {
			pat = star + 1;
			str = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

int parse_ulong(const char *s, unsigned long long *out, bool allow_suffix)
{
	unsigned long long v = 0;
	unsigned base = 10;
	bool any = false;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (v > (~0ULL - d) / base)
			return -EINVAL;
		v = v * base + d;
		any = true;
	}
	if (!any)
		return -EINVAL;
	if (*s && allow_suffix && !s[1]) {
		unsigned shift = *s == 'K' || *s == 'k' ? 10 : *s == 'M' || *s == 'm' ? 20 :
				 *s == 'G' || *s == 'g' ? 30 : 0;
		if (!shift || v > (~0ULL >> shift))
			return -EINVAL;
		v <<= shift;
		s++;
	}
	if (*s)
		return -EINVAL;
	*out = v;
	return 0;
}

int split_words(char *line, char **argv, int max)
{
	int argc = 0;
	for (char *p = line; *p && argc < max;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return argc;
}
