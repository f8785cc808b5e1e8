/* x86_64: a new task's first switch frame, and reading a sleeping one's. */
#include <asm/switch_to.h>

unsigned long arch_thread_init_stack(unsigned long stack_top, int (*fn)(void *), void *arg)
{
	/* After the frame's ret, rsp = top - 16: 16-byte aligned for the calls
	 * ret_from_kernel_thread makes; the last 16 bytes stay zero. */
	unsigned long *sp = (unsigned long *)(stack_top - 16) - 7;
	sp[0] = 0;                              /* r15 */
	sp[1] = 0;                              /* r14 */
	sp[2] = 0;                              /* r13 */
	sp[3] = (unsigned long)arg;             /* r12 */
	sp[4] = (unsigned long)fn;              /* rbx */
	sp[5] = 0;                              /* rbp: the frame chain ends here */
	sp[6] = (unsigned long)ret_from_kernel_thread;
	return (unsigned long)sp;
}

void arch_switched_out_frame(unsigned long sp, unsigned long *fp, unsigned long *pc)
{
	const unsigned long *f = (const unsigned long *)sp;
	*fp = f[5];
	*pc = f[6];
}
