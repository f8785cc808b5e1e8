/*
 * Boot-time data both builds share: the boot stack with its guard page, and
 * the buffer the 32-bit entry copies the multiboot2 information into.
 * paging_init leaves the guard page unmapped, so running off the end of the
 * stack faults instead of overwriting whatever lies below.
 */
#include <asm/layout.h>

	.section .bss..page_aligned, "aw", @nobits
	.balign 4096
	.globl boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard: .skip 4096
boot_stack:	.skip BOOT_STACK_SIZE
boot_stack_top:

	.section .bss
	.balign 8
	.globl boot_mbi_copy
boot_mbi_copy:	.skip MBI_COPY_SIZE
