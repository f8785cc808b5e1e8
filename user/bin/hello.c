/* hello: the smallest program that shows the user library works end to
 * end: crt0, argv, printf, the debug_write system call and exit. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("hello from user space: pid %d, %s, %d argument%s\n", getpid(), argv[0],
	       argc - 1, argc == 2 ? "" : "s");
	return 0;
}
