/*
 * An IPC system call on i386: the handle in ebx, the tag in ecx, the words
 * w0..w3 in edx, esi, edi, ebp (the argument registers); a message that
 * comes back returns in ecx, edx, esi, edi, ebp. ebp is the frame pointer,
 * so w3 goes through the stack, in and out; ebx (the handle, which the
 * kernel leaves alone) carries w3 out of the asm.
 */
#ifndef USER_IPC_32_H
#define USER_IPC_32_H

static inline long ipc_syscall(long nr, int h, unsigned long *tag, unsigned long *w)
{
	unsigned long t = *tag, w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], b = (unsigned long)h;
	long ret = nr;
	__asm__ __volatile__("pushl %[w3]\n\t"
			     "pushl %%ebp\n\t"
			     "movl 4(%%esp), %%ebp\n\t"
			     "int $0x80\n\t"
			     "movl %%ebp, 4(%%esp)\n\t"
			     "popl %%ebp\n\t"
			     "popl %%ebx"
			     : "+a"(ret), "+b"(b), "+c"(t), "+d"(w0), "+S"(w1), "+D"(w2)
			     : [w3] "m"(w3)
			     : "memory");
	*tag = t;
	w[0] = w0;
	w[1] = w1;
	w[2] = w2;
	w[3] = b;
	return ret;
}

#endif
