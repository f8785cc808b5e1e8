/*
 * _start, the first instruction of every x86_64 program. The kernel leaves
 * rsp at argc, as the System V ABI lays out the initial stack:
 *   argc, argv[0..argc-1], NULL, envp[...], NULL, auxv ...
 * rbp = 0 ends the backtrace; rsp is 16-byte aligned before the call.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	xorl %ebp, %ebp
	movq %rsp, %rdi
	andq $-16, %rsp
	call __libc_start_main
	hlt                     /* not reached: __libc_start_main exits */
