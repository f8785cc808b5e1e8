/*
 * System calls another part of the tree provides: until it does, the
 * weak definitions here keep the table complete and answer -ENOSYS, as
 * Linux's kernel/sys_ni.c does for calls a configuration leaves out.
 */
#include <pagoda/errno.h>
#include <pagoda/syscalls.h>

#define COND_SYSCALL(name) \
	__weak long sys_##name(struct pt_regs *regs) { (void)regs; return -ENOSYS; }

COND_SYSCALL(brk)
COND_SYSCALL(mmap)
COND_SYSCALL(munmap)
COND_SYSCALL(mprotect)
COND_SYSCALL(debug_read)
COND_SYSCALL(monitor)
