/* x86_64: the arch half of a task: a new thread's or forked child's first switch frame, a new program's registers, reading a sleeping task's frame. */
#include <asm/switch_to.h>
#include <asm/desc.h>
#include <asm/entry.h>
#include <asm/processor.h>
#include <pagoda/sched.h>

unsigned long arch_thread_init_stack(unsigned long stack_top, int (*fn)(void *), void *arg)
{
	/* The top of the stack is the user registers' place (task_pt_regs,
	 * where exec writes them while the thread runs below): the frame goes
	 * under it. After the frame's ret, rsp = base: 16-byte aligned for
	 * the calls ret_from_kernel_thread makes. */
	unsigned long base = (stack_top - sizeof(struct pt_regs)) & ~15UL;
	unsigned long *sp = (unsigned long *)base - 7;
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

void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp)
{
	*regs = (struct pt_regs){
		.ip = ip, .sp = sp, .cs = USER_CS, .ss = USER_DS,
		.flags = X86_EFLAGS_IF | X86_EFLAGS_FIXED,
	};
}

/* The switch frame of __switch_to_asm (r15 r14 r13 r12 rbx rbp ret) right
 * under the child's pt_regs; rbp 0 ends a backtrace there. */
unsigned long arch_fork_init_stack(struct task_struct *child)
{
	unsigned long *sp = (unsigned long *)task_pt_regs(child) - 7;
	for (int i = 0; i < 6; i++)
		sp[i] = 0;
	sp[6] = (unsigned long)ret_from_fork;
	return (unsigned long)sp;
}

/* boot/head_64.S leaves this much room above start_kernel's stack for
 * pid 1's user registers. */
_Static_assert(sizeof(struct pt_regs) <= 256, "boot stack room for pt_regs");
