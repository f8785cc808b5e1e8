/*
 * Memory objects in user address spaces (docs/ipc.md "Memory objects"): a
 * VM_SHARED VMA maps pages of one object (vm_memobj from page vm_pgoff)
 * and holds a reference to it, so the pages outlive the handle that
 * mapped them. A fault maps the object's page itself, never a copy: every
 * address space that maps the object (and a forked child, which inherits
 * the VMA) sees the same memory. Such PTEs carry _PAGE_SPECIAL: they own
 * no page (no _mapcount), so unmapping only clears them, and the object
 * frees its pages when its last reference goes, after every VMA's.
 *
 * A pager's object (kernel/ipc/memobj_pager.c) may lack the page: the
 * fault then leaves mmap_lock, asks the pager and waits for it
 * (memobj_fault_page_in), and faults again.
 */
#include <pagoda/errno.h>
#include <pagoda/memobj.h>
#include <uapi/pagoda/mman.h>
#include "mm_user_internal.h"

unsigned long vm_map_memobj(struct mm_struct *mm, unsigned long addr, unsigned long len,
			    unsigned long prot, struct memobj *mo, unsigned long pgoff, bool maywrite,
			    bool loan)
{
	if (!len || (len & ~PAGE_MASK) || len > TASK_SIZE || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (addr && ((addr & ~PAGE_MASK) || addr > TASK_SIZE - len))
		return -EINVAL;
	struct vm_area_struct tmpl = {
		.vm_flags = prot_to_vm_flags(prot) | VM_SHARED | (maywrite ? VM_MAYWRITE : 0) |
			    (loan ? VM_DONTCOPY : 0),
		.vm_name = memobj_is_paged(mo) ? "[memobj paged]" : "[memobj]",
		.vm_memobj = mo,
		.vm_pgoff = pgoff,
	};
	mutex_lock(&mm->mmap_lock);
	unsigned long r = mmap_region(mm, addr, len, addr ? MAP_FIXED : 0, &tmpl);
	mutex_unlock(&mm->mmap_lock);
	return r;
}

void vm_unmap_memobj(struct mm_struct *mm, unsigned long addr, unsigned long len, const struct memobj *mo)
{
	mutex_lock(&mm->mmap_lock);
	struct vm_area_struct *vma = find_vma(mm, addr);
	if (vma && vma->vm_start <= addr && vma->vm_memobj == mo)
		do_munmap(mm, addr, addr + len);
	mutex_unlock(&mm->mmap_lock);
}

int do_memobj_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr, pteval_t *pte,
		   unsigned int flags)
{
	if (pte_has_page(*pte)) {
		/* Present: a write after mprotect gave VM_WRITE back (the
		 * entry stayed read-only), or another CPU's stale entry. */
		if ((flags & FAULT_FLAG_WRITE) && !(*pte & _PAGE_RW))
			set_pte(pte, *pte | _PAGE_RW | _PAGE_DIRTY);
		flush_tlb_one(addr);
		return 0;
	}
	unsigned long off = ((vma->vm_pgoff << PAGE_SHIFT) + (addr - vma->vm_start));
	struct page *page = memobj_page(vma->vm_memobj, off);
	if (!page)
		return VM_FAULT_PAGEIN;         /* a pager's, not supplied yet */
	set_pte(pte, (pteval_t)page_to_phys(page) | vm_pte_prot(vma->vm_flags) | _PAGE_SPECIAL);
	mm->rss++;
	return 0;
}

int memobj_fault_page_in(struct mm_struct *mm, unsigned long addr, const char **why)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	struct memobj *mo = vma->vm_memobj;     /* do_user_fault just found it here */
	unsigned long off = (vma->vm_pgoff << PAGE_SHIFT) + ((addr & PAGE_MASK) - vma->vm_start);
	memobj_ref(mo);                         /* the VMA may go while we wait */
	mutex_unlock(&mm->mmap_lock);
	long err = memobj_page_in(mo, off);
	memobj_put(mo);
	mutex_lock(&mm->mmap_lock);
	if (!err)
		return 0;
	if (err == -ENOMEM) {
		*why = "out of memory";
		return VM_FAULT_OOM;
	}
	*why = err == -EPIPE ? "pager gone" : "killed while waiting for its pager";
	return err == -EPIPE ? VM_FAULT_SIGBUS : VM_FAULT_KILLED;
}
