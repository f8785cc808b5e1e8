/*
 * The pages of user address spaces: the user page fault (demand paging,
 * stack growth, copy-on-write), unmapping a range, changing its
 * protection. docs/user-memory.md tells the story.
 *
 * Every user page is anonymous memory: allocated on the first touch with
 * GFP_HIGHUSER (on i386 it may be highmem: the kernel touches it only
 * through kmap_local), zeroed, marked PG_user, and counted in _mapcount
 * (how many PTEs map it). fork shares pages read-only (mm/fork.c); the
 * write fault then decides as Linux's do_wp_page: the last mapper just
 * gets write access back, anyone else copies.
 *
 * A memory object's pages (VM_SHARED VMAs) are the exception: their PTEs
 * carry _PAGE_SPECIAL and own nothing (mm/memobj_map.c), and a pinned
 * anonymous page (pin_user_pages) holds one more reference, so its last
 * unmapping leaves it to the pin.
 */
#include <pagoda/errno.h>
#include <pagoda/gfp.h>
#include <pagoda/highmem.h>
#include <pagoda/mm.h>
#include <pagoda/panic.h>
#include "mm_user_internal.h"

/* ---- unmapping and protection ------------------------------------------------ */

struct zap {
	struct mm_struct *mm;
	struct list_head pages;         /* pages whose last mapping went */
};

static int zap_one(pteval_t *pte, unsigned long va, void *arg)
{
	struct zap *z = arg;
	(void)va;
	bool owns = !pte_special(*pte);
	struct page *page = owns ? pte_page(*pte) : NULL;
	pte_clear(pte);
	z->mm->rss--;
	/* A memory object's page (the VMA's reference keeps it) or device
	 * memory (no struct page): nothing to count or free. */
	if (!owns)
		return 0;
	/* _mapcount shares its room with lru: once it reaches 0 the page is
	 * ours alone, and the list may take the room. */
	if (__atomic_sub_fetch(&page->_mapcount, 1, __ATOMIC_ACQ_REL) == 0)
		list_add(&page->lru, &z->pages);
	return 0;
}

/* Its last mapping went: a pin (a memory object) may still hold it. */
static void free_user_page(struct page *page)
{
	ClearPageUser(page);
	put_page(page);
}

void zap_user_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct zap z = { .mm = mm };
	LIST_HEAD(tables);
	struct page *page, *n;

	INIT_LIST_HEAD(&z.pages);
	walk_user_ptes(mm->pgd, start, end, zap_one, &z);
	unhook_empty_user_tables(mm->pgd, start, end, &tables);
	/* A CPU running in mm may still translate through the old entries
	 * (and its paging-structure caches through the old tables) until it
	 * flushes: only then may the pages and tables be reused. */
	flush_tlb_mm_range(mm, start, end);
	list_for_each_entry_safe(page, n, &z.pages, lru) {
		list_del(&page->lru);
		free_user_page(page);
	}
	list_for_each_entry_safe(page, n, &tables, lru) {
		list_del(&page->lru);
		pgtable_free_page(page_address(page));
	}
}

static int protect_one(pteval_t *pte, unsigned long va, void *arg)
{
	unsigned long vm_flags = *(unsigned long *)arg;
	pteval_t e = *pte, prot = vm_pte_prot(vm_flags);
	pteval_t n = (e & (PTE_ADDR_MASK | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SPECIAL)) | (prot & ~_PAGE_RW);
	(void)va;
	/* Write access stays only where it was: a read-only PTE in a writable
	 * VMA may be a page shared with another mm, and its write fault
	 * decides (copy, or give it back to the last mapper). A PROT_NONE
	 * entry remembers RW for the same reason. */
	if ((e & _PAGE_RW) && ((vm_flags & VM_WRITE) || (prot & _PAGE_PROTNONE)))
		n |= _PAGE_RW;
	if (e & _PAGE_PRESENT)
		pte_clear(pte);         /* PAE: never P beside a half-written entry */
	set_pte(pte, n);
	return 0;
}

void change_protection(struct mm_struct *mm, unsigned long start, unsigned long end, unsigned long vm_flags)
{
	walk_user_ptes(mm->pgd, start, end, protect_one, &vm_flags);
	flush_tlb_mm_range(mm, start, end);
}

/* ---- the fault --------------------------------------------------------------- */

/* A page for a user PTE, zeroed (with kmap_local if it is highmem). */
struct page *alloc_user_page(void)
{
	struct page *page = alloc_page(GFP_HIGHUSER | __GFP_NOWARN);
	if (page) {
		SetPageUser(page);
		page->_mapcount = 1;
	}
	return page;
}

static pteval_t mk_pte(struct page *page, unsigned long vm_flags)
{
	return (pteval_t)page_to_phys(page) | vm_pte_prot(vm_flags);
}

static int do_anonymous_page(struct mm_struct *mm, struct vm_area_struct *vma, pteval_t *pte,
			     const char **why)
{
	struct page *page = alloc_user_page();
	if (!page) {
		*why = "out of memory";
		return VM_FAULT_OOM;
	}
	clear_highpage(page);
	set_pte(pte, mk_pte(page, vma->vm_flags));
	mm->rss++;
	return 0;
}

/*
 * A write to a present read-only page in a writable VMA: the page is
 * shared copy-on-write (fork made every private writable page read-only
 * in both address spaces, mm/fork.c). Called with mmap_lock held; pte is
 * addr's entry in mm; *why says why on failure.
 */
int do_wp_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr, pteval_t *pte,
	       const char **why)
{
	/* LAB(8) BEGIN: the copy-on-write fault, with the "last user keeps the page" rule */
	pteval_t e = *pte;
	struct page *old = pte_page(e);

	/* The last user keeps the page: if this PTE is its only mapping (the
	 * other side copied already, unmapped it, or exited), nobody else can
	 * see a write, so a copy would only cost a page and a memcpy. */
	if (page_mapcount(old) == 1) {
		/* No other mm can gain a mapping meanwhile: that would be a
		 * dup_mm of this mm, which waits for our mmap_lock. */
		set_pte(pte, e | _PAGE_RW | _PAGE_DIRTY);
		flush_tlb_one(addr);    /* our own stale read-only entry */
		return 0;
	}
	/* Shared: copy. The new page may be highmem (i386): copy_highpage
	 * reaches both through kmap_local. */
	struct page *new = alloc_user_page();
	if (!new) {
		*why = "out of memory";
		return VM_FAULT_OOM;
	}
	copy_highpage(new, old);
	/* Clear and flush before the new entry: no CPU may go on writing
	 * through a stale translation to the old page once it is not ours. */
	pte_clear(pte);
	flush_tlb_mm_range(mm, addr, addr + PAGE_SIZE);
	set_pte(pte, mk_pte(new, vma->vm_flags) | _PAGE_DIRTY);
	/* Our mapping of the old page goes; the other sharers keep it, and
	 * the last of them will write it in place. */
	if (__atomic_sub_fetch(&old->_mapcount, 1, __ATOMIC_ACQ_REL) == 0)
		free_user_page(old);
	mm->nr_cow++;
	return 0;
	/* LAB(8) STUB
	// fork copies every page for the child (its stub), so a read-only
	// page in a writable VMA has no other user: make it writable again.
	(void)mm;
	(void)vma;
	(void)addr;
	(void)why;
	set_pte(pte, *pte | _PAGE_RW | _PAGE_DIRTY);
	return 0;
	*/
	/* LAB(8) END */
}

/* A fault below a stack VMA: extend it down to the faulting page. */
static int expand_stack(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr,
			const char **why)
{
	unsigned long start = addr & PAGE_MASK;
	struct vm_area_struct *prev = vma_prev(vma);

	if (start < mm->stack_limit) {
		*why = "stack growth beyond the stack limit";
		return VM_FAULT_SIGSEGV;
	}
	if (prev && start - prev->vm_end < STACK_GUARD_GAP) {
		*why = "stack guard gap";
		return VM_FAULT_SIGSEGV;
	}
	mm->total_vm += (vma->vm_start - start) >> PAGE_SHIFT;
	vma->vm_start = start;
	return 0;
}

static int do_user_fault(struct mm_struct *mm, unsigned long addr, unsigned int flags, const char **why)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma || (addr < vma->vm_start && !(vma->vm_flags & VM_GROWSDOWN))) {
		*why = "no VMA";
		return VM_FAULT_SIGSEGV;
	}
	if (addr < vma->vm_start) {
		int r = expand_stack(mm, vma, addr, why);
		if (r)
			return r;
	}
	if ((flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_WRITE)) {
		*why = "write to read-only VMA";
		return VM_FAULT_SIGSEGV;
	}
	if ((flags & FAULT_FLAG_INSTRUCTION) && !(vma->vm_flags & VM_EXEC) && (__supported_pte_mask & _PAGE_NX)) {
		*why = "instruction fetch from non-executable VMA";
		return VM_FAULT_SIGSEGV;
	}
	if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) {
		*why = "access to PROT_NONE VMA";
		return VM_FAULT_SIGSEGV;
	}
	if (vma->vm_flags & VM_PFNMAP) {
		/* Its PTEs were all made at map time, with the VMA's only
		 * protection: a fault here is another CPU's stale entry. */
		pteval_t *pte = user_pte(mm->pgd, addr & PAGE_MASK, false);
		if (pte && pte_special(*pte) && (*pte & _PAGE_PRESENT))
			return 0;
		*why = "device mapping without its frame";
		return VM_FAULT_SIGSEGV;
	}
	pteval_t *pte = user_pte(mm->pgd, addr & PAGE_MASK, true);
	if (!pte) {
		*why = "out of memory (page table)";
		return VM_FAULT_OOM;
	}
	if (vma->vm_memobj)
		return do_memobj_page(mm, vma, addr & PAGE_MASK, pte, flags);
	if (!pte_has_page(*pte))
		return do_anonymous_page(mm, vma, pte, why);
	if ((flags & FAULT_FLAG_WRITE) && !(*pte & _PAGE_RW))
		return do_wp_page(mm, vma, addr & PAGE_MASK, pte, why);
	/* Present and allowed: another CPU's stale entry, or served already. */
	return 0;
}

int handle_user_fault_why(struct mm_struct *mm, unsigned long addr, unsigned int flags, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	*why = NULL;
	if (addr >= TASK_SIZE) {
		*why = "address above TASK_SIZE";
		return VM_FAULT_SIGSEGV;
	}
	mutex_lock(&mm->mmap_lock);
	int ret;
	while ((ret = do_user_fault(mm, addr, flags, why)) == VM_FAULT_PAGEIN) {
		ret = memobj_fault_page_in(mm, addr, why);
		if (ret)
			break;
	}
	if (!ret)
		mm->nr_faults++;
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

int handle_user_fault(struct mm_struct *mm, unsigned long addr, unsigned int flags)
{
	return handle_user_fault_why(mm, addr, flags, NULL);
}

/* ---- pinning ------------------------------------------------------------------ */

/* The present PTE for addr with the access wanted, faulting it in. */
static pteval_t *pin_fault(struct mm_struct *mm, unsigned long addr, bool write, long *err)
{
	const char *why;
	/* Device memory has no struct page to hold: a driver cannot lend its
	 * registers as if they were memory (vm_map_io). */
	struct vm_area_struct *vma = find_vma(mm, addr);
	if (vma && vma->vm_start <= addr && (vma->vm_flags & VM_PFNMAP)) {
		*err = -EFAULT;
		return NULL;
	}
	pteval_t *pte = user_pte(mm->pgd, addr, false);
	if (pte && (*pte & _PAGE_PRESENT) && (!write || (*pte & _PAGE_RW)))
		return pte;
	/* A pager's missing page is not waited for: a pin is for a device
	 * or a loan, which must not depend on a server (VM_FAULT_PAGEIN). */
	int r = do_user_fault(mm, addr, write ? FAULT_FLAG_WRITE : 0, &why);
	if (r) {
		*err = r == VM_FAULT_OOM ? -ENOMEM : -EFAULT;
		return NULL;
	}
	mm->nr_faults++;
	return user_pte(mm->pgd, addr, false);
}

long pin_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr, bool write,
		    struct page **pages)
{
	long err = 0;
	unsigned long i;

	mutex_lock(&mm->mmap_lock);
	for (i = 0; i < nr; i++) {
		unsigned long addr = start + (i << PAGE_SHIFT);
		pteval_t *pte = pin_fault(mm, addr, write, &err);
		if (!pte)
			break;
		struct page *page = pte_page(*pte);
		/* Still shared copy-on-write (a read pin after fork): the
		 * next write on either side would leave the pin on a page
		 * this mm no longer sees. Copy now, as that write would
		 * (Linux's FAULT_FLAG_UNSHARE). */
		if (!(*pte & _PAGE_SPECIAL) && page_mapcount(page) > 1) {
			const char *why;
			if (do_wp_page(mm, find_vma(mm, addr), addr, pte, &why)) {
				err = -ENOMEM;
				break;
			}
			page = pte_page(*pte);
		}
		get_page(page);
		pages[i] = page;
	}
	mutex_unlock(&mm->mmap_lock);
	if (err)
		while (i--)
			put_page(pages[i]);
	return err;
}
