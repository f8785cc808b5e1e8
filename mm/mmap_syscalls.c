/*
 * The memory system calls (numbers in <uapi/pagoda/unistd.h>): brk, mmap,
 * munmap and mprotect on the calling process's address space. mmap knows
 * only private anonymous memory: no file descriptor (-1), offset 0.
 */
#include <pagoda/errno.h>
#include <pagoda/mm_user.h>
#include <pagoda/sched.h>
#include <pagoda/syscalls.h>
#include <uapi/pagoda/mman.h>

SYSCALL_DEFINE1(brk, unsigned long, brk)
{
	return (long)vm_brk(current->mm, brk);
}

SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len, unsigned long, prot,
		unsigned long, flags, long, fd, unsigned long, off)
{
	const unsigned long known = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN;
	if ((flags & ~known) || !(flags & MAP_PRIVATE) || !(flags & MAP_ANONYMOUS) || fd != -1 || off)
		return -EINVAL;
	return (long)vm_mmap(current->mm, addr, len, prot, flags, NULL);
}

SYSCALL_DEFINE2(munmap, unsigned long, addr, unsigned long, len)
{
	return vm_munmap(current->mm, addr, len);
}

SYSCALL_DEFINE3(mprotect, unsigned long, addr, unsigned long, len, unsigned long, prot)
{
	return vm_mprotect(current->mm, addr, len, prot);
}
