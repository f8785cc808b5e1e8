/*
 * brk and sbrk over the brk system call, which returns the new end of the
 * heap, or the old one when it could not move (Linux's convention): the
 * library compares the result with what it asked for.
 */
#include "syscall.h"
#include <errno.h>
#include <unistd.h>

static char *cur_brk;

int brk(void *addr)
{
	char *r = (char *)syscall1(__NR_brk, addr);
	cur_brk = r;
	if (r != addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(long increment)
{
	if (!cur_brk)
		cur_brk = (char *)syscall1(__NR_brk, 0);
	char *old = cur_brk;
	if (increment && brk(old + increment))
		return (void *)-1;
	return old;
}
