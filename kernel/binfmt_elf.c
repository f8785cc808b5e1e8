/*
 * Loading a static ELF program into an address space (exec's middle
 * part). lib/elf.c has already checked the image (struct elf_image: every
 * PT_LOAD inside the file, in user space, not overlapping, sizes sane), so
 * this only maps and copies: each segment becomes an anonymous VMA over
 * its pages, first writable so that its file bytes can be copied in with
 * copy_to_user (the pages appear on first touch, zeroed: the bss and the
 * tail of the last file page need no clearing), then given the segment's
 * own protection with vm_mprotect. The caller has made mm the current
 * address space. A file in a memory object comes through a bounce page:
 * its pages may be highmem, and a kmap_local mapping must not be held
 * across copy_to_user, which may fault and sleep.
 */
#include <pagoda/errno.h>
#include <pagoda/highmem.h>
#include <pagoda/memobj.h>
#include <pagoda/mm_user.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
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

void exec_file_read(const struct exec_file *f, u64 off, void *dst, size_t len)
{
	if (f->data) {
		memcpy(dst, (const u8 *)f->data + off, len);
		return;
	}
	while (len) {
		size_t in = off & (PAGE_SIZE - 1), n = PAGE_SIZE - in < len ? PAGE_SIZE - in : len;
		memcpy_from_page(dst, memobj_page(f->mo, (unsigned long)off), in, n);
		dst = (u8 *)dst + n;
		off += n;
		len -= n;
	}
}

/* The segment's file bytes [off, off + len) to user address uaddr. */
static int copy_segment(const struct exec_file *f, unsigned long uaddr, u64 off, u64 len, void *bounce)
{
	if (f->data)
		return copy_to_user((void __user *)uaddr, (const u8 *)f->data + off, len) ? -ENOMEM : 0;
	while (len) {
		size_t n = len < PAGE_SIZE ? len : PAGE_SIZE;
		exec_file_read(f, off, bounce, n);
		if (copy_to_user((void __user *)uaddr, bounce, n))
			return -ENOMEM;
		uaddr += n;
		off += n;
		len -= n;
	}
	return 0;
}

int load_elf_binary(struct mm_struct *mm, const struct exec_file *f, const struct elf_image *img)
{
	void *bounce = NULL;
	if (!f->data && !(bounce = kmalloc(PAGE_SIZE, GFP_KERNEL)))
		return -ENOMEM;
	int err = 0;
	unsigned long end_max = 0;
	mm->start_code = mm->end_code = mm->start_data = mm->end_data = 0;
	for (int i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->seg[i];
		unsigned long start = s->vaddr & PAGE_MASK;
		unsigned long end = PAGE_ALIGN(s->vaddr + s->memsz);
		unsigned long addr = vm_mmap(mm, start, end - start, PROT_READ | PROT_WRITE,
					     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, seg_name(s->prot));
		if (IS_ERR_VALUE(addr)) {
			err = (int)(long)addr;
			break;
		}
		/* -ENOMEM from the copy: the pages could not be had */
		err = copy_segment(f, (unsigned long)s->vaddr, s->offset, s->filesz, bounce);
		if (!err)
			err = vm_mprotect(mm, start, end - start, seg_prot(s->prot));
		if (err)
			break;
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
	kfree(bounce);
	/* The heap starts on the page after the highest segment. */
	mm->start_brk = mm->brk = end_max;
	return err;
}
