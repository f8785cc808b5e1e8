/*
 * HANDLES: the names of the handles a process was given
 * (<pagoda_handles.h> has the grammar). The whole list is checked on every
 * lookup, so a malformed one fails the same way whichever name is asked.
 */
#include <errno.h>
#include <limits.h>
#include <pagoda/ipc.h>
#include <pagoda_handles.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/* The length of a valid name at s ending at stop (':' or '\0'), or 0. */
static size_t name_len(const char *s, char stop)
{
	size_t n = 0;
	while (name_char(s[n]))
		n++;
	return n && n <= HANDLE_NAME_MAX && s[n] == stop ? n : 0;
}

/* Parse the entry at *p: its name and length, its handle; *p moves past
 * the entry and its comma. 0, or -1 if malformed. */
static int parse_entry(const char **p, const char **name, size_t *len, int *h)
{
	const char *s = *p;
	*len = name_len(s, ':');
	if (!*len)
		return -1;
	*name = s;
	s += *len + 1;
	int v = 0;
	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		int d = *s++ - '0';
		/* Checked before it can overflow: long is 32 bits on i386. */
		if (v > (INT_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v < 1 || (*s != ',' && *s != '\0'))
		return -1;
	if (*s == ',' && !*++s)
		return -1;                      /* a trailing comma */
	*h = v;
	*p = s;
	return 0;
}

int handles_lookup(const char *list, const char *name)
{
	size_t want = strlen(name);
	int found = -1;
	const char *p = list;
	if (!list || !*list) {
		errno = list ? EINVAL : ENOENT;
		return -1;
	}
	while (*p) {
		const char *n;
		size_t len;
		int h;
		if (parse_entry(&p, &n, &len, &h))
			goto malformed;
		/* A name twice: look for it again after this entry. */
		for (const char *q = p; *q;) {
			const char *n2;
			size_t len2;
			int h2;
			if (parse_entry(&q, &n2, &len2, &h2))
				goto malformed;
			if (len2 == len && !memcmp(n, n2, len))
				goto malformed;
		}
		if (len == want && !memcmp(n, name, len))
			found = h;
	}
	if (found < 0)
		errno = ENOENT;
	return found;
malformed:
	errno = EINVAL;
	return -1;
}

int handle_named(const char *name)
{
	return handles_lookup(getenv(HANDLES_ENV), name);
}

int handles_format(char *buf, size_t size, const struct handle_name *names, int n)
{
	size_t used = 0;
	if (n < 1) {
		errno = EINVAL;
		return -1;
	}
	int w = snprintf(buf, size, "%s=", HANDLES_ENV);
	used = (size_t)w;
	for (int i = 0; i < n; i++) {
		if (!names[i].name || !name_len(names[i].name, '\0') || names[i].handle < 1) {
			errno = EINVAL;
			return -1;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(names[i].name, names[j].name)) {
				errno = EINVAL;
				return -1;
			}
		w = snprintf(buf + (used < size ? used : size), used < size ? size - used : 0,
			     "%s%s:%d", i ? "," : "", names[i].name, names[i].handle);
		used += (size_t)w;
	}
	if (used >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return (int)used;
}
