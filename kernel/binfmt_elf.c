/*
 * Loading a static ELF program into an address space (exec's middle
 * part). lib/elf.c has already checked the image (struct elf_image: every
 * PT_LOAD inside the file, in user space, not overlapping, sizes sane), so
 * this only maps and copies: each segment becomes an anonymous VMA over
 * its pages, first writable so that its file bytes can be copied in with
 * copy_to_user (the pages appear on first touch, zeroed: the bss and the
 * tail of the last file page need no clearing), then given the segment's
 * own protection with vm_mprotect. The caller has made mm the current
 * address space.
 */
#include <pagoda/errno.h>
#include <pagoda/mm_user.h>
#include <pagoda/uaccess.h>
#include <uapi/pagoda/mman.h>
#include "exec.h"

static unsigned long seg_prot(u32 pf)
{
	return (pf & PF_R ? PROT_READ : 0) | (pf & PF_W ? PROT_WRITE : 0) | (pf & PF_X ? PROT_EXEC : 0);
}

static const char *seg_name(u32 pf)
{
	return pf & PF_X ? "text" : pf & PF_W ? "data" : "rodata";
}

int load_elf_binary(struct mm_struct *mm, const void *file, const struct elf_image *img)
{
	unsigned long end_max = 0;
	mm->start_code = mm->end_code = mm->start_data = mm->end_data = 0;
	for (int i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->seg[i];
		unsigned long start = s->vaddr & PAGE_MASK;
		unsigned long end = PAGE_ALIGN(s->vaddr + s->memsz);
		unsigned long addr = vm_mmap(mm, start, end - start, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, seg_name(s->prot));
		if (IS_ERR_VALUE(addr))
			return (int)(long)addr;
		if (copy_to_user((void __user *)(unsigned long)s->vaddr, (const u8 *)file + s->offset, s->filesz))
			return -ENOMEM;         /* the pages could not be had */
		int err = vm_mprotect(mm, start, end - start, seg_prot(s->prot));
		if (err)
			return err;
		if (s->prot & PF_X) {
			mm->start_code = s->vaddr;
			mm->end_code = s->vaddr + s->filesz;
		} else if (s->prot & PF_W) {
			mm->start_data = s->vaddr;
			mm->end_data = s->vaddr + s->memsz;
		}
		if (end > end_max)
			end_max = end;
	}
	/* The heap starts on the page after the highest segment. */
	mm->start_brk = mm->brk = end_max;
	return 0;
}
