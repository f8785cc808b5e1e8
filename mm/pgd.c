/*
 * Address spaces. Each one is a top-level table (what CR3 points to) whose
 * user half is its own and whose kernel half is a copy of swapper_pg_dir's:
 * entries 256..511 on x86_64, 768..1023 on i386, and with PAE the last of
 * the PDPT's four entries (3G-4G: one page directory that every address
 * space shares). Copying the top-level entries shares everything below
 * them, so a vmalloc mapping made in any address space is seen by all.
 *
 * That is only true while the kernel's top-level entries never change after
 * a copy is taken, which the layout guarantees: the direct map, the kernel
 * image and the fixmap are built by paging_init, and vmalloc_init gives the
 * vmalloc/ioremap region all its top-level entries (2 PDPTs on x86_64, 28
 * page tables on i386; with PAE the one shared page directory already
 * covers all of it) before anything can call pgd_alloc. Linux keeps a
 * list of all pgds and syncs them instead (i386 without preallocation).
 */
#include <pagoda/errno.h>
#include <pagoda/gfp.h>
#include <pagoda/mm.h>
#include <pagoda/pgd.h>
#include <pagoda/string.h>
#include <pagoda/panic.h>

#define KERNEL_PGD_BOUNDARY pt_index(PAGE_OFFSET, 0)
#define KERNEL_PGD_PTRS (PTRS_PER_PGD - KERNEL_PGD_BOUNDARY)

static bool table_empty(const pteval_t *table)
{
	for (unsigned int i = 0; i < PTRS_PER_TABLE; i++)
		if (table[i])
			return false;
	return true;
}

/* PAE: give the user half its page directories for good (see
 * PGD_USER_PREALLOCATED); elsewhere nothing to do. */
static void free_user_prealloc(pteval_t *pgd)
{
	for (unsigned int i = 0; i < KERNEL_PGD_BOUNDARY; i++)
		if (pgd[i] & _PAGE_PRESENT) {
			pgtable_free_page(__va(pgd[i] & PTE_ADDR_MASK));
			pgd[i] = 0;
		}
}

static int prealloc_user(pteval_t *pgd)
{
	if (!PGD_USER_PREALLOCATED)
		return 0;
	for (unsigned int i = 0; i < KERNEL_PGD_BOUNDARY; i++) {
		void *pd = pgtable_alloc_page();
		if (!pd) {
			free_user_prealloc(pgd);
			return -ENOMEM;
		}
		pgd[i] = (pteval_t)__pa(pd) | _PAGE_TABLE(0);
	}
	return 0;
}

pteval_t *pgd_alloc(void)
{
	/* Lowmem (no __GFP_HIGHMEM): CR3 needs a physical address below 4 GiB on
	 * i386, and the kernel writes the table through the direct map. A PAE
	 * PDPT needs only 32 bytes, 32-byte aligned; a whole page keeps one
	 * allocator for every build and is trivially aligned. */
	pteval_t *pgd = (pteval_t *)get_zeroed_page(GFP_KERNEL);
	if (!pgd)
		return NULL;
	if (prealloc_user(pgd)) {
		free_page((unsigned long)pgd);
		return NULL;
	}
	memcpy(pgd + KERNEL_PGD_BOUNDARY, swapper_pg_dir + KERNEL_PGD_BOUNDARY,
	       KERNEL_PGD_PTRS * sizeof(pteval_t));
	return pgd;
}

void pgd_free(pteval_t *pgd)
{
	if (!pgd)
		return;
	BUG_ON(pgd == swapper_pg_dir);
	BUG_ON((read_cr3() & PTE_ADDR_MASK) == __pa(pgd));
	/* exit_mmap freed every user page and table: an entry left here is a
	 * leak (PAE: the preallocated directories must be empty). */
	for (unsigned int i = 0; i < KERNEL_PGD_BOUNDARY; i++) {
		if (PGD_USER_PREALLOCATED)
			WARN_ON_ONCE(!table_empty(__va(pgd[i] & PTE_ADDR_MASK)));
		else
			WARN_ON_ONCE(pgd[i] & _PAGE_PRESENT);
	}
	if (PGD_USER_PREALLOCATED)
		free_user_prealloc(pgd);
	free_page((unsigned long)pgd);
}

void load_pgd(pteval_t *pgd)
{
	/* A CR3 write flushes the non-global TLB entries: the kernel's are global
	 * and identical in every address space, so they rightly survive. */
	if ((read_cr3() & PTE_ADDR_MASK) != __pa(pgd))
		write_cr3(__pa(pgd));
}

bool pgd_kernel_half_matches(const pteval_t *pgd)
{
	return !memcmp(pgd + KERNEL_PGD_BOUNDARY, swapper_pg_dir + KERNEL_PGD_BOUNDARY,
		       KERNEL_PGD_PTRS * sizeof(pteval_t));
}
