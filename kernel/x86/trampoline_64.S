/*
 * x86_64 AP trampoline: trampoline_16.inc brings the AP to paging on with
 * EFER.LME set, i.e. compatibility mode; a far jump into the 64-bit code
 * segment makes it 64-bit, then it takes its stack and calls the kernel's
 * C entry (smp_ap_start) at its higher-half address.
 */
#include "trampoline_16.inc"
	ljmpl *TR_PARAMS + TRP_JUMP64(%ebx)

	.code64
	.globl trampoline_lm64
trampoline_lm64:
	movq TR_PARAMS + TRP_STACK(%rbx), %rsp
	movq TR_PARAMS + TRP_ENTRY(%rbx), %rax
	xorl %ebp, %ebp                     /* ends the backtrace chain */
	call *%rax
3:	cli
	hlt
	jmp 3b
	.globl trampoline_end
trampoline_end:
