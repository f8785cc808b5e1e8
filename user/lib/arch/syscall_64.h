/*
 * The x86_64 system-call instruction (include/uapi/pagoda/unistd.h has the
 * convention): number in rax, arguments in rdi rsi rdx r10 r8 r9, result in
 * rax; the CPU overwrites rcx (return rip) and r11 (rflags).
 */
#ifndef USER_SYSCALL_64_H
#define USER_SYSCALL_64_H

static inline long syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;
	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			     : "rcx", "r11", "memory");
	return ret;
}

#endif
