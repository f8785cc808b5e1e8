/*
 * Page tables, all builds. The tree has PT_LEVELS levels (4 on x86_64:
 * PML4, PDPT, PD, PT; 2 on i386: PD, PT; 3 on i386 with PAE: PDPT, PD,
 * PT); level 0 is the top. Each table is one page of PTRS_PER_TABLE
 * entries (the PAE PDPT uses only PTRS_PER_PGD = 4 of them);
 * level_shift(l) is the number of address bits below an entry of level l.
 * An entry with _PAGE_PSE at a level that allows it maps a large page
 * (1 GiB / 2 MiB on x86_64, 4 MiB on i386, 2 MiB with PAE) instead of
 * pointing to a table.
 */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include <pagoda/types.h>
#include <asm/page.h>
#include <asm/processor.h>

/* pteval_t-typed, so that ~_PAGE_RW keeps the high half of a 64-bit PAE
 * entry (NX, address bits above 4 GiB) instead of zero-extending a 32-bit
 * mask over it. */
#define _PAGE_PRESENT  ((pteval_t)1 << 0)
#define _PAGE_RW       ((pteval_t)1 << 1)
#define _PAGE_USER     ((pteval_t)1 << 2)
#define _PAGE_PWT      ((pteval_t)1 << 3)
#define _PAGE_PCD      ((pteval_t)1 << 4)
#define _PAGE_ACCESSED ((pteval_t)1 << 5)
#define _PAGE_DIRTY    ((pteval_t)1 << 6)
#define _PAGE_PSE      ((pteval_t)1 << 7)
#define _PAGE_GLOBAL   ((pteval_t)1 << 8)
/* Software bit (the CPU ignores bits 9-11): a user PTE of a PROT_NONE
 * range. P is clear, so every access faults, but the frame is still the
 * mm's: mprotect gives the access back with P, munmap frees the page. */
#define _PAGE_PROTNONE ((pteval_t)1 << 9)
/* Software bit: a user PTE that does not own its page (Linux's
 * _PAGE_SPECIAL): a memory object's page, which the VMA holds a reference
 * on (mm/memobj_map.c: no _mapcount, never copied on write), or device
 * memory with no struct page (vm_map_io, VM_PFNMAP). Unmapping only
 * clears the entry. */
#define _PAGE_SPECIAL  ((pteval_t)1 << 10)

#ifdef __x86_64__
#include <asm/pgtable_64.h>
#else
#include <asm/pgtable_32.h>
#endif

/* Protections for kernel mappings. _PAGE_NX is 0 where the CPU has no NX. */
#define PAGE_KERNEL          (_PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_RO       (_PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_KERNEL_RX       (_PAGE_PRESENT | _PAGE_GLOBAL)
#define PAGE_KERNEL_NOCACHE  (PAGE_KERNEL | _PAGE_CACHE_UC)

/*
 * Cache modes. PWT and PCD pick one of the eight PAT entries (with the PAT
 * bit, unused here). pat_init() reprograms entry 1 (PWT alone) from
 * write-through to write-combining, as Linux does, so:
 *   write-back      no bits      (PAT entry 0, RAM)
 *   write-combining PWT          (PAT entry 1; frame buffers)
 *   uncached        PCD | PWT    (PAT entry 3; device registers)
 * Without PAT, PWT alone would mean write-through, so _page_cache_wc falls
 * back to uncached.
 */
#define _PAGE_CACHE_WB ((pteval_t)0)
#define _PAGE_CACHE_UC (_PAGE_PCD | _PAGE_PWT)
extern pteval_t _page_cache_wc;
#define PAGE_KERNEL_IO (PAGE_KERNEL | _PAGE_CACHE_UC)
#define PAGE_KERNEL_WC (PAGE_KERNEL | _page_cache_wc)
/* Program IA32_PAT (when CPUID has PAT) so that PWT selects write-combining. */
void pat_init(void);             /* on every online CPU */
/* A CPU started after pat_init: program its IA32_PAT the same way. */
void pat_cpu_init(void);
/* The IA32_PAT value pat_init wrote, 0 if the CPU has no PAT. */
extern u64 pat_value;

/* Bits this CPU accepts in an entry: _PAGE_NX is cleared when it has no NX
 * (setting it anyway would be a reserved-bit fault). map_pages applies it. */
extern pteval_t __supported_pte_mask;

/* set_pte(ptep, val) / pte_clear(ptep), from the header above: write an
 * entry the CPU may be walking (PAE: in two halves, in a safe order). */

/* The kernel's top-level table; every address space shares its kernel half. */
extern pteval_t swapper_pg_dir[PTRS_PER_TABLE];

static inline unsigned int level_shift(int level)
{
	return PAGE_SHIFT + (PT_LEVELS - 1 - level) * PT_INDEX_BITS;
}
static inline unsigned int pt_index(unsigned long va, int level)
{
	return (va >> level_shift(level)) & (PTRS_PER_TABLE - 1);
}

/*
 * Map [va, va+size) to [pa, pa+size) with prot in the tree rooted at pgd,
 * creating tables as needed. With allow_large, aligned stretches use large
 * pages. Returns 0, -ENOMEM (no page for a table) or -EEXIST (something is
 * already mapped there). Does not flush the TLB: the caller does.
 */
int map_pages(pteval_t *pgd, unsigned long va, phys_addr_t pa, u64 size, pteval_t prot, bool allow_large);

/* The entry of every level on the way to va, for teaching tools and tests. */
struct pt_walk {
	int levels;                     /* levels visited, 1..PT_LEVELS */
	pteval_t entry[PT_LEVELS];
	unsigned int index[PT_LEVELS];
	bool present;                   /* the walk reached a present leaf */
	phys_addr_t phys;               /* va's physical address if present */
	u64 page_size;                  /* size of the leaf mapping */
	pteval_t leaf;                  /* the leaf entry */
};
void pt_walk(const pteval_t *pgd, unsigned long va, struct pt_walk *w);
/* Pointer to the leaf PTE slot for va at level PT_LEVELS-1, creating tables. */
pteval_t *pt_lookup_create(pteval_t *pgd, unsigned long va);
const char *pt_level_name(int level);
/* Give every top-level entry covering [start, end) its next-level table now,
 * so the entry never changes later (vmalloc_init). Returns the number of
 * tables created or -ENOMEM. */
int pt_prealloc_top_level(pteval_t *pgd, unsigned long start, unsigned long end);

/*
 * Unmap [va, va+size) in the tree rooted at pgd (4 KiB leaves; a large page
 * must lie wholly inside the range). Flushes the TLB for the range, then
 * frees the page tables the unmapping emptied, except those hanging directly
 * off the top level (every address space shares them by copying: see
 * mm/pgd.c) and those from the boot pool. Returns the pages unmapped.
 * The caller holds whatever lock protects this part of the tree.
 */
unsigned long unmap_pages(pteval_t *pgd, unsigned long va, u64 size);
/*
 * The same leaves cleared, but every table is kept and no TLB is flushed:
 * the caller flushes before the range is mapped again (the vmalloc area's
 * lazy purge, mm/vmap_area.c, as Linux's vunmap_range_noflush).
 */
unsigned long unmap_pages_noflush(pteval_t *pgd, unsigned long va, u64 size);

/*
 * Where page-table pages come from: a .bss pool while booting, the buddy
 * allocator (zeroed, lowmem) once pgtable_use_page_allocator() has run.
 * That allocation may sleep (GFP_KERNEL): code that creates tables while
 * holding a spinlock brackets itself with the stash calls below, and its
 * tables come from pages set aside before the lock was taken.
 */
void *pgtable_alloc_page(void);
/* Give back a table from pgtable_alloc_page (user page tables, mm/memory.c). */
void pgtable_free_page(void *table);

/*
 * The table stash, per CPU. Between pgtable_stash_begin() and
 * pgtable_stash_end(), pgtable_alloc_page() on this CPU takes pages only
 * from the stash and never calls the allocator: with the stash empty it
 * returns NULL and notes the shortage (pgtable_stash_short()). The usual
 * pattern, with no lock held around it (vmalloc's map_area_prealloc):
 *
 *	pgtable_stash_begin();
 *	lock; err = create tables...; unlock;
 *	if (err && pgtable_stash_short() && !pgtable_stash_fill(pt_tables_spanned(va, size)))
 *		lock; err = create tables again...; unlock;
 *	pgtable_stash_end();
 *
 * pgtable_stash_fill() may sleep; pgtable_stash_end() frees what was not used.
 */
void pgtable_stash_begin(void);
int pgtable_stash_fill(unsigned int pages);     /* 0 or -ENOMEM; no spinlock held */
bool pgtable_stash_short(void);
void pgtable_stash_end(void);
/* The most tables below the top level that mapping [va, va+size) can create. */
unsigned int pt_tables_spanned(unsigned long va, unsigned long size);
void pgtable_use_page_allocator(void);
unsigned int pgtable_pages_used(void);          /* from the boot pool */
unsigned long pgtable_pages_allocated(void);    /* from the buddy allocator, live now */

static inline void flush_tlb_one(unsigned long va) { invlpg(va); }
/* Global entries survive a CR3 write; toggling CR4.PGE drops them too. */
static inline void flush_tlb_all(void)
{
	unsigned long cr4 = read_cr4();
	if (cr4 & X86_CR4_PGE) {
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

/*
 * Flush [start, end) on every online CPU (a TLB shootdown, mm/tlb.c): on
 * each, one invlpg per page up to FLUSH_TLB_CEILING pages, beyond that a
 * full flush is cheaper than walking the range. Waits for the other CPUs:
 * never call it holding a lock that some CPU takes with interrupts off.
 */
#define FLUSH_TLB_CEILING 32
void flush_tlb_kernel_range(unsigned long start, unsigned long end);

/* Build swapper_pg_dir: the direct map, the kernel image with W^X, the
 * fixmap; then switch to it. The boot identity mapping is gone after this. */
void paging_init(void);
/* Map part of the kernel image at its link address (4 KiB pages). */
void map_kernel_range(const void *start, const void *end, pteval_t prot);
/* Arch parts of paging_init (mm/x86/pgtable_64.c, pgtable_2level.c,
 * pgtable_3level.c): switch on what the arch's entries need before the
 * first CR3 load (EFER.NXE with PAE), and the boot log. */
void arch_paging_setup(void);
void arch_paging_report(void);
/* i386: log the RAM above lowmem (and above 4 GiB), if any. */
void report_highmem_ranges(void);
/* Highest physical address the direct map covers in this build. */
phys_addr_t direct_map_limit(void);

#endif
