/* Shared by kernel/exec.c and kernel/binfmt_elf.c (private). */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include <pagoda/elf.h>
#include <pagoda/errno.h>
#include <asm/pfn.h>

#ifndef IS_ERR_VALUE
#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
#endif

struct mm_struct;

/* Map and fill img's segments into mm (the current address space); set
 * the code/data bounds and the brk start. 0 or -errno. */
int load_elf_binary(struct mm_struct *mm, const void *file, const struct elf_image *img);

#endif
