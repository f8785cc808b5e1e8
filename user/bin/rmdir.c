/* rmdir DIR...: remove each empty directory. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int status = 0;
	if (argc == 1) {
		dprintf(2, "rmdir: missing an operand\nusage: rmdir DIR...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (rmdir(argv[i]) < 0) {
			dprintf(2, "rmdir: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	return status;
}
