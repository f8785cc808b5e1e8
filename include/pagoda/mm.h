/*
 * The physical page frames: the mem_map array of struct page, conversions
 * between pfn, struct page, physical and virtual addresses, and the page
 * flags. The allocator is in <pagoda/gfp.h>, the zones in <pagoda/mmzone.h>.
 */
#ifndef PAGODA_MM_H
#define PAGODA_MM_H

#include <pagoda/mm_types.h>
#include <pagoda/mmzone.h>
#include <asm/page.h>

/* One struct page per pfn in [0, max_pfn); set up by mm_init(). */
extern struct page *mem_map;
extern unsigned long max_pfn;

enum pageflags {
	PG_reserved,    /* never handed to the buddy allocator: hole, firmware, kernel image */
	PG_buddy,       /* heads a free block in a zone's free_area (order in private) */
	PG_pcp,         /* free, on a per-CPU list */
	PG_slab,        /* owned by the slab allocator */
	PG_highmem,     /* no permanent kernel mapping (i386 above 896 MiB) */
	PG_user,        /* mapped into user space (mapcount in _mapcount) */
	__NR_PAGEFLAGS
};

#define BITS_PER_LONG   (8 * (int)sizeof(long))
#define ZONES_SHIFT     2
#define ZONES_PGSHIFT   (BITS_PER_LONG - ZONES_SHIFT)
#define ZONES_MASK      ((1UL << ZONES_SHIFT) - 1)

#define PAGEFLAG(name, bit) \
	static inline bool Page##name(const struct page *p) { return p->flags & (1UL << (bit)); } \
	static inline void SetPage##name(struct page *p) { p->flags |= 1UL << (bit); } \
	static inline void ClearPage##name(struct page *p) { p->flags &= ~(1UL << (bit)); }
PAGEFLAG(Reserved, PG_reserved)
PAGEFLAG(Buddy, PG_buddy)
PAGEFLAG(Pcp, PG_pcp)
PAGEFLAG(Slab, PG_slab)
PAGEFLAG(HighMem, PG_highmem)
PAGEFLAG(User, PG_user)
#undef PAGEFLAG

/* The conversions below are plain arithmetic, callable anywhere; the
 * caller makes sure the pfn is below max_pfn (pfn_valid). */
static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + pfn;
}
static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map);
}
static inline bool pfn_valid(unsigned long pfn)
{
	return pfn < max_pfn;
}
static inline phys_addr_t page_to_phys(const struct page *page)
{
	return PFN_PHYS(page_to_pfn(page));
}

/* The zone is fixed at boot and kept in the top bits of flags. */
static inline enum zone_type page_zonenum(const struct page *page)
{
	return (enum zone_type)((page->flags >> ZONES_PGSHIFT) & ZONES_MASK);
}
static inline struct zone *page_zone(const struct page *page)
{
	return &zones[page_zonenum(page)];
}
static inline void set_page_zone(struct page *page, enum zone_type z)
{
	page->flags = (page->flags & ~(ZONES_MASK << ZONES_PGSHIFT)) | ((unsigned long)z << ZONES_PGSHIFT);
}

/* References: 1 while allocated (alloc_pages), 0 while free, and one more
 * for each pin (get_page: a memory object holding a user page, so that it
 * outlives its last mapping; docs/ipc.md "Memory objects"). */
static inline int page_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount, __ATOMIC_ACQUIRE);
}
/* One more reference on an allocated order-0 page. Any context. */
static inline void get_page(struct page *page)
{
	__atomic_add_fetch(&page->_refcount, 1, __ATOMIC_RELAXED);
}
/* Drop one; the last (the allocation's own) frees the page, which must
 * then have no PG_user left. Any context (mm/page_ref.c). */
void put_page(struct page *page);
/* Make an order-n block from alloc_pages into 2^n order-0 pages, each
 * with its own reference, freed one by one (Linux's split_page). */
void split_page(struct page *page, unsigned int order);

/* The direct-map address of a page, or NULL if it has none (highmem:
 * borrow a mapping with kmap instead). */
static inline void *page_address(const struct page *page)
{
	if (PageHighMem(page))
		return NULL;
	return __va(page_to_phys(page));
}

/* The struct page of a direct-map address (not vmalloc, not highmem). */
#define virt_to_page(addr) pfn_to_page(PFN_DOWN(__pa(addr)))
#define virt_addr_valid(addr) pfn_valid(PFN_DOWN(__pa(addr)))

/* Zero a page that may have no kernel mapping (through kmap_local_page).
 * Any context. */
void clear_highpage(struct page *page);
/* Copy a page to another, either of them possibly highmem. Any context. */
void copy_highpage(struct page *to, struct page *from);

/*
 * Check every invariant of the buddy allocator: each free block aligned to
 * its order, inside its zone, not overlapping another, flagged right, not
 * left unmerged with its buddy; counts per order, per zone and per CPU cache
 * match the lists. Prints each problem (up to a few dozen). Returns the
 * number found, 0 when consistent. Takes every zone lock: not from code that
 * holds one. Costs a walk over all of mem_map.
 */
int buddy_check(void);
/* Set by the page_alloc_debug option: buddy_check() after every operation. */
extern bool page_alloc_debug;

/* Print a struct page decoded (the `page` monitor command, bad-page reports). */
void dump_page(const struct page *page, const char *reason);
/* Print free blocks per zone and order (the `buddyinfo` command; OOM reports). */
void show_buddyinfo(void);
/* Print spanned/present/managed/free per zone and the per-CPU caches. */
void show_zoneinfo(void);

/* Empty this CPU's per-CPU caches back into the buddy lists. Any context. */
void drain_local_pages(void);
/* Ask every online CPU to drain its own caches, and wait (on_each_cpu: not
 * with a lock held that a CPU takes with interrupts off). */
void drain_all_pages(void);
/* nr_free_pages() when mm_init handed RAM to the buddy allocator. */
extern unsigned long boot_free_pages;

/* Give the buddy allocator pages that the boot reserved and nobody uses any
 * more (the initramfs once unpacked): [start_pfn, end_pfn) must all be
 * PG_reserved and unused. Process context; other CPUs may be allocating. */
void free_reserved_pages(unsigned long start_pfn, unsigned long end_pfn);

/* Names for reports: "DMA", "DMA32", "Normal", "HighMem". */
extern const char *const zone_names[MAX_NR_ZONES];

#endif
