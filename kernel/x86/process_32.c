/* i386: a new task's first switch frame, and reading a sleeping one's. */
#include <asm/switch_to.h>

unsigned long arch_thread_init_stack(unsigned long stack_top, int (*fn)(void *), void *arg)
{
	unsigned long *sp = (unsigned long *)(stack_top - 16) - 5;
	sp[0] = 0;                              /* edi */
	sp[1] = (unsigned long)arg;             /* esi */
	sp[2] = (unsigned long)fn;              /* ebx */
	sp[3] = 0;                              /* ebp: the frame chain ends here */
	sp[4] = (unsigned long)ret_from_kernel_thread;
	return (unsigned long)sp;
}

void arch_switched_out_frame(unsigned long sp, unsigned long *fp, unsigned long *pc)
{
	const unsigned long *f = (const unsigned long *)sp;
	*fp = f[3];
	*pc = f[4];
}
