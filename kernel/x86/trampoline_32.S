/*
 * i386 AP trampoline: trampoline_16.inc brings the AP to paging on; it
 * takes its stack and jumps to secondary_startup in kernel text, which
 * calls the C entry (smp_ap_start): a debugger's backtrace of an AP then
 * ends at a known frame, not in the trampoline's copy below 1 MiB.
 * (trampoline_lm64 only exists to keep one C view.)
 */
#include "trampoline_16.inc"
	.globl trampoline_lm64
trampoline_lm64:
	movl TR_PARAMS + TRP_STACK(%ebx), %esp
	movl TR_PARAMS + TRP_ENTRY(%ebx), %eax
	jmp *%eax
	.globl trampoline_end
trampoline_end:

	/* The outermost frame of every AP (see start64_high in head_64.S). */
	.cfi_sections .debug_frame
	.text
	.globl secondary_startup
secondary_startup:
	.cfi_startproc
	.cfi_undefined eip
	xorl %ebp, %ebp                     /* ends the backtrace chain */
	call smp_ap_start
3:	cli
	hlt
	jmp 3b
	.cfi_endproc
