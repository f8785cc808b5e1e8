/*
 * syscall6(): one system call, raw (a result in [-4095, -1] is -errno).
 * The instruction and registers differ per build: lib/arch/syscall_64.h and
 * syscall_32.h. The C wrappers (syscalls.c) set errno and return -1.
 */
#ifndef USER_SYSCALL_H
#define USER_SYSCALL_H

#include <pagoda/unistd.h>
#include <pagoda/errno.h>

#ifdef __x86_64__
#include "arch/syscall_64.h"
#else
#include "arch/syscall_32.h"
#endif

#define syscall0(n)                 syscall6(n, 0, 0, 0, 0, 0, 0)
#define syscall1(n, a)              syscall6(n, (long)(a), 0, 0, 0, 0, 0)
#define syscall2(n, a, b)           syscall6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define syscall3(n, a, b, c)        syscall6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define syscall4(n, a, b, c, d)     syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* The result of a raw call as C wants it: errno and -1 on an error. */
long __syscall_ret(long r);

#endif
