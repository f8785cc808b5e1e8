/*
 * The FDS encoding (fd.h): how the fd table crosses execve in the
 * environment. Pure: no system calls, so the host tests run it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "fd.h"

static const char kinds[] = { [FD_CONSOLE] = 'c', [FD_FILE] = 'f', [FD_PIPE] = 'p' };

int fds_format(char *buf, size_t size, const struct fd_entry *t, int n)
{
	size_t used = (size_t)snprintf(buf, size, "%s=", FDS_ENV);
	int first = 1;
	for (int fd = 0; fd < n; fd++) {
		const struct fd_entry *e = &t[fd];
		if (e->kind == FD_FREE || e->kind >= sizeof(kinds))
			continue;
		char one[32];
		int w = e->kind == FD_CONSOLE ? snprintf(one, sizeof(one), "%s%d:c%s", first ? "" : ",", fd,
							 e->cloexec ? "e" : "")
					      : snprintf(one, sizeof(one), "%s%d:%c%d%s", first ? "" : ",", fd,
							 kinds[e->kind], e->handle, e->cloexec ? "e" : "");
		if (used + (size_t)w >= size) {
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(buf + used, one, (size_t)w + 1);
		used += (size_t)w;
		first = 0;
	}
	return (int)used;
}

/* A decimal number at *p, at most max; -1 if none or too big. */
static long number(const char **p, long max)
{
	long v = 0;
	if (**p < '0' || **p > '9')
		return -1;
	while (**p >= '0' && **p <= '9') {
		v = v * 10 + (*(*p)++ - '0');
		if (v > max)
			return -1;
	}
	return v;
}

int fds_parse(const char *s, struct fd_entry *t, int n)
{
	memset(t, 0, sizeof(*t) * (size_t)n);
	if (!s || !*s)
		goto bad;
	for (;;) {
		long fd = number(&s, n - 1);
		if (fd < 0 || *s++ != ':' || t[fd].kind != FD_FREE)
			goto bad;
		struct fd_entry e = { 0 };
		char k = *s++;
		if (k == 'c') {
			e.kind = FD_CONSOLE;
		} else if (k == 'f' || k == 'p') {
			e.kind = k == 'f' ? FD_FILE : FD_PIPE;
			long h = number(&s, 0x7fffffffL);
			if (h < 1)
				goto bad;
			e.handle = (int)h;
		} else {
			goto bad;
		}
		if (*s == 'e') {
			e.cloexec = 1;
			s++;
		}
		t[fd] = e;
		if (!*s)
			return 0;
		if (*s++ != ',' || !*s)
			goto bad;
	}
bad:
	memset(t, 0, sizeof(*t) * (size_t)n);
	errno = EINVAL;
	return -1;
}
