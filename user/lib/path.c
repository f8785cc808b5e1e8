/*
 * Lexical path canonicalization (path.h): what the library does before it
 * asks the kernel's mount table, which walks no further. Lexical as the
 * shell's `cd` is: "a/../b" is "b" even if a is a symbolic link.
 */
#include <errno.h>
#include <string.h>
#include "path.h"

/* Append the component c (len bytes) to out, which holds *used bytes. */
static int push(char *out, size_t size, size_t *used, const char *c, size_t len)
{
	if (len == 1 && c[0] == '.')
		return 0;
	if (len == 2 && c[0] == '.' && c[1] == '.') {
		while (*used > 0 && out[*used - 1] != '/')
			(*used)--;
		if (*used > 0)
			(*used)--;              /* the '/' before it */
		return 0;
	}
	if (*used + 1 + len + 1 > size)
		return -ENAMETOOLONG;
	out[(*used)++] = '/';
	memcpy(out + *used, c, len);
	*used += len;
	return 0;
}

static int push_all(char *out, size_t size, size_t *used, const char *p)
{
	while (*p) {
		while (*p == '/')
			p++;
		size_t len = strcspn(p, "/");
		if (len) {
			int r = push(out, size, used, p, len);
			if (r)
				return r;
		}
		p += len;
	}
	return 0;
}

int path_canon(const char *cwd, const char *path, char *out, size_t size)
{
	size_t used = 0;
	int r;
	if (!path[0])
		return -ENOENT;
	if (size < 2)
		return -ENAMETOOLONG;
	if (path[0] != '/' && (r = push_all(out, size, &used, cwd ? cwd : "/")))
		return r;
	if ((r = push_all(out, size, &used, path)))
		return r;
	if (!used)
		out[used++] = '/';
	out[used] = '\0';
	return 0;
}
