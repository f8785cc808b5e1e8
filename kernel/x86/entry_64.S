/*
 * Trap, interrupt and system-call entry for x86_64.
 *
 * Traps and interrupts: one 16-byte stub per vector pushes a zero error
 * code where the CPU does not push one, then the vector, and jumps to
 * common code that saves every register as a struct pt_regs and calls
 * do_trap(regs). The stub for vector v is at trap_stubs + 16 * v. From user
 * mode (the saved CS has RPL 3) the CPU has already switched to the task's
 * kernel stack (the TSS's rsp0), and GS holds the user's base: swapgs makes
 * it the kernel's per-CPU base on the way in and the user's on the way out.
 *
 * System calls: the `syscall` instruction (MSR_LSTAR) arrives at
 * entry_SYSCALL_64 with rcx = the user rip, r11 = the user rflags, the user
 * rsp still loaded and interrupts off (MSR_FMASK). It builds the same
 * struct pt_regs an interrupt from user mode would (vector SYSCALL_VECTOR),
 * so fork, exec and the reports see one layout, and returns by sysret when
 * do_syscall_64 says it is safe, by iret otherwise.
 */
#include <asm/trapnr.h>
#include <asm/desc.h>


.macro SAVE_REGS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rbp
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro RESTORE_REGS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rbp
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm

	.text
	.balign 16
	.globl trap_stubs
trap_stubs:
	vec = 0
	.rept 256
	.balign 16
	.if !TRAP_HAS_ERROR_CODE(vec)
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	vec = vec + 1
	.endr

trap_common:
	testb $3, 24(%rsp)              /* the saved CS, above vector and error code */
	jz 1f
	swapgs
1:	SAVE_REGS
	cld
	movq %rsp, %rdi
	call do_trap                    /* returns with interrupts off */
	.globl restore_regs_and_iret
restore_regs_and_iret:
	RESTORE_REGS
	addq $16, %rsp                  /* vector and error code */
	testb $3, 8(%rsp)               /* the saved CS */
	jz 2f
	swapgs
2:	iretq

	.balign 16
	.globl entry_SYSCALL_64
	.type entry_SYSCALL_64, @function
entry_SYSCALL_64:
	swapgs
	movq %rsp, %gs:cpu_user_sp      /* no free register: park the user rsp */
	movq %gs:cpu_sp0, %rsp
	pushq $USER_DS                  /* ss */
	pushq %gs:cpu_user_sp           /* sp */
	pushq %r11                      /* flags */
	pushq $USER_CS                  /* cs */
	pushq %rcx                      /* ip */
	pushq $0                        /* error code */
	pushq $SYSCALL_VECTOR           /* vector: "a system call frame" */
	SAVE_REGS
	cld
	movq %rsp, %rdi
	call do_syscall_64              /* interrupts off again; true: sysret may return */
	testb %al, %al
	jz restore_regs_and_iret
	/* sysret: rcx = rip and r11 = rflags (do_syscall_64 checked that the
	 * frame says so, that rip is canonical user space and rflags sane). */
	RESTORE_REGS
	movq 5 * 8(%rsp), %rsp          /* the frame's sp, above vector, error code, ip, cs, flags */
	swapgs
	sysretq
	.size entry_SYSCALL_64, . - entry_SYSCALL_64

/* ret_to_user(regs): leave the kernel for good through the frame at regs,
 * the top of this task's stack (a new process's first return, a kernel
 * thread that exec'ed a program). Whatever was on the stack is dropped. */
	.globl ret_to_user
	.type ret_to_user, @function
ret_to_user:
	cli
	movq %rdi, %rsp
	call exit_to_user_mode          /* rdi = regs; interrupts off on return */
	jmp restore_regs_and_iret
	.size ret_to_user, . - ret_to_user

/* A forked child's first switch returns here (process_64.c builds the
 * frame): rax = prev; its pt_regs are just above. */
	.globl ret_from_fork
	.type ret_from_fork, @function
ret_from_fork:
	movq %rax, %rdi
	call schedule_tail
	movq %rsp, %rdi
	jmp ret_to_user
	.size ret_from_fork, . - ret_from_fork
