/* Shared by kernel/exec.c and kernel/binfmt_elf.c (private). */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include <pagoda/elf.h>
#include <pagoda/errno.h>
#include <pagoda/mm_user.h>
#include <asm/pfn.h>

/* Map and fill img's segments into mm (the current address space); set
 * the code/data bounds and the brk start. 0 or -errno. */
int load_elf_binary(struct mm_struct *mm, const void *file, const struct elf_image *img);

#endif
