/*
 * The arch half of a task (struct thread_struct, inside task_struct) and the
 * switch between two kernel stacks (kernel/x86/switch_{32,64}.S).
 *
 * A task that is not running is a kernel stack whose top holds its
 * callee-saved registers and the address __switch_to_asm returns to:
 * everything else the C code needs is already on the stack, because the
 * switch happens inside a function call (the compiler saved the
 * caller-saved registers before calling). So a switch is: push the
 * callee-saved registers, store the stack pointer into prev's thread.sp,
 * load next's, pop, return, on next's stack, to where next once called it.
 */
#ifndef ASM_SWITCH_TO_H
#define ASM_SWITCH_TO_H

#include <pagoda/types.h>

struct fpu;

struct thread_struct {
	unsigned long sp;       /* saved stack pointer while switched out (first: the asm uses it) */
	unsigned long sp0;      /* top of the kernel stack: the TSS's rsp0/esp0 while it runs */
	unsigned long fsbase;   /* user TLS bases (x86_64 MSRs; i386: a GDT slot), for user tasks */
	unsigned long gsbase;
	struct fpu *fpu;        /* FXSAVE area; NULL for kernel threads, which use no SSE */
};

struct task_struct;
/* Save the callee-saved registers on this stack, store the stack pointer
 * in *prev_sp, switch to next_sp, restore and return there. Returns prev
 * (the task that ran before, seen from the task now running). Interrupts
 * off, the run queue lock held. */
struct task_struct *__switch_to_asm(unsigned long *prev_sp, unsigned long next_sp,
				    struct task_struct *prev);
/* Where a new task's first switch returns to (switch_{32,64}.S): it calls
 * schedule_tail(prev), then fn(arg), then kthread_exit(fn's result). */
void ret_from_kernel_thread(void);

/* Build the first switch frame of a new task at the top of its stack, so
 * that __switch_to_asm "returns" into ret_from_kernel_thread with fn and
 * arg in callee-saved registers; returns the initial thread.sp. */
unsigned long arch_thread_init_stack(unsigned long stack_top, int (*fn)(void *), void *arg);
/* The saved frame pointer and return address of a switched-out task (bt). */
void arch_switched_out_frame(unsigned long sp, unsigned long *fp, unsigned long *pc);

/* Point this CPU's TSS rsp0/esp0 at the next task's stack top
 * (kernel/x86/desc_{32,64}.c): where the CPU switches to on an interrupt
 * from user mode. */
void load_sp0(unsigned long sp0);

/* FPU/SSE state of user tasks (kernel/x86/fpu.c). The kernel is built
 * without SSE, so only a task flagged PF_USER has state to keep. */
struct fpu *fpu_alloc(void);
void fpu_free(struct fpu *fpu);
void fpu_save(struct fpu *fpu);
/* A new program's clean state (x87 as after fninit, default MXCSR, zero
 * registers), and a copy (fork). */
void fpu_init_state(struct fpu *fpu);
void fpu_copy(struct fpu *dst, const struct fpu *src);
void fpu_restore(const struct fpu *fpu);

#endif
