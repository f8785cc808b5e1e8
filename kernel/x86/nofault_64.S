/*
 * int __read_kernel_nofault(unsigned long *dst, const void *src): one load
 * that may fault. If the load at nofault_load faults, do_page_fault sees
 * the faulting ip, puts -EFAULT in ax and resumes at nofault_resume instead
 * of reporting a bug (an exception table with one entry).
 * int __write_kernel_nofault(void *dst, unsigned long val): the same for
 * one store (nofault_store, nofault_store_resume).
 */
	.text
	.globl __read_kernel_nofault, nofault_load, nofault_resume
	.type __read_kernel_nofault, @function
__read_kernel_nofault:
	push %rbp
	mov %rsp, %rbp
	xor %eax, %eax
nofault_load:
	mov (%rsi), %rcx
	mov %rcx, (%rdi)
nofault_resume:
	pop %rbp
	ret
	.size __read_kernel_nofault, . - __read_kernel_nofault
	.globl __write_kernel_nofault, nofault_store, nofault_store_resume
	.type __write_kernel_nofault, @function
__write_kernel_nofault:
	push %rbp
	mov %rsp, %rbp
	xor %eax, %eax
nofault_store:
	mov %rsi, (%rdi)
nofault_store_resume:
	pop %rbp
	ret
	.size __write_kernel_nofault, . - __write_kernel_nofault

	.section .note.GNU-stack, "", @progbits
