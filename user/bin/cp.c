/* cp SRC DST: copy the file SRC to DST (made or truncated), or into DST/
 * under SRC's last name if DST is a directory. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char buf[64 * 1024];

int main(int argc, char **argv)
{
	if (argc != 3) {
		dprintf(2, "cp: %s\nusage: cp SRC DST\n", argc < 3 ? "missing an operand" : "too many operands");
		return 2;
	}
	const char *src = argv[1];
	char dst[PATH_MAX];
	struct stat st;
	strlcpy(dst, argv[2], sizeof(dst));
	if (!stat(dst, &st) && S_ISDIR(st.st_mode)) {
		const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
		snprintf(dst, sizeof(dst), "%s/%s", argv[2], base);
	}
	int in = open(src, O_RDONLY);
	if (in < 0) {
		dprintf(2, "cp: %s: %s\n", src, strerror(errno));
		return 1;
	}
	if (fstat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
		dprintf(2, "cp: %s: is a directory (not copied)\n", src);
		return 1;
	}
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, st.st_mode & 0777 ? st.st_mode & 0777 : 0644);
	if (out < 0) {
		dprintf(2, "cp: %s: %s\n", dst, strerror(errno));
		return 1;
	}
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			dprintf(2, "cp: %s: %s\n", dst, strerror(errno));
			return 1;
		}
	if (n < 0) {
		dprintf(2, "cp: %s: %s\n", src, strerror(errno));
		return 1;
	}
	if (close(out) < 0) {
		dprintf(2, "cp: %s: %s\n", dst, strerror(errno));
		return 1;
	}
	return 0;
}
