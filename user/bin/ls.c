/* ls [-l] [-a] [PATH]...: the names in each directory (sorted; dot files
 * with -a), or the file itself; -l adds the type and mode, links, owner,
 * size and a symbolic link's target. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int opt_l, opt_a;

static void mode_string(unsigned int mode, char *s)
{
	const char *types = "?pc?d?b?-?l?s";         /* by S_IFMT >> 12 */
	unsigned int t = (mode & S_IFMT) >> 12;
	s[0] = t < 13 ? types[t] : '?';
	for (int i = 0; i < 9; i++)
		s[1 + i] = mode & (0400 >> i) ? "rwx"[i % 3] : '-';
	s[10] = '\0';
}

/* One line for name (path is where it is). */
static int show(const char *path, const char *name)
{
	if (!opt_l) {
		printf("%s\n", name);
		return 0;
	}
	struct stat st;
	char mode[11], target[PATH_MAX];
	if (lstat(path, &st) < 0) {
		dprintf(2, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	mode_string(st.st_mode, mode);
	printf("%s %u %u %u %lld %s", mode, st.st_nlink, st.st_uid, st.st_gid, st.st_size, name);
	ssize_t n;
	if (S_ISLNK(st.st_mode) && (n = readlink(path, target, sizeof(target) - 1)) >= 0) {
		target[n] = '\0';
		printf(" -> %s", target);
	}
	printf("\n");
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort(char **v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && by_name(&v[j - 1], &v[j]) > 0; j--) {
			char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static int list(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0 && lstat(path, &st) < 0) {
		dprintf(2, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return show(path, path);
	DIR *d = opendir(path);
	if (!d) {
		dprintf(2, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	char **names = NULL;
	int n = 0, cap = 0, status = 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && !opt_a)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			char **more = realloc(names, sizeof(char *) * (size_t)cap);
			if (!more)
				break;
			names = more;
		}
		names[n] = malloc(strlen(e->d_name) + 1);
		if (!names[n])
			break;
		strcpy(names[n++], e->d_name);
	}
	if (errno) {
		dprintf(2, "ls: %s: %s\n", path, strerror(errno));
		status = 1;
	}
	closedir(d);
	sort(names, n);
	for (int i = 0; i < n; i++) {
		char full[PATH_MAX];
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		status |= show(full, names[i]);
		free(names[i]);
	}
	free(names);
	return status;
}

int main(int argc, char **argv)
{
	int i = 1, status = 0;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'l') {
				opt_l = 1;
			} else if (*o == 'a') {
				opt_a = 1;
			} else {
				dprintf(2, "ls: unknown option '-%c' in '%s'\nusage: ls [-l] [-a] [PATH]...\n", *o,
					argv[i]);
				return 2;
			}
		}
	if (i == argc)
		return list(".");
	for (int first = i; i < argc; i++) {
		if (argc - first > 1)
			printf("%s%s:\n", i > first ? "\n" : "", argv[i]);
		status |= list(argv[i]);
	}
	return status;
}
