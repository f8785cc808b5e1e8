/*
 * i386 context switch (see <asm/switch_to.h>). The cdecl ABI makes ebx,
 * esi, edi and ebp callee-saved. The frame, lowest address first:
 *   edi esi ebx ebp <return address> <arguments>
 * so a sleeping task's frame pointer is at sp + 12 and where it stopped at
 * sp + 16 (arch_switched_out_frame in process_32.c).
 */
	.text
	.globl __switch_to_asm
	.type __switch_to_asm, @function
/* (unsigned long *prev_sp, unsigned long next_sp, struct task_struct *prev) */
__switch_to_asm:
	movl 4(%esp), %ecx              /* prev_sp */
	movl 8(%esp), %edx              /* next_sp */
	movl 12(%esp), %eax             /* prev: the return value, on either side */
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, (%ecx)
	movl %edx, %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret
	.size __switch_to_asm, . - __switch_to_asm

/* A new task's first return: ebx = fn, esi = arg, eax = prev, ebp = 0. */
	.globl ret_from_kernel_thread
	.type ret_from_kernel_thread, @function
ret_from_kernel_thread:
	pushl %eax
	call schedule_tail
	addl $4, %esp
	pushl %esi
	call *%ebx
	addl $4, %esp
	pushl %eax
	call kthread_exit
	ud2
	.size ret_from_kernel_thread, . - ret_from_kernel_thread
