/*
 * i386 highmem: the kmap_local slots in the fixmap, and kmap's pkmap pool.
 *
 * pkmap is LAST_PKMAP page-table entries at PKMAP_BASE, one page table made
 * at boot (so the page directory's kernel half still never changes after
 * boot, see mm/pgd.c). pkmap_count[i] says what entry i is doing:
 *   0    free: PTE clear, no TLB can hold it
 *   1    nobody holds it, but the PTE is still set and a TLB may cache it:
 *        kmap of the same page reuses it; another page must wait for a flush
 *   n>1  mapped, held by n-1 kmap callers
 * Entries at 1 are cleared together, with one full TLB flush, when the
 * search for a free entry wraps around (Linux's flush_all_zero_pkmaps):
 * kunmap then costs no flush at all, and the flush, which must reach every
 * CPU (any CPU may have used a pkmap address), is one shootdown for up to
 * 1024 entries. kmap_lock is taken with interrupts on and kmap never from
 * an interrupt handler: the shootdown waits for other CPUs under it, and a
 * CPU spinning on it with interrupts off could not answer. Finding a page's entry is a linear
 * search of pkmap_page[]: Linux hashes, 1024 compares are easier to read.
 */
#include <pagoda/highmem.h>
#include <pagoda/highmem_stats.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/spinlock.h>
#include <asm/fixmap.h>
#include "internal.h"

static pteval_t *pkmap_pte;                     /* the page table behind PKMAP_BASE */
static int pkmap_count[LAST_PKMAP];
static struct page *pkmap_page[LAST_PKMAP];
static unsigned int last_pkmap_nr;
static unsigned long pkmap_flushes;
static DEFINE_SPINLOCK(kmap_lock);

#define PKMAP_ADDR(nr) (PKMAP_BASE + ((unsigned long)(nr) << PAGE_SHIFT))

void kmap_init(void)
{
	BUILD_BUG_ON(PKMAP_BASE + LAST_PKMAP * PAGE_SIZE != FIXADDR_START);
	BUILD_BUG_ON(LAST_PKMAP != PTRS_PER_TABLE);     /* exactly one page table */
	pkmap_pte = pt_lookup_create(swapper_pg_dir, PKMAP_BASE);
	if (!pkmap_pte)
		panic("kmap: no page table for the pkmap area at %p", (void *)PKMAP_BASE);
}

/* LAB(5) BEGIN: map a highmem page at its kmap_local fixmap slot, and unmap it */
void *arch_kmap_local_high(struct page *page, unsigned int slot)
{
	/* The slot's entry is clear (kunmap_local flushed it): no invlpg needed. */
	__set_fixmap_noflush(FIX_KMAP_BEGIN + slot, page_to_phys(page), PAGE_KERNEL);
	return (void *)fix_to_virt(FIX_KMAP_BEGIN + slot);
}

void arch_kunmap_local_high(const void *vaddr, unsigned int slot)
{
	/* This CPU's slot: no other CPU ever touched vaddr (a kmap_local
	 * address is valid only on the CPU that mapped it, and the mapping
	 * ends before that code could move), so no other TLB can hold it.
	 * One local invlpg, no IPI: that is why kmap_local is cheap on SMP. */
	clear_fixmap_local(FIX_KMAP_BEGIN + slot);
}
/* LAB(5) STUB
void *arch_kmap_local_high(struct page *page, unsigned int slot)
{
	return NULL;
}

void arch_kunmap_local_high(const void *vaddr, unsigned int slot)
{
}
*/
/* LAB(5) END */

bool arch_is_kmap_local_addr(unsigned long addr)
{
	return addr >= fix_to_virt(FIX_KMAP_BEGIN) && addr <= fix_to_virt(FIX_KMAP_END) + PAGE_SIZE - 1;
}

static void flush_all_zero_pkmaps(void)
{
	bool need_flush = false;
	for (int i = 0; i < LAST_PKMAP; i++) {
		if (pkmap_count[i] != 1)
			continue;
		pkmap_count[i] = 0;
		pte_clear(&pkmap_pte[i]);
		pkmap_page[i] = NULL;
		need_flush = true;
	}
	if (need_flush) {
		flush_tlb_kernel_range(PKMAP_BASE, PKMAP_BASE + LAST_PKMAP * PAGE_SIZE);
		pkmap_flushes++;
	}
}

/* A free entry for page, mapped, with count 1; -1 if all are held. Two
 * rounds: the first may pass entries that the flush at index 0 frees. */
static int map_new_virtual(struct page *page)
{
	for (int n = 0; n < 2 * LAST_PKMAP; n++) {
		last_pkmap_nr = (last_pkmap_nr + 1) & (LAST_PKMAP - 1);
		if (!last_pkmap_nr)
			flush_all_zero_pkmaps();
		if (pkmap_count[last_pkmap_nr])
			continue;
		set_pte(&pkmap_pte[last_pkmap_nr], ((pteval_t)page_to_phys(page) | PAGE_KERNEL) & __supported_pte_mask);
		pkmap_page[last_pkmap_nr] = page;
		pkmap_count[last_pkmap_nr] = 1;
		return (int)last_pkmap_nr;
	}
	return -1;
}

static int find_pkmap(const struct page *page)
{
	for (int i = 0; i < LAST_PKMAP; i++)
		if (pkmap_page[i] == page && pkmap_count[i])
			return i;
	return -1;
}

void *kmap(struct page *page)
{
	might_sleep();          /* it may wait for other CPUs' TLB flushes */
	if (!PageHighMem(page))
		return page_address(page);
	spin_lock(&kmap_lock);
	int nr = find_pkmap(page);
	if (nr < 0)
		nr = map_new_virtual(page);
	if (nr < 0) {
		spin_unlock(&kmap_lock);
		/* Not waiting for an entry (Linux sleeps here): the caller must cope. */
		pr_err("kmap: all %d pkmap entries are held; cannot map pfn %#lx (returning NULL)\n",
		       LAST_PKMAP, page_to_pfn(page));
		return NULL;
	}
	pkmap_count[nr]++;
	spin_unlock(&kmap_lock);
	return (void *)PKMAP_ADDR(nr);
}

void kunmap(struct page *page)
{
	if (!PageHighMem(page))
		return;
	spin_lock(&kmap_lock);
	int nr = find_pkmap(page);
	if (nr < 0 || pkmap_count[nr] < 2)
		panic("BUG: kunmap of page pfn %#lx which is not mapped (%s)", page_to_pfn(page),
		      nr < 0 ? "no pkmap entry holds it" : "its pkmap entry has no holder left");
	/* Down to 1: still mapped, flushed lazily when the pool wraps around. */
	pkmap_count[nr]--;
	spin_unlock(&kmap_lock);
}

unsigned int pkmap_nr_used(void)
{
	unsigned int n = 0;
	for (int i = 0; i < LAST_PKMAP; i++)
		n += pkmap_count[i] > 1;
	return n;
}

unsigned int pkmap_pool_size(void)
{
	return LAST_PKMAP;
}

void pkmap_for_each(void (*fn)(const struct pkmap_info *info, void *arg), void *arg, struct pkmap_stats *stats)
{
	unsigned int held = 0, lazy = 0;
	for (int i = 0; i < LAST_PKMAP; i++) {
		int count = READ_ONCE(pkmap_count[i]);
		if (!count)
			continue;
		if (count == 1) {
			lazy++;
			continue;
		}
		held++;
		struct pkmap_info info = { i, PKMAP_ADDR(i), page_to_pfn(pkmap_page[i]), count - 1 };
		if (fn)
			fn(&info, arg);
	}
	if (stats)
		*stats = (struct pkmap_stats){ PKMAP_BASE, LAST_PKMAP, held, lazy, pkmap_flushes };
}
