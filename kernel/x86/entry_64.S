/*
 * Trap and interrupt entry for x86_64. One 16-byte stub per vector pushes a
 * zero error code where the CPU does not push one, then the vector, and
 * jumps to common code that saves every register as a struct pt_regs and
 * calls do_trap(regs). The stub for vector v is at trap_stubs + 16 * v.
 */
#include <asm/trapnr.h>

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
	cld
	movq %rsp, %rdi
	call do_trap
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
	addq $16, %rsp                  /* vector and error code */
	iretq
