/*
 * Trap and interrupt entry for i386: the same shape as entry_64.S. The stub
 * for vector v is at trap_stubs + 16 * v; common code saves the registers
 * with pusha (a struct pt_regs) and calls do_trap(regs).
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
	pushl $0
	.endif
	pushl $vec
	jmp trap_common
	vec = vec + 1
	.endr

trap_common:
	pushal
	cld
	pushl %esp
	call do_trap
	addl $4, %esp
	popal
	addl $8, %esp                   /* vector and error code */
	iret
