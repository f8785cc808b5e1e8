/* i386: the arch half of a task: a new thread's or forked child's first switch frame, a new program's registers, reading a sleeping task's frame. */
#include <asm/switch_to.h>
#include <asm/desc.h>
#include <asm/entry.h>
#include <asm/processor.h>
#include <pagoda/sched.h>

unsigned long arch_thread_init_stack(unsigned long stack_top, int (*fn)(void *), void *arg)
{
	/* Under the user registers' place (task_pt_regs), as on x86_64. */
	unsigned long base = (stack_top - sizeof(struct pt_regs)) & ~15UL;
	unsigned long *sp = (unsigned long *)base - 5;
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

void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp)
{
	*regs = (struct pt_regs){
		.ip = ip, .sp = sp, .cs = USER_CS, .ss = USER_DS,
		.ds = USER_DS, .es = USER_DS, .fs = USER_DS, .gs = USER_DS,
		.flags = X86_EFLAGS_IF | X86_EFLAGS_FIXED,
	};
}

/* The switch frame of __switch_to_asm (edi esi ebx ebp ret) right under
 * the child's pt_regs; ebp 0 ends a backtrace there. */
unsigned long arch_fork_init_stack(struct task_struct *child)
{
	unsigned long *sp = (unsigned long *)task_pt_regs(child) - 5;
	for (int i = 0; i < 4; i++)
		sp[i] = 0;
	sp[4] = (unsigned long)ret_from_fork;
	return (unsigned long)sp;
}

/* boot/head_32.S leaves this much room above start_kernel's stack for
 * pid 1's user registers. */
_Static_assert(sizeof(struct pt_regs) <= 256, "boot stack room for pt_regs");
