/* mkdir [-p] DIR...: make each directory; -p: its missing parents too,
 * and no error if it exists. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int make(const char *path, int parents)
{
	if (!mkdir(path, 0755))
		return 0;
	if (!parents)
		return -1;
	struct stat st;
	if (errno == EEXIST)
		return !stat(path, &st) && S_ISDIR(st.st_mode) ? 0 : (errno = EEXIST, -1);
	if (errno != ENOENT)
		return -1;
	char parent[PATH_MAX];
	strlcpy(parent, path, sizeof(parent));
	char *slash = strrchr(parent, '/');
	while (slash && slash > parent && slash[1] == '\0') {
		*slash = '\0';                  /* "a/b/": the slash is not a component */
		slash = strrchr(parent, '/');
	}
	if (!slash || slash == parent)
		return -1;
	*slash = '\0';
	if (make(parent, 1))
		return -1;
	return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

int main(int argc, char **argv)
{
	int i = 1, parents = 0, status = 0;
	if (i < argc && !strcmp(argv[i], "-p")) {
		parents = 1;
		i++;
	} else if (i < argc && argv[i][0] == '-' && argv[i][1]) {
		dprintf(2, "mkdir: unknown option '%s'\nusage: mkdir [-p] DIR...\n", argv[i]);
		return 2;
	}
	if (i == argc) {
		dprintf(2, "mkdir: missing an operand\nusage: mkdir [-p] DIR...\n");
		return 2;
	}
	for (; i < argc; i++)
		if (make(argv[i], parents)) {
			dprintf(2, "mkdir: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	return status;
}
