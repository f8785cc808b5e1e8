/*
 * Building, walking and tearing down page tables, the same code for both
 * builds: the shape of the tree (levels, entries per table, where large
 * pages may go) comes from <asm/pgtable_64.h> or <asm/pgtable_32.h>.
 */
#include <asm/pgtable.h>
#include <pagoda/errno.h>
#include <pagoda/gfp.h>
#include <pagoda/list.h>
#include <pagoda/mm.h>
#include <pagoda/string.h>
#include <pagoda/panic.h>
#include <pagoda/percpu.h>
#include <pagoda/preempt.h>
#include <pagoda/smp.h>

/*
 * Before the page allocator exists, table pages come from this pool in
 * .bss (Linux calls its equivalent the brk area). 128 pages cover the direct
 * map of about 120 GiB with 2 MiB pages, far more with 1 GiB pages. Pool
 * pages are never freed: they are not the buddy allocator's to take back.
 */
#define PGTABLE_POOL_PAGES 128
static u8 pgtable_pool[PGTABLE_POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE), section(".bss..page_aligned")));
static unsigned int pool_used;
static bool use_buddy;
static unsigned long buddy_tables;      /* live table pages from the buddy allocator */

pteval_t __supported_pte_mask = ~(pteval_t)0;

/* Pages set aside for tables created under a spinlock (asm/pgtable.h),
 * linked through their first word; only the owning CPU touches its own. */
struct pt_stash {
	void *head;
	unsigned int count;
	bool active, short_of_pages;
};
static DEFINE_PER_CPU(struct pt_stash, pt_stashes);

void pgtable_stash_begin(void)
{
	/* The stash is this CPU's: no other task runs here until the end. */
	preempt_block();
	struct pt_stash *st = this_cpu_ptr(&pt_stashes);
	BUG_ON(st->active);
	st->active = true;
	st->short_of_pages = false;
}

int pgtable_stash_fill(unsigned int pages)
{
	struct pt_stash *st = this_cpu_ptr(&pt_stashes);
	while (st->count < pages) {
		struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
		if (!page)
			return -ENOMEM;
		void **p = page_address(page);
		*p = st->head;
		st->head = p;
		st->count++;
	}
	return 0;
}

bool pgtable_stash_short(void)
{
	return this_cpu_ptr(&pt_stashes)->short_of_pages;
}

void pgtable_stash_end(void)
{
	struct pt_stash *st = this_cpu_ptr(&pt_stashes);
	while (st->head) {
		void **p = st->head;
		st->head = *p;
		free_page((unsigned long)p);
	}
	st->count = 0;
	st->active = false;
	preempt_unblock();
}

/* Take a zeroed page from this CPU's stash, or NULL (noting the shortage). */
static void *stash_take(struct pt_stash *st)
{
	void **p = st->head;
	if (!p) {
		st->short_of_pages = true;
		return NULL;
	}
	st->head = *p;
	st->count--;
	*p = NULL;                      /* the link was the only non-zero word */
	return p;
}

unsigned int pt_tables_spanned(unsigned long va, unsigned long size)
{
	unsigned int n = 0;
	/* One table per entry touched at each level but the last. */
	for (int level = 0; level < PT_LEVELS - 1 && size; level++)
		n += ((va + size - 1) >> level_shift(level)) - (va >> level_shift(level)) + 1;
	return n;
}

void *pgtable_alloc_page(void)
{
	struct pt_stash *st = this_cpu_ptr(&pt_stashes);
	if (use_buddy && st->active) {
		void *t = stash_take(st);
		if (t)
			__atomic_add_fetch(&buddy_tables, 1, __ATOMIC_RELAXED);
		return t;
	}
	if (use_buddy) {
		/* GFP_KERNEL is lowmem: a table must be reachable through __va. */
		struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
		if (!page)
			return NULL;
		__atomic_add_fetch(&buddy_tables, 1, __ATOMIC_RELAXED);
		return page_address(page);
	}
	if (pool_used == PGTABLE_POOL_PAGES)
		return NULL;
	void *p = pgtable_pool[pool_used++];
	memset(p, 0, PAGE_SIZE);
	return p;
}

static bool in_pool(const void *table);

void pgtable_free_page(void *table)
{
	BUG_ON(in_pool(table));
	free_page((unsigned long)table);
	__atomic_sub_fetch(&buddy_tables, 1, __ATOMIC_RELAXED);
}

void pgtable_use_page_allocator(void)
{
	use_buddy = true;
}

unsigned int pgtable_pages_used(void)
{
	return pool_used;
}

unsigned long pgtable_pages_allocated(void)
{
	return __atomic_load_n(&buddy_tables, __ATOMIC_RELAXED);
}

static bool in_pool(const void *table)
{
	return (const u8 *)table >= pgtable_pool[0] && (const u8 *)table < pgtable_pool[PGTABLE_POOL_PAGES];
}

const char *pt_level_name(int level)
{
	static const char *const names[PT_LEVELS] = PT_LEVEL_NAMES;
	return names[level];
}

static pteval_t *table_of(pteval_t entry)
{
	return __va(entry & PTE_ADDR_MASK);
}

/* Descend one level from *slot (an entry of level `level`), creating the
 * next table if it is empty. */
static pteval_t *next_table(pteval_t *slot, int level)
{
	if (!(*slot & _PAGE_PRESENT)) {
		void *t = pgtable_alloc_page();
		if (!t)
			return NULL;
		/* Intermediate entries are permissive (the leaf decides access),
		 * except where the arch forbids bits (the PAE PDPT). */
		set_pte(slot, (pteval_t)__pa(t) | _PAGE_TABLE(level));
	} else if (*slot & _PAGE_PSE) {
		return NULL;            /* a large page is in the way */
	}
	return table_of(*slot);
}

pteval_t *pt_lookup_create(pteval_t *pgd, unsigned long va)
{
	pteval_t *table = pgd;
	for (int level = 0; level < PT_LEVELS - 1; level++) {
		table = next_table(&table[pt_index(va, level)], level);
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
				set_pte(slot, ((pteval_t)pa | prot | (large ? _PAGE_PSE : 0)) & __supported_pte_mask);
				va += span;
				pa += span;
				size -= span;
				break;
			}
			table = next_table(slot, level);
			if (!table)
				return (*slot & _PAGE_PSE) ? -EEXIST : -ENOMEM;
		}
	}
	return 0;
}

static bool table_empty(const pteval_t *table)
{
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		if (table[i])
			return false;
	return true;
}

/*
 * Clear the leaves of [va, end) below table (a table of level `level`).
 * A child table that ends up empty is unhooked and queued on to_free, unless
 * it hangs off the top level (shared by every address space), came from
 * the boot pool, or to_free is NULL (keep every table). end - 1 is the last
 * byte, so a range ending at the top of the address space (end == 0 after
 * wrapping) works too.
 */
static unsigned long unmap_level(pteval_t *table, int level, unsigned long va, unsigned long end,
				 struct list_head *to_free)
{
	unsigned long span = 1UL << level_shift(level), unmapped = 0;

	do {
		/* Distances from va, not comparisons, so that wrapping at the top works. */
		unsigned long next = (va & ~(span - 1)) + span;
		if (next - va > end - va)
			next = end;
		pteval_t *slot = &table[pt_index(va, level)];
		if (!(*slot & _PAGE_PRESENT)) {
			/* nothing mapped here */
		} else if (level == PT_LEVELS - 1) {
			pte_clear(slot);
			unmapped++;
		} else if (*slot & _PAGE_PSE) {
			/* Splitting a large page is not supported: refuse partial unmaps. */
			if (!WARN_ON(next - va != span)) {
				pte_clear(slot);
				unmapped += span >> PAGE_SHIFT;
			}
		} else {
			pteval_t *child = table_of(*slot);
			unmapped += unmap_level(child, level + 1, va, next, to_free);
			if (to_free && level >= 1 && !in_pool(child) && table_empty(child)) {
				pte_clear(slot);
				list_add(&virt_to_page(child)->lru, to_free);
			}
		}
		va = next;
	} while (va != end);
	return unmapped;
}

unsigned long unmap_pages(pteval_t *pgd, unsigned long va, u64 size)
{
	LIST_HEAD(to_free);
	struct page *page, *n;

	if (!size || ((va | size) & (PAGE_SIZE - 1)))
		return 0;
	unsigned long end = va + (unsigned long)size;
	unsigned long unmapped = unmap_level(pgd, 0, va, end, &to_free);

	/* Every CPU's TLB and paging-structure caches may still hold the old
	 * entries: shoot them down (mm/tlb.c) before the freed tables or the
	 * pages behind the range can be reused for something else. */
	flush_tlb_kernel_range(va, end);
	list_for_each_entry_safe(page, n, &to_free, lru) {
		list_del(&page->lru);
		__free_page(page);
		__atomic_sub_fetch(&buddy_tables, 1, __ATOMIC_RELAXED);
	}
	return unmapped;
}

unsigned long unmap_pages_noflush(pteval_t *pgd, unsigned long va, u64 size)
{
	if (!size || ((va | size) & (PAGE_SIZE - 1)))
		return 0;
	return unmap_level(pgd, 0, va, va + (unsigned long)size, NULL);
}

void pt_walk(const pteval_t *pgd, unsigned long va, struct pt_walk *w)
{
	const pteval_t *table = pgd;
	memset(w, 0, sizeof(*w));
	/* LAB(1) BEGIN: walk the tables from the top level to va's leaf entry */
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
	/* LAB(1) STUB
	(void)table;
	*/
	/* LAB(1) END */
}

int pt_prealloc_top_level(pteval_t *pgd, unsigned long start, unsigned long end)
{
	unsigned long span = 1UL << level_shift(0);
	int created = 0;

	for (unsigned long va = start & ~(span - 1); va - 1 < end - 1; va += span) {
		pteval_t *slot = &pgd[pt_index(va, 0)];
		bool was_present = *slot & _PAGE_PRESENT;
		if (!next_table(slot, 0))
			return -ENOMEM;
		created += !was_present;
		if (va + span == 0)
			break;
	}
	return created;
}
