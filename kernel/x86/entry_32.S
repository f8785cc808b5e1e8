/*
 * Trap, interrupt and system-call entry for i386: the same shape as
 * entry_64.S. The stub for vector v is at trap_stubs + 16 * v; common code
 * saves the segment registers and the general ones (pusha), a struct
 * pt_regs, and calls do_trap(regs). A system call is `int $0x80`, vector
 * SYSCALL_VECTOR, whose gate alone has DPL 3 (with int3's).
 *
 * From user mode the CPU has switched to the task's kernel stack (the
 * TSS's esp0) and pushed the user ss:esp, but the data segments are still
 * the user's: the kernel's DS/ES and the per-CPU FS are loaded here, and
 * the user's come back from the frame on the way out.
 */
#include <asm/trapnr.h>
#include <asm/desc.h>
#include <asm/percpu.h>

	.text
	.balign 16
	.globl trap_stubs
trap_stubs:
	vec = 0
	.rept 256
	.balign 16
	.if !TRAP_HAS_ERROR_CODE(vec)
	pushl $0
	.endif
	pushl $vec
	jmp trap_common
	vec = vec + 1
	.endr

trap_common:
	pushl %ds
	pushl %es
	pushl %fs
	pushl %gs
	pushal
	movl $KERNEL_DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl $PERCPU_SEL, %eax
	movl %eax, %fs
	cld
	pushl %esp
	call do_trap                    /* returns with interrupts off */
	addl $4, %esp
	.globl restore_regs_and_iret
restore_regs_and_iret:
	popal
	popl %gs
	popl %fs
	popl %es
	popl %ds
	addl $8, %esp                   /* vector and error code */
	iret

/* ret_to_user(regs): leave the kernel for good through the frame at regs,
 * the top of this task's stack (a new process's first return, a kernel
 * thread that exec'ed a program). Whatever was on the stack is dropped. */
	.globl ret_to_user
	.type ret_to_user, @function
ret_to_user:
	cli
	movl 4(%esp), %esp
	pushl %esp
	call exit_to_user_mode          /* interrupts off on return */
	addl $4, %esp
	jmp restore_regs_and_iret
	.size ret_to_user, . - ret_to_user

/* A forked child's first switch returns here (process_32.c builds the
 * frame): eax = prev; its pt_regs are just above. */
	.globl ret_from_fork
	.type ret_from_fork, @function
ret_from_fork:
	pushl %eax
	call schedule_tail
	addl $4, %esp
	pushl %esp                      /* ret_to_user's argument: the regs */
	call ret_to_user
	.size ret_from_fork, . - ret_from_fork
