/*
 * dup_mm: fork's copy of an address space. The VMAs are copied, and so are
 * the page tables, but not the pages: each page becomes mapped twice
 * (_mapcount + 1), and in a writable VMA both PTEs lose write access, so
 * the first write on either side faults and copies (mm/memory.c,
 * do_wp_page). The parent's TLB is flushed: its CPUs may hold the
 * writable entries. Any allocation failure unwinds through mmput, which
 * frees what the copy has so far; the parent only keeps some PTEs
 * read-only, which its next write fault gives back without a copy.
 * VM_DONTCOPY VMAs (device registers, vm_map_io) are not copied at all:
 * two processes driving one device would be two drivers.
 *
 * Two kinds of page are not shared copy-on-write. A memory object's page
 * (_PAGE_SPECIAL, a VM_SHARED VMA) is simply mapped in the child too, with
 * the same access: both see the same memory, as the object promises. A
 * pinned anonymous page (a memory object made by memobj_from_user holds
 * it) is copied for the child now: shared copy-on-write, the parent's
 * next write would move the parent to a copy and leave the object on a
 * page the parent no longer sees (Linux: page_needs_cow_for_dma).
 */
#include <pagoda/panic.h>
#include "mm_user_internal.h"

struct copy {
	struct mm_struct *dst;
};

/* The child's own copy of the page, now, with the parent's access. */
static int copy_for_child(pteval_t e, pteval_t *d)
{
	struct page *new = alloc_user_page();
	if (!new)
		return -1;
	copy_highpage(new, pte_page(e));
	set_pte(d, (e & ~PTE_ADDR_MASK) | (pteval_t)page_to_phys(new));
	return 0;
}

static int copy_one(pteval_t *pte, unsigned long va, void *arg)
{
	struct copy *c = arg;
	pteval_t e = *pte;
	pteval_t *d = user_pte(c->dst->pgd, va, true);
	if (!d)
		return -1;
	if (e & _PAGE_SPECIAL) {
		set_pte(d, e);
		c->dst->rss++;
		return 0;
	}
	/* The allocation's reference is every mapping's; more are pins. */
	if (page_count(pte_page(e)) > 1) {
		if (copy_for_child(e, d))
			return -1;
		c->dst->rss++;
		return 0;
	}
	/* LAB(8) BEGIN: share the page copy-on-write: read-only on both sides, one mapping more */
	/* Shared now: nobody writes it without the fault deciding (a
	 * PROT_NONE entry's remembered RW too, for a later mprotect). */
	if (e & _PAGE_RW) {
		e &= ~(pteval_t)_PAGE_RW;
		set_pte(pte, e);        /* only the low half (RW) changes */
	}
	page_dup_map(pte_page(e));
	set_pte(d, e);
	/* LAB(8) STUB
	if (copy_for_child(e, d))
		return -1;
	*/
	/* LAB(8) END */
	c->dst->rss++;
	return 0;
}

struct mm_struct *dup_mm(struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *vma;
	int err = 0;

	if (!mm)
		return NULL;
	mutex_lock(&oldmm->mmap_lock);
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->stack_limit = oldmm->stack_limit;
	mm->mmap_base = oldmm->mmap_base;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;

	/* The VMAs first, so that an unwinding mmput sees every range. */
	list_for_each_entry(vma, &oldmm->mmap, vm_list) {
		if (vma->vm_flags & VM_DONTCOPY)
			continue;       /* device memory stays with its driver: a hole in the child */
		struct vm_area_struct *n = vma_dup(vma, mm);
		if (!n) {
			err = -1;
			break;
		}
		list_add_tail(&n->vm_list, &mm->mmap);
		mm->map_count++;
		mm->total_vm += (n->vm_end - n->vm_start) >> PAGE_SHIFT;
	}
	if (!err)
		list_for_each_entry(vma, &oldmm->mmap, vm_list) {
			if (vma->vm_flags & VM_DONTCOPY)
				continue;
			struct copy c = { mm };
			err = walk_user_ptes(oldmm->pgd, vma->vm_start, vma->vm_end, copy_one, &c);
			if (err)
				break;
		}
	flush_tlb_mm_range(oldmm, 0, TASK_SIZE);
	mutex_unlock(&oldmm->mmap_lock);
	if (err) {
		mmput(mm);
		return NULL;
	}
	return mm;
}
