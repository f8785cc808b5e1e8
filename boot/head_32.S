/*
 * i386 entry. GRUB jumps to _start (physical address) in 32-bit protected
 * mode with paging off, eax = multiboot2 magic, ebx = boot information.
 * We check the magic, copy the information, map the first 16 MiB twice with
 * 4 MiB (PSE) pages -- identity, and at PAGE_OFFSET where the kernel is
 * linked -- turn paging on and jump to start_kernel in the higher half.
 * paging_init() replaces these tables with swapper_pg_dir.
 */
#include <asm/layout.h>
#include <asm/multiboot2.h>

#define PHYS(x) ((x) - KERNEL_VIRT_BASE)
#define PDE_P   0x001
#define PDE_W   0x002
#define PDE_PS  0x080
#define BOOT_PDES (BOOT_MAP_SIZE >> 22)

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

	/* 4 MiB pages need CPUID.1:EDX.PSE (bit 3). */
	movl $1, %eax
	cpuid
	btl $3, %edx
	jnc no_pse

	movl $PHYS(boot_pgdir), %edi
	movl $1024, %ecx
	xorl %eax, %eax
	rep stosl

	movl $PHYS(boot_pgdir), %ebx
	movl $(PDE_P | PDE_W | PDE_PS), %eax
	xorl %ecx, %ecx
1:	movl %eax, (%ebx, %ecx, 4)
	movl %eax, (PAGE_OFFSET >> 22) * 4(%ebx, %ecx, 4)
	addl $0x400000, %eax
	incl %ecx
	cmpl $BOOT_PDES, %ecx
	jne 1b

	movl %cr4, %eax
	orl $(1 << 4), %eax                  /* PSE */
	movl %eax, %cr4
	movl $PHYS(boot_pgdir), %eax
	movl %eax, %cr3
	movl %cr0, %eax
	orl $((1 << 31) | (1 << 16)), %eax  /* PG, WP */
	movl %eax, %cr0

	lgdt PHYS(boot_gdt_ptr_phys)
	ljmp $0x08, $PHYS(1f)
1:	movl $start32_high, %eax
	jmp *%eax

no_pse:
	movl $PHYS(msg_no_pse), %esi
	xorl %ecx, %ecx
	jmp early_fail

#include "early32.inc"

	.text
start32_high:
	lgdt boot_gdt_ptr
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movl $boot_stack_top, %esp
	xorl %ebp, %ebp                     /* ends the backtrace chain */
	pushl $boot_mbi_copy
	pushl $MB2_BOOTLOADER_MAGIC
	call start_kernel
1:	cli
	hlt
	jmp 1b

	.section .rodata
msg_no_pse:	.asciz "this CPU has no 4 MiB pages (PSE); 0x"
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

	.section .bss..page_aligned, "aw", @nobits
	.balign 4096
boot_pgdir:	.skip 4096
