/*
 * i386 AP trampoline: trampoline_16.inc brings the AP to paging on; it
 * takes its stack and calls the kernel's C entry (smp_ap_start) at its
 * kernel address. (trampoline_lm64 only exists to keep one C view.)
 */
#include "trampoline_16.inc"
	.globl trampoline_lm64
trampoline_lm64:
	movl TR_PARAMS + TRP_STACK(%ebx), %esp
	movl TR_PARAMS + TRP_ENTRY(%ebx), %eax
	xorl %ebp, %ebp                     /* ends the backtrace chain */
	call *%eax
3:	cli
	hlt
	jmp 3b
	.globl trampoline_end
trampoline_end:
