/* touch FILE...: make each file empty if it does not exist, else set its
 * access and modification times to now. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int status = 0;
	if (argc == 1) {
		dprintf(2, "touch: missing an operand\nusage: touch FILE...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (!utimes(argv[i], NULL))
			continue;
		int fd = errno == ENOENT ? open(argv[i], O_WRONLY | O_CREAT, 0644) : -1;
		if (fd < 0) {
			dprintf(2, "touch: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		close(fd);
	}
	return status;
}
