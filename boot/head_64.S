/*
 * x86_64 entry. GRUB (or boot/pvh.S, the PVH entry) jumps to _start (physical
 * address) in 32-bit protected mode with paging off, eax = the magic, ebx = physical address of the
 * boot information. We check the magic, copy the information, build boot
 * page tables, switch to long mode and jump to start_kernel in the higher half.
 *
 * The boot tables map the first 1 GiB three times with 2 MiB pages:
 *   identity            (so the instruction after "enable paging" still runs)
 *   PAGE_OFFSET + phys  (the direct map, extended to all RAM by paging_init)
 *   -2 GiB + phys       (the kernel image, linked there with -mcmodel=kernel)
 * paging_init() replaces them with swapper_pg_dir, which has no identity part.
 */
#include <asm/layout.h>
#include <asm/multiboot2.h>
#include <asm/pvh.h>

#define PHYS(x) ((x) - KERNEL_VIRT_BASE)
#define PTE_P   0x001
#define PTE_W   0x002
#define PTE_PS  0x080

	.section .head.text, "ax"
	.code32
	.globl _start
_start:
	cli
	movl $PHYS(boot_stack_top), %esp
	movl %eax, %ebp                     /* the magic survives in ebp */
	call early_record_tsc
	call early_serial_init
	movl %ebp, %eax
	call early_check_and_copy_mbi

	/* Long mode is required: CPUID 0x80000001 EDX bit 29. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode
	movl %edx, %edi                     /* bit 20: NX */

	/* Boot page tables (zeroed: GRUB zero-fills .bss, but say so here). */
	movl $PHYS(boot_pgtables_start), %eax
	movl $PHYS(boot_pgtables_end), %ecx
	subl %eax, %ecx
	shrl $2, %ecx
	movl %eax, %ebx
	push %edi
	movl %ebx, %edi
	xorl %eax, %eax
	rep stosl
	pop %edi

	/* boot_pd: 512 x 2 MiB = the first 1 GiB. */
	movl $PHYS(boot_pd), %ebx
	movl $(PTE_P | PTE_W | PTE_PS), %eax
	xorl %ecx, %ecx
1:	movl %eax, (%ebx, %ecx, 8)
	addl $0x200000, %eax
	incl %ecx
	cmpl $512, %ecx
	jne 1b

	movl $(PHYS(boot_pd) + PTE_P + PTE_W), %eax
	movl %eax, PHYS(boot_pdpt_low)              /* 0 .. 1 GiB identity */
	movl %eax, PHYS(boot_pdpt_high) + 510 * 8   /* -2 GiB */
	movl $(PHYS(boot_pdpt_low) + PTE_P + PTE_W), %eax
	movl %eax, PHYS(boot_pml4)                  /* PML4[0] */
	movl %eax, PHYS(boot_pml4) + 256 * 8        /* PML4[256] = PAGE_OFFSET */
	movl $(PHYS(boot_pdpt_high) + PTE_P + PTE_W), %eax
	movl %eax, PHYS(boot_pml4) + 511 * 8

	/* PAE on, CR3, EFER.LME (+NXE when the CPU has NX), then paging + WP. */
	movl %cr4, %eax
	orl $(1 << 5), %eax
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx
	rdmsr
	orl $(1 << 8), %eax
	btl $20, %edi
	jnc 2f
	orl $(1 << 11), %eax
2:	wrmsr
	movl %cr0, %eax
	orl $((1 << 31) | (1 << 16)), %eax
	movl %eax, %cr0

	lgdt PHYS(boot_gdt_ptr32)
	ljmp $0x08, $PHYS(start64_low)

no_long_mode:
	movl $PHYS(msg_no_lm), %esi
	xorl %ecx, %ecx
	jmp early_fail

#include "early32.inc"

	.code64
start64_low:
	movabsq $start64_high, %rax
	jmp *%rax

	/* Frame-chain end for debuggers: gdb unwinds by the call-frame
	 * information (.debug_frame, as the C code's), and "return address
	 * undefined" marks this as the outermost frame, so `bt` stops here
	 * instead of reading whatever lies above the boot stack. (ebp = 0 does
	 * the same for the kernel's own backtrace walker.) */
	.cfi_sections .debug_frame
	.text
start64_high:
	.cfi_startproc
	.cfi_undefined rip
	/* Reload GDTR with its virtual address: the identity map will go away. */
	lgdt boot_gdt_ptr64(%rip)
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movabsq $boot_stack_top - 256, %rsp /* the top 256 bytes: pid 1's user pt_regs (process_64.c) */
	xorl %ebp, %ebp                     /* ends the backtrace chain */
	movl boot_magic(%rip), %edi
	movabsq $boot_mbi_copy, %rsi
	call start_kernel
1:	cli
	hlt
	jmp 1b
	.cfi_endproc

	.section .rodata
msg_no_lm:	.asciz "this CPU has no long mode; boot the i386 build (make ARCH=i386) instead; 0x"

	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9b000000ffff            /* 0x08: kernel code, 64-bit (accessed bit preset: the GDT may be read-only) */
	.quad 0x00cf93000000ffff            /* 0x10: kernel data */
boot_gdt_end:
boot_gdt_ptr32:
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)
	.balign 8
boot_gdt_ptr64:
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.section .bss..page_aligned, "aw", @nobits
	.balign 4096
boot_pgtables_start:
boot_pml4:	.skip 4096
boot_pdpt_low:	.skip 4096
boot_pdpt_high:	.skip 4096
boot_pd:	.skip 4096
boot_pgtables_end:

