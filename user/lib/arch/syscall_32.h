/*
 * The i386 system-call instruction (include/uapi/pagoda/unistd.h has the
 * convention): `int $0x80`, number in eax, arguments in ebx ecx edx esi edi
 * ebp, result in eax. ebp is the frame pointer here, so it cannot be an asm
 * operand: the sixth argument is pushed, ebp is saved below it and loaded
 * from it around the trap. The push happens before esp moves, so an
 * esp-relative operand is still read correctly.
 */
#ifndef USER_SYSCALL_32_H
#define USER_SYSCALL_32_H

static inline long syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	long ret;
	__asm__ __volatile__("pushl %7\n\t"
			     "pushl %%ebp\n\t"
			     "movl 4(%%esp), %%ebp\n\t"
			     "int $0x80\n\t"
			     "popl %%ebp\n\t"
			     "addl $4, %%esp"
			     : "=a"(ret)
			     : "a"(n), "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5), "g"(a6)
			     : "memory");
	return ret;
}

#endif
