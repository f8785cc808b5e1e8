/*
 * x86_64 context switch (see <asm/switch_to.h>). The System V ABI makes
 * rbx, rbp and r12-r15 callee-saved: they are all a switched-out task keeps
 * beside its stack pointer. The frame, lowest address first:
 *   r15 r14 r13 r12 rbx rbp <return address>
 * so a sleeping task's frame pointer is at sp + 40 and where it stopped at
 * sp + 48 (arch_switched_out_frame in process_64.c).
 */
	.text
	.globl __switch_to_asm
	.type __switch_to_asm, @function
/* rdi = &prev->thread.sp, rsi = next->thread.sp, rdx = prev */
__switch_to_asm:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	movq %rdx, %rax                 /* prev, as next sees it */
	ret
	.size __switch_to_asm, . - __switch_to_asm

/* A new task's first return: rbx = fn, r12 = arg, rax = prev, rbp = 0 (the
 * end of the frame chain for backtraces). rsp is 16-byte aligned here. */
	.globl ret_from_kernel_thread
	.type ret_from_kernel_thread, @function
ret_from_kernel_thread:
	movq %rax, %rdi
	call schedule_tail
	movq %r12, %rdi
	call *%rbx
	movl %eax, %edi
	call kthread_exit
	ud2
	.size ret_from_kernel_thread, . - ret_from_kernel_thread
