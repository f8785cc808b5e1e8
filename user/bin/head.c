/* head [-n N] [FILE]...: the first N lines (10) of each file or stdin,
 * with "==> name <==" headers for more than one. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char buf[4096];

static int head(int fd, const char *name, long lines)
{
	ssize_t n = 0;
	while (lines > 0 && (n = read(fd, buf, sizeof(buf))) > 0) {
		ssize_t keep = 0;
		while (keep < n && lines > 0)
			if (buf[keep++] == '\n')
				lines--;
		if (write(STDOUT_FILENO, buf, (size_t)keep) != keep)
			return 1;
	}
	if (n < 0) {
		dprintf(2, "head: %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long lines = 10;
	int i = 1, status = 0;
	if (i < argc && !strncmp(argv[i], "-n", 2)) {
		const char *v = argv[i][2] ? argv[i] + 2 : argv[++i];
		char *end;
		lines = v ? strtol(v, &end, 10) : -1;
		if (!v || !*v || *end || lines < 0) {
			dprintf(2, "head: invalid number of lines: '%s'\nusage: head [-n N] [FILE]...\n",
				v ? v : "");
			return 2;
		}
		i++;
	} else if (i < argc && argv[i][0] == '-' && argv[i][1]) {
		dprintf(2, "head: unknown option '%s'\nusage: head [-n N] [FILE]...\n", argv[i]);
		return 2;
	}
	if (i == argc)
		return head(STDIN_FILENO, "-", lines);
	for (int first = i; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			dprintf(2, "head: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (argc - first > 1)
			printf("%s==> %s <==\n", i > first ? "\n" : "", argv[i]);
		status |= head(fd, argv[i], lines);
		close(fd);
	}
	return status;
}
