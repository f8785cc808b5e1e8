/*
 * x86_64 AP trampoline: trampoline_16.inc brings the AP to paging on with
 * EFER.LME set, i.e. compatibility mode; a far jump into the 64-bit code
 * segment makes it 64-bit, then it takes its stack and jumps to
 * secondary_startup in kernel text, which calls the C entry (smp_ap_start).
 * The call is made from kernel text, not from the trampoline's copy below
 * 1 MiB, so that a debugger's backtrace of an AP ends at a known frame.
 */
#include "trampoline_16.inc"
	ljmpl *TR_PARAMS + TRP_JUMP64(%ebx)

	.code64
	.globl trampoline_lm64
trampoline_lm64:
	movq TR_PARAMS + TRP_STACK(%rbx), %rsp
	movq TR_PARAMS + TRP_ENTRY(%rbx), %rax
	jmp *%rax
	.globl trampoline_end
trampoline_end:

	/* The outermost frame of every AP (see start64_high in head_64.S). */
	.cfi_sections .debug_frame
	.text
	.globl secondary_startup
secondary_startup:
	.cfi_startproc
	.cfi_undefined rip
	xorl %ebp, %ebp                     /* ends the backtrace chain */
	call smp_ap_start
3:	cli
	hlt
	jmp 3b
	.cfi_endproc
