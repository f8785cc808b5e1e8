/* User address spaces inside mm/ (the contract is <pagoda/mm_user.h>). */
#ifndef MM_MM_USER_INTERNAL_H
#define MM_MM_USER_INTERNAL_H

#include <pagoda/mm_user.h>
#include <pagoda/mm.h>

/* ---- mm/user_pgtable.c: the user half's page tables -------------------- */

/* The PTE a user page would have in a VMA with these vm_flags. */
pteval_t vm_pte_prot(unsigned long vm_flags);
/* A leaf PTE that owns a page: present, or a PROT_NONE one. */
static inline bool pte_has_page(pteval_t e)
{
	return e & (_PAGE_PRESENT | _PAGE_PROTNONE);
}
/* A device frame's PTE (VM_PFNMAP): no struct page behind it. */
static inline bool pte_special(pteval_t e)
{
	return e & _PAGE_SPECIAL;
}
static inline struct page *pte_page(pteval_t e)
{
	return pfn_to_page((unsigned long)((e & PTE_ADDR_MASK) >> PAGE_SHIFT));
}
/* The leaf slot for va in pgd's user half: NULL if a table is missing and
 * create is false, or no page for a table. Caller holds mmap_lock. */
pteval_t *user_pte(pteval_t *pgd, unsigned long va, bool create);
/* Call fn on every leaf slot in [start, end) that owns a page. */
typedef int (*pte_fn_t)(pteval_t *pte, unsigned long va, void *arg);
int walk_user_ptes(pteval_t *pgd, unsigned long start, unsigned long end, pte_fn_t fn, void *arg);
/* Unhook the tables under [start, end) that hold no entry any more, onto
 * tables (through their struct page's lru): the caller flushes the TLB,
 * then frees them with pgtable_free_page. */
void unhook_empty_user_tables(pteval_t *pgd, unsigned long start, unsigned long end, struct list_head *tables);

/* ---- mm/memory.c: pages of the user half ------------------------------- */

/* The copy-on-write fault at addr (page aligned): copy the page unless this
 * PTE is its last mapping. 0 or VM_FAULT_OOM. Caller holds mmap_lock. */
int do_wp_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr, pteval_t *pte,
	       const char **why);
/* An anonymous page (not zeroed yet), PG_user, _mapcount 1; NULL without memory. */
struct page *alloc_user_page(void);

/* Unmap [start, end): every page's mapping dropped (the last frees it),
 * tables that became empty unhooked, mm's CPUs flushed, then the pages and
 * tables freed. Caller holds mmap_lock. */
void zap_user_range(struct mm_struct *mm, unsigned long start, unsigned long end);
/* New protection for the pages in [start, end) of a VMA now with vm_flags;
 * flushes. Caller holds mmap_lock. */
void change_protection(struct mm_struct *mm, unsigned long start, unsigned long end, unsigned long vm_flags);
/* A page mapped in one more place (fork), one fewer (true: it was the last). */
static inline void page_dup_map(struct page *page)
{
	__atomic_add_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED);
}
static inline int page_mapcount(struct page *page)
{
	return __atomic_load_n(&page->_mapcount, __ATOMIC_ACQUIRE);
}

/* ---- mm/mmap.c: the VMA list ------------------------------------------- */

/* The VMA before vma in the list, NULL if it is the first. */
struct vm_area_struct *vma_prev(struct vm_area_struct *vma);
/* Add a VMA of [addr, addr + len) with vm_flags (VM_*), addr chosen as
 * vm_mmap does (flags: MAP_FIXED, MAP_GROWSDOWN). With mmap_lock held:
 * the address or -errno. */
unsigned long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long vm_flags, unsigned long flags, const char *name);
/* Unmap [start, end) (aligned) with mmap_lock held: VMAs split and removed. */
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long end);
/* Free every VMA (exit_mmap). */
void free_all_vmas(struct mm_struct *mm);
/* A copy of vma for mm (fork, split), holding its own memobj reference. */
struct vm_area_struct *vma_dup(const struct vm_area_struct *vma, struct mm_struct *mm);
unsigned long prot_to_vm_flags(unsigned long prot);
/* A new VMA like tmpl (flags, name, memory object and pgoff; the VMA takes
 * its own memobj reference) of len bytes at addr (MAP_FIXED in flags: there,
 * replacing what was; else addr is a hint). The address or -errno. Caller
 * holds mmap_lock; len page aligned and checked. */
unsigned long mmap_region(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long flags,
			  const struct vm_area_struct *tmpl);

/* ---- mm/memobj_map.c: memory objects in user address spaces ------------ */

/* do_user_fault's answer for a page a pager has not supplied yet: the
 * caller waits for it without mmap_lock (memobj_fault_page_in). */
#define VM_FAULT_PAGEIN         0x100
/* The fault in a VM_SHARED VMA at addr (page aligned, access allowed):
 * map the object's page with _PAGE_SPECIAL, or give a write fault the
 * write access back. 0, or VM_FAULT_PAGEIN if the object is a pager's and
 * lacks the page. Caller holds mmap_lock. */
int do_memobj_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr, pteval_t *pte,
		   unsigned int flags);
/* After VM_FAULT_PAGEIN at addr: drop mmap_lock, ask the pager and wait,
 * take it again. 0 (fault again: the VMAs may have changed meanwhile),
 * VM_FAULT_SIGBUS (the pager is gone), VM_FAULT_KILLED or VM_FAULT_OOM,
 * with *why. Caller holds mmap_lock. */
int memobj_fault_page_in(struct mm_struct *mm, unsigned long addr, const char **why);

#endif
