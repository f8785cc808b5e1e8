/* Multiboot2 constants shared by the boot assembly and kernel/x86/multiboot2.c. */
#ifndef ASM_MULTIBOOT2_H
#define ASM_MULTIBOOT2_H

#define MB2_HEADER_MAGIC     0xe85250d6
#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define MB2_ARCH_I386        0
/* Multiboot 1, only so that booting with the wrong protocol can be tested. */
#define MB1_HEADER_MAGIC     0x1badb002
#define MB1_BOOTLOADER_MAGIC 0x2badb002

#endif
