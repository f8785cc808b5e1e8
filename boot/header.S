/*
 * The multiboot2 header GRUB looks for in the first 32 KiB of the image.
 * It asks for nothing special: GRUB loads the ELF segments at their physical
 * addresses (AT() in linker.ld) and enters _start in 32-bit protected mode.
 */
#include <asm/multiboot2.h>

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* end tag: type 0, flags 0, size 8 */
	.short 0
	.short 0
	.long 8
mb2_header_end:

	/*
	 * Room for a multiboot1 header, left empty (zeros are no header):
	 * kernel-mb1.elf fills it (Makefile) so that a test can boot the kernel
	 * with QEMU's multiboot1 loader and check that the entry refuses the
	 * wrong magic. In kernel.elf itself it would make QEMU's -kernel take
	 * the multiboot1 path instead of PVH (boot/pvh.S).
	 */
	.section .multiboot1, "a"
	.balign 4
mb1_header_slot:
	.skip 12
