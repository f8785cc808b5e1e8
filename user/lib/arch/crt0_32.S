/*
 * _start, the first instruction of every i386 program. The kernel leaves
 * esp at argc, as the System V ABI lays out the initial stack:
 *   argc, argv[0..argc-1], NULL, envp[...], NULL, auxv ...
 * ebp = 0 ends the backtrace; esp is 16-byte aligned at the call.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	xorl %ebp, %ebp
	movl %esp, %eax
	andl $-16, %esp
	subl $12, %esp
	pushl %eax
	call __libc_start_main
	hlt                     /* not reached: __libc_start_main exits */
