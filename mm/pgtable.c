/*
 * Building and walking page tables, the same code for both builds: the
 * shape of the tree (levels, entries per table, where large pages may go)
 * comes from <asm/pgtable_64.h> or <asm/pgtable_32.h>.
 */
#include <asm/pgtable.h>
#include <pagoda/errno.h>
#include <pagoda/string.h>
#include <pagoda/panic.h>

/*
 * Before the page allocator exists, table pages come from this pool in
 * .bss (Linux calls its equivalent the brk area). 128 pages cover the direct
 * map of about 120 GiB with 2 MiB pages, far more with 1 GiB pages.
 */
#define PGTABLE_POOL_PAGES 128
static u8 pgtable_pool[PGTABLE_POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE), section(".bss..page_aligned")));
static unsigned int pool_used;

pteval_t __supported_pte_mask = ~(pteval_t)0;

void *pgtable_alloc_page(void)
{
	if (pool_used == PGTABLE_POOL_PAGES)
		return NULL;
	void *p = pgtable_pool[pool_used++];
	memset(p, 0, PAGE_SIZE);
	return p;
}

unsigned int pgtable_pages_used(void)
{
	return pool_used;
}

const char *pt_level_name(int level)
{
	static const char *const names64[] = { "PML4", "PDPT", "PD", "PT" };
	static const char *const names32[] = { "PD", "PT" };
	return PT_LEVELS == 4 ? names64[level] : names32[level];
}

static pteval_t *table_of(pteval_t entry)
{
	return __va(entry & PTE_ADDR_MASK);
}

/* Descend one level from *slot, creating the next table if it is empty. */
static pteval_t *next_table(pteval_t *slot)
{
	if (!(*slot & _PAGE_PRESENT)) {
		void *t = pgtable_alloc_page();
		if (!t)
			return NULL;
		/* Intermediate entries are permissive; the leaf decides access. */
		*slot = (pteval_t)__pa(t) | _PAGE_PRESENT | _PAGE_RW;
	} else if (*slot & _PAGE_PSE) {
		return NULL;            /* a large page is in the way */
	}
	return table_of(*slot);
}

pteval_t *pt_lookup_create(pteval_t *pgd, unsigned long va)
{
	pteval_t *table = pgd;
	for (int level = 0; level < PT_LEVELS - 1; level++) {
		table = next_table(&table[pt_index(va, level)]);
		if (!table)
			return NULL;
	}
	return &table[pt_index(va, PT_LEVELS - 1)];
}

int map_pages(pteval_t *pgd, unsigned long va, phys_addr_t pa, u64 size, pteval_t prot, bool allow_large)
{
	if ((va | pa | size) & (PAGE_SIZE - 1))
		return -EINVAL;
	while (size) {
		pteval_t *table = pgd;
		int level = 0;
		for (;; level++) {
			u64 span = 1ULL << level_shift(level);
			pteval_t *slot = &table[pt_index(va, level)];
			bool leaf = level == PT_LEVELS - 1;
			bool large = !leaf && allow_large && arch_large_page_ok(level) &&
				     !(va & (span - 1)) && !(pa & (span - 1)) && size >= span;
			if (leaf || large) {
				if (*slot & _PAGE_PRESENT)
					return -EEXIST;
				*slot = ((pteval_t)pa | prot | (large ? _PAGE_PSE : 0)) & __supported_pte_mask;
				va += span;
				pa += span;
				size -= span;
				break;
			}
			table = next_table(slot);
			if (!table)
				return (*slot & _PAGE_PSE) ? -EEXIST : -ENOMEM;
		}
	}
	return 0;
}

void pt_walk(const pteval_t *pgd, unsigned long va, struct pt_walk *w)
{
	const pteval_t *table = pgd;
	memset(w, 0, sizeof(*w));
	for (int level = 0; level < PT_LEVELS; level++) {
		pteval_t e = table[pt_index(va, level)];
		w->index[level] = pt_index(va, level);
		w->entry[level] = e;
		w->levels = level + 1;
		if (!(e & _PAGE_PRESENT))
			return;
		if (level == PT_LEVELS - 1 || (e & _PAGE_PSE)) {
			u64 span = 1ULL << level_shift(level);
			w->present = true;
			w->leaf = e;
			w->page_size = span;
			w->phys = (e & PTE_ADDR_MASK & ~(pteval_t)(span - 1)) + (va & (span - 1));
			return;
		}
		table = table_of(e);
	}
}
