/* mv SRC DST: rename SRC to DST (into DST/ if it is a directory); across
 * mounts (EXDEV) a file is copied with cp and SRC removed. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		dprintf(2, "mv: %s\nusage: mv SRC DST\n", argc < 3 ? "missing an operand" : "too many operands");
		return 2;
	}
	char dst[PATH_MAX];
	struct stat st;
	strlcpy(dst, argv[2], sizeof(dst));
	if (!stat(dst, &st) && S_ISDIR(st.st_mode)) {
		const char *base = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
		snprintf(dst, sizeof(dst), "%s/%s", argv[2], base);
	}
	if (!rename(argv[1], dst))
		return 0;
	if (errno != EXDEV) {
		dprintf(2, "mv: %s -> %s: %s\n", argv[1], dst, strerror(errno));
		return 1;
	}
	char *cp_argv[] = { "cp", argv[1], dst, NULL };
	int pid = fork(), status;
	if (pid == 0) {
		execvp("cp", cp_argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || status) {
		dprintf(2, "mv: %s -> %s: the copy across mounts failed\n", argv[1], dst);
		return 1;
	}
	if (unlink(argv[1]) < 0) {
		dprintf(2, "mv: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	return 0;
}
