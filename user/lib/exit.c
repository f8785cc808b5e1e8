/* exit: the atexit functions in reverse order, then the exit system call. */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#define ATEXIT_MAX 32

static void (*atexit_fns[ATEXIT_MAX])(void);
static int nr_atexit;

int atexit(void (*fn)(void))
{
	if (nr_atexit == ATEXIT_MAX)
		return -1;
	atexit_fns[nr_atexit++] = fn;
	return 0;
}

void exit(int code)
{
	while (nr_atexit > 0)
		atexit_fns[--nr_atexit]();
	_exit(code);
}

void abort(void)
{
	kill(getpid(), SIGABRT);
	_exit(127);             /* kill cannot fail on ourselves; belt and braces */
}
