/* The ELF executables this build runs (lib/elf.c's target): ELF64 x86-64 on
 * x86_64, ELF32 i386 on i386 and PAE, loaded below TASK_SIZE. Linux's names. */
#ifndef ASM_ELF_H
#define ASM_ELF_H

#include <pagoda/elf.h>
#include <asm/layout.h>

#ifdef __x86_64__
#define ELF_CLASS       ELFCLASS64
#define ELF_ARCH        EM_X86_64
#else
#define ELF_CLASS       ELFCLASS32
#define ELF_ARCH        EM_386
#endif

#define ELF_TARGET_NATIVE ((struct elf_target){ .class = ELF_CLASS, .machine = ELF_ARCH, \
					       .user_top = TASK_SIZE })

#endif
