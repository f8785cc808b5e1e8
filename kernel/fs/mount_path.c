/*
 * Mount point names and the longest-prefix rule's one comparison
 * (<pagoda/mount.h>). Pure: no table, no locks, so a ktest checks it
 * case by case.
 */
#include <pagoda/errno.h>
#include <pagoda/mount.h>
#include <pagoda/string.h>

int mount_path_check(const char *path)
{
	if (path[0] != '/')
		return -EINVAL;
	if (!path[1])
		return 0;                       /* "/" */
	for (const char *c = path + 1;;) {
		const char *end = strchr(c, '/');
		size_t n = end ? (size_t)(end - c) : strlen(c);
		/* "a//b", "a/" (n 0), "." and ".." */
		if (!n || (c[0] == '.' && (n == 1 || (n == 2 && c[1] == '.'))))
			return -EINVAL;
		if (!end)
			return 0;
		c = end + 1;
	}
}

const char *mount_path_rest(const char *mnt, const char *path)
{
	size_t n = strlen(mnt);
	if (n == 1 && mnt[0] == '/')
		n = 0;                          /* "/": the '/' below is the separator */
	if (strncmp(mnt, path, n) || (path[n] && path[n] != '/'))
		return NULL;                    /* "/mnt/sda" does not cover "/mnt/sdab" */
	path += n;
	while (*path == '/')
		path++;
	return path;
}
