/* sleep SECONDS: do nothing for that long (nanosleep). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	if (argc != 2 || strtol(argv[1], &end, 10) < 0 || *end || end == argv[1]) {
		dprintf(2, "usage: sleep SECONDS\n");
		return 2;
	}
	return sleep((unsigned int)strtol(argv[1], NULL, 10)) ? 1 : 0;
}
