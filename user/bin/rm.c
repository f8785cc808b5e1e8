/* rm [-f] FILE...: unlink each file; -f: no message and no failure for
 * one that does not exist. Directories: rmdir. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i = 1, force = 0, status = 0;
	if (i < argc && !strcmp(argv[i], "-f")) {
		force = 1;
		i++;
	} else if (i < argc && argv[i][0] == '-' && argv[i][1]) {
		dprintf(2, "rm: unknown option '%s'\nusage: rm [-f] FILE...\n", argv[i]);
		return 2;
	}
	if (i == argc && !force) {
		dprintf(2, "rm: missing an operand\nusage: rm [-f] FILE...\n");
		return 2;
	}
	for (; i < argc; i++)
		if (unlink(argv[i]) < 0 && !(force && errno == ENOENT)) {
			dprintf(2, "rm: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	return status;
}
