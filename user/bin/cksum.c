/* cksum [FILE]...: "CRC SIZE NAME" per file ("CRC SIZE" for stdin), the
 * POSIX CRC as GNU coreutils' `cksum FILE` prints it, so a test compares
 * with the host's (<pagoda_lib.h> posix_crc_*). */
#include <errno.h>
#include <fcntl.h>
#include <pagoda_lib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[64 * 1024];

static int sum(int fd, const char *name)
{
	unsigned int crc = 0;
	unsigned long long len = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		crc = posix_crc_update(crc, buf, (size_t)n);
		len += (unsigned long long)n;
	}
	if (n < 0) {
		dprintf(2, "cksum: %s: %s\n", name ? name : "-", strerror(errno));
		return 1;
	}
	if (name)
		printf("%u %llu %s\n", posix_crc_final(crc, len), len, name);
	else
		printf("%u %llu\n", posix_crc_final(crc, len), len);
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0;
	if (argc == 1)
		return sum(STDIN_FILENO, NULL);
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			dprintf(2, "cksum: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= sum(fd, argv[i]);
		close(fd);
	}
	return status;
}
