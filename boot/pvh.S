/*
 * The direct entry: QEMU's -kernel (and Xen) start an ELF kernel that carries
 * a XEN_ELFNOTE_PHYS32_ENTRY note at that physical address, in 32-bit
 * protected mode with paging off, %ebx = physical address of struct
 * hvm_start_info (<asm/pvh.h>). No firmware disk boot and no GRUB: this is
 * how the tests boot. From here on both entries share _start (head_32.S or
 * head_64.S): the magic in %eax tells early_check_and_copy_mbi which
 * information %ebx points at.
 */
#include <asm/layout.h>
#include <asm/pvh.h>

#define PHYS(x) ((x) - KERNEL_VIRT_BASE)

	/*
	 * The note: name "Xen", type 18, the entry's physical address. The
	 * value is 8 bytes, the high half 0, so that a reader taking a 32-bit
	 * value (i386 ELF) and one taking 64 bits (QEMU, for an ELF64) agree.
	 */
	.section .note.Xen, "a", @note
	.balign 4
	.long 4                             /* namesz */
	.long 8                             /* descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.long PHYS(pvh_start)
	.long 0
	.balign 4

	.section .head.text, "ax"
	.code32
	.globl pvh_start
pvh_start:
	/* The protocol's magic is the first word of start_info: hand it to
	 * _start in %eax as a multiboot2 loader hands over its own. */
	movl (%ebx), %eax
	jmp _start
