/* sync: every mounted file system writes what it holds to its disk (FS_SYNC). */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 1) {
		dprintf(2, "sync: extra operand '%s'\nusage: sync\n", argv[1]);
		return 2;
	}
	sync();
	return 0;
}
