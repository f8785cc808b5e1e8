/* wc [-l] [-w] [-c] [FILE]...: lines, words and bytes of each (stdin
 * without one; only those asked for with options), and a total line for
 * more than one; as GNU wc, without the column padding. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[64 * 1024];
static unsigned long long total[3];
static int show[3] = { 1, 1, 1 };

static void print(const unsigned long long *c, const char *name)
{
	const char *sep = "";
	for (int i = 0; i < 3; i++)
		if (show[i]) {
			printf("%s%llu", sep, c[i]);
			sep = " ";
		}
	printf("%s%s\n", name ? " " : "", name ? name : "");
}

static int count(int fd, const char *name)
{
	unsigned long long c[3] = { 0 };
	int inword = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			char ch = buf[i];
			int space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
			c[0] += ch == '\n';
			c[1] += !space && !inword;
			inword = !space;
		}
		c[2] += (unsigned long long)n;
	}
	if (n < 0) {
		dprintf(2, "wc: %s: %s\n", name ? name : "-", strerror(errno));
		return 1;
	}
	for (int i = 0; i < 3; i++)
		total[i] += c[i];
	print(c, name);
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0, i = 1, first;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (i == 1)
			show[0] = show[1] = show[2] = 0;
		for (const char *o = argv[i] + 1; *o; o++) {
			const char *k = strchr("lwc", *o);
			if (!k) {
				dprintf(2, "wc: unknown option '-%c' in '%s'\nusage: wc [-l] [-w] [-c] [FILE]...\n",
					*o, argv[i]);
				return 2;
			}
			show[k - "lwc"] = 1;
		}
	}
	if (i == argc)
		return count(STDIN_FILENO, NULL);
	for (first = i; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			dprintf(2, "wc: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= count(fd, argv[i]);
		close(fd);
	}
	if (argc - first > 1)
		print(total, "total");
	return status;
}
