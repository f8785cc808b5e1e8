/*
 * i386 entry. GRUB (or boot/pvh.S, the PVH entry) jumps to _start (physical
 * address) in 32-bit protected mode with paging off, eax = the magic, ebx = boot information.
 * We check the magic, copy the information, map the first 16 MiB twice with
 * large pages -- identity, and at PAGE_OFFSET where the kernel is linked --
 * turn paging on and jump to start_kernel in the higher half. (Large pages
 * are 4 MiB with 2-level paging, 2 MiB with PAE: boot_pgtable_*.inc.)
 * paging_init() replaces these tables with swapper_pg_dir.
 */
#include <asm/layout.h>
#include <asm/multiboot2.h>
#include <asm/pvh.h>

#define PHYS(x) ((x) - KERNEL_VIRT_BASE)

	.section .head.text, "ax"
	.code32
	.globl _start
_start:
	cli
	movl $PHYS(boot_stack_top), %esp
	movl %eax, %ebp
	call early_record_tsc
	call early_serial_init
	movl %ebp, %eax
	call early_check_and_copy_mbi

	/* Boot page tables into CR3, CR4 set for them: 2-level with 4 MiB
	 * pages, or (PAE=1) a 4-entry PDPT over one page directory of 2 MiB
	 * pages. The only difference between the two builds' entry code. */
#ifdef CONFIG_X86_PAE
#include "boot_pgtable_3level.inc"
#else
#include "boot_pgtable_2level.inc"
#endif

	movl %cr0, %eax
	orl $((1 << 31) | (1 << 16)), %eax  /* PG, WP */
	movl %eax, %cr0

	lgdt PHYS(boot_gdt_ptr_phys)
	ljmp $0x08, $PHYS(1f)
1:	movl $start32_high, %eax
	jmp *%eax

#include "early32.inc"

	/* Frame-chain end for debuggers: see start64_high in head_64.S. */
	.cfi_sections .debug_frame
	.text
start32_high:
	.cfi_startproc
	.cfi_undefined eip
	lgdt boot_gdt_ptr
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movl $boot_stack_top - 256, %esp /* the top 256 bytes: pid 1's user pt_regs (process_32.c) */
	xorl %ebp, %ebp                     /* ends the backtrace chain */
	pushl $boot_mbi_copy
	pushl boot_magic
	call start_kernel
1:	cli
	hlt
	jmp 1b
	.cfi_endproc

	.section .rodata
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00cf9b000000ffff            /* 0x08: kernel code (accessed bit preset) */
	.quad 0x00cf93000000ffff            /* 0x10: kernel data */
boot_gdt_end:
boot_gdt_ptr_phys:
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt
