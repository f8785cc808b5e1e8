/*
 * The user half of an address space's page tables: finding a leaf slot
 * (creating the tables on the way), and walking a range's leaves with the
 * empty tables unhooked on the way back up. Unlike the kernel's tables
 * (mm/pgtable.c), every entry on the way to a user page carries _PAGE_USER
 * (the CPU wants U at every level for a user access), and the tables are
 * the mm's own: nothing else shares them, so they are freed when empty.
 */
#include <asm/pgtable.h>
#include <pagoda/mm.h>
#include "mm_user_internal.h"

pteval_t vm_pte_prot(unsigned long vm_flags)
{
	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return _PAGE_PROTNONE | _PAGE_USER;
	pteval_t prot = _PAGE_PRESENT | _PAGE_USER;
	if (vm_flags & VM_WRITE)
		prot |= _PAGE_RW;
	if (!(vm_flags & VM_EXEC))
		prot |= _PAGE_NX;
	return prot & __supported_pte_mask;
}

/* An entry pointing to a user table: the arch's table bits, plus U where
 * the arch lets the level carry access bits at all (a PAE PDPT entry has
 * neither RW nor U: its _PAGE_TABLE(0) is P alone). */
static pteval_t user_table_prot(int level)
{
	pteval_t t = _PAGE_TABLE(level);
	return (t & _PAGE_RW) ? t | _PAGE_USER : t;
}

static pteval_t *table_of(pteval_t entry)
{
	return __va(entry & PTE_ADDR_MASK);
}

pteval_t *user_pte(pteval_t *pgd, unsigned long va, bool create)
{
	pteval_t *table = pgd;
	for (int level = 0; level < PT_LEVELS - 1; level++) {
		pteval_t *slot = &table[pt_index(va, level)];
		if (!(*slot & _PAGE_PRESENT)) {
			/* PAE's user PDPT entries are always present (pgd_alloc):
			 * a loaded PDPT never gains an entry here. */
			if (!create)
				return NULL;
			void *t = pgtable_alloc_page();
			if (!t)
				return NULL;
			set_pte(slot, (pteval_t)__pa(t) | user_table_prot(level));
		}
		table = table_of(*slot);
	}
	return &table[pt_index(va, PT_LEVELS - 1)];
}

static bool table_empty(const pteval_t *table)
{
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		if (table[i])
			return false;
	return true;
}

/* Leaves of [va, end) below table (of level `level`): fn on each that owns
 * a page; with free_empty, a child table left empty is unhooked and queued
 * there (except PAE's preallocated directories). */
static int walk_level(pteval_t *table, int level, unsigned long va, unsigned long end,
		      pte_fn_t fn, void *arg, struct list_head *free_empty)
{
	unsigned long span = 1UL << level_shift(level);
	do {
		unsigned long next = (va & ~(span - 1)) + span;
		if (next - va > end - va)
			next = end;
		pteval_t *slot = &table[pt_index(va, level)];
		if (level == PT_LEVELS - 1) {
			if (fn && pte_has_page(*slot)) {
				int r = fn(slot, va, arg);
				if (r)
					return r;
			}
		} else if (*slot & _PAGE_PRESENT) {
			pteval_t *child = table_of(*slot);
			int r = walk_level(child, level + 1, va, next, fn, arg, free_empty);
			if (r)
				return r;
			if (free_empty && (level > 0 || !PGD_USER_PREALLOCATED) && table_empty(child)) {
				pte_clear(slot);
				list_add(&virt_to_page(child)->lru, free_empty);
			}
		}
		va = next;
	} while (va != end);
	return 0;
}

int walk_user_ptes(pteval_t *pgd, unsigned long start, unsigned long end, pte_fn_t fn, void *arg)
{
	if (start >= end)
		return 0;
	return walk_level(pgd, 0, start, end, fn, arg, NULL);
}

void unhook_empty_user_tables(pteval_t *pgd, unsigned long start, unsigned long end, struct list_head *tables)
{
	if (start < end)
		walk_level(pgd, 0, start, end, NULL, NULL, tables);
}

struct user_page_walk {
	void (*fn)(unsigned long va, unsigned long pfn, pteval_t pte, void *arg);
	void *arg;
};

static int user_page_one(pteval_t *pte, unsigned long va, void *arg)
{
	struct user_page_walk *w = arg;
	if (*pte & _PAGE_PRESENT)
		w->fn(va, (unsigned long)((*pte & PTE_ADDR_MASK) >> PAGE_SHIFT), *pte, w->arg);
	return 0;
}

void for_each_user_page(struct mm_struct *mm, unsigned long start, unsigned long end,
			void (*fn)(unsigned long va, unsigned long pfn, pteval_t pte, void *arg), void *arg)
{
	struct user_page_walk w = { fn, arg };
	walk_user_ptes(mm->pgd, start, end, user_page_one, &w);
}
