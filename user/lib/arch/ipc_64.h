/*
 * An IPC system call on x86_64: the handle in rdi, the tag in rsi, the
 * words w0..w3 in rdx, r10, r8, r9 (the argument registers); a message
 * that comes back returns in rsi, rdx, r10, r8, r9.
 */
#ifndef USER_IPC_64_H
#define USER_IPC_64_H

static inline long ipc_syscall(long nr, int h, unsigned long *tag, unsigned long *w)
{
	register unsigned long r10 __asm__("r10") = w[1];
	register unsigned long r8 __asm__("r8") = w[2];
	register unsigned long r9 __asm__("r9") = w[3];
	unsigned long t = *tag, w0 = w[0];
	long ret = nr;
	__asm__ __volatile__("syscall"
			     : "+a"(ret), "+S"(t), "+d"(w0), "+r"(r10), "+r"(r8), "+r"(r9)
			     : "D"((long)h)
			     : "rcx", "r11", "memory");
	*tag = t;
	w[0] = w0;
	w[1] = r10;
	w[2] = r8;
	w[3] = r9;
	return ret;
}

#endif
