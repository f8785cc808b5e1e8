/* wc [FILE]...: lines, words and bytes of each (stdin without one), and a
 * total line for more than one; as GNU wc, without the column padding. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[64 * 1024];
static unsigned long long total[3];

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
	printf("%llu %llu %llu%s%s\n", c[0], c[1], c[2], name ? " " : "", name ? name : "");
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0;
	if (argc == 1)
		return count(STDIN_FILENO, NULL);
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			dprintf(2, "wc: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= count(fd, argv[i]);
		close(fd);
	}
	if (argc > 2)
		printf("%llu %llu %llu total\n", total[0], total[1], total[2]);
	return status;
}
