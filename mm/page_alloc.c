/*
 * The buddy allocator. Each zone keeps, per order 0..MAX_PAGE_ORDER, a list
 * of free blocks of 2^order pages aligned to their size. Allocation takes the
 * smallest block that fits and splits it, putting the unused halves back one
 * order lower each; freeing merges a block with its buddy -- the other half
 * of the block one order up, at pfn ^ (1 << order) -- for as long as the
 * buddy is free and whole. Single pages go through a per-CPU cache first.
 *
 * Locking: a zone's free lists and counters belong to zone->lock. Each
 * CPU's cache (per_cpu_ptr(zone->per_cpu_pageset, cpu)) belongs to that CPU alone and is touched
 * only by it, with interrupts off -- never by another CPU, which asks
 * instead (drain_all_pages sends each CPU a call to drain its own). A page
 * freed on another CPU than it was allocated on simply joins that CPU's
 * cache: pages have no home CPU.
 *
 * Pure code: besides the headers it needs nothing of the kernel, so the host
 * tests compile this very file against a fake RAM arena.
 */
#include <pagoda/errno.h>
#include <pagoda/mm.h>
#include <pagoda/panic.h>
#include <pagoda/preempt.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include "internal.h"

struct zone zones[MAX_NR_ZONES];
/* Each zone's per-CPU page cache (zone->per_cpu_pageset points into it). */
static DEFINE_PER_CPU(struct per_cpu_pages [MAX_NR_ZONES], zone_pcp);
struct page *mem_map;
unsigned long max_pfn;
bool page_alloc_debug;
/* Set by the slab allocator: give back what every CPU's slab caches hold
 * (kmem_cache_shrink_all), for an allocation about to fail. */
void (*page_alloc_reclaim_slab)(void);
/* Times a failing allocation drained every CPU's caches and retried. */
unsigned long page_alloc_drains;

const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "HighMem" };

/* Per-CPU cache sizes: big enough that a loop of alloc/free pairs never
 * touches a zone lock, small enough to keep few pages out of the buddy lists. */
#define PCP_BATCH 31
#define PCP_HIGH  (4 * PCP_BATCH)

/* gfp_zone() of each combination of the zone bits, as the per-CPU cache of
 * that zone: the order-0 fast path does one load instead of a chain of
 * tests and a zone lookup. Filled by free_area_init. */
static struct per_cpu_pages __percpu *preferred_pcp[__GFP_ZONEMASK + 1];

/*
 * page_alloc_debug at no cost to the fast paths when it is off (Linux uses
 * a patched jump, a static key, for the same): each fast path already has
 * one test that sends unusual calls out of line, and with the option on,
 * free_area_init makes that test send every call there.
 *   alloc: preferred_pcp points at debug_no_pcp, a cache that stays empty,
 *          so every alloc takes the slow path (which checks);
 *   free:  free_fast_limit, the bytes of mem_map a freed page may lie in,
 *          is 0: every free is "outside" and takes the slow path.
 */
static DEFINE_PER_CPU(struct per_cpu_pages, debug_no_pcp);
static unsigned long free_fast_limit;

int gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return ARCH_DMA32_ZONE;
	if (gfp & __GFP_HIGHMEM)
		return ZONE_HIGHMEM;
	return ZONE_NORMAL;
}

/* ---- free-list primitives (zone->lock held) ---------------------------- */

static inline void add_to_free_list(struct page *page, struct zone *zone, unsigned int order)
{
	page->private = order;
	SetPageBuddy(page);
	list_add(&page->lru, &zone->free_area[order].free_list);
	zone->free_area[order].nr_free++;
}

static inline void del_from_free_list(struct page *page, struct zone *zone, unsigned int order)
{
	list_del(&page->lru);
	ClearPageBuddy(page);
	page->private = 0;
	zone->free_area[order].nr_free--;
}

/*
 * Can the block at buddy merge with ours of this order? Only if it heads a
 * free block of exactly this order (a free block of another order, or a page
 * inside one, has a different shape) and lies in our zone: zones are not
 * merged across, and a buddy pfn outside the zone may be a hole.
 */
static inline bool page_is_buddy(const struct zone *zone, unsigned long buddy_pfn, unsigned int order)
{
	if (!zone_spans_pfn(zone, buddy_pfn))
		return false;
	const struct page *buddy = pfn_to_page(buddy_pfn);
	return PageBuddy(buddy) && buddy->private == order && page_zonenum(buddy) == (enum zone_type)(zone - zones);
}

/* Free the block at pfn of this order into zone, merging upward. */
static void __free_one_page(struct zone *zone, unsigned long pfn, unsigned int order)
{
	zone->free_pages += 1UL << order;
	/* LAB(2) BEGIN: merge the freed block with its buddy, order by order */
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		if (!page_is_buddy(zone, buddy_pfn, order))
			break;
		del_from_free_list(pfn_to_page(buddy_pfn), zone, order);
		pfn &= buddy_pfn;               /* the merged block starts at the lower of the two */
		order++;
	}
	/* LAB(2) END */
	add_to_free_list(pfn_to_page(pfn), zone, order);
}

/* Take a free block of at least order from zone; split it down to order,
 * giving the upper halves back. Returns NULL if no block is big enough. */
static struct page *__rmqueue(struct zone *zone, unsigned int order)
{
	for (unsigned int o = order; o <= MAX_PAGE_ORDER; o++) {
		struct free_area *area = &zone->free_area[o];
		if (list_empty(&area->free_list))
			continue;
		struct page *page = list_first_entry(&area->free_list, struct page, lru);
		del_from_free_list(page, zone, o);
		while (o > order) {
			o--;
			add_to_free_list(page + (1UL << o), zone, o);
		}
		zone->free_pages -= 1UL << order;
		return page;
	}
	return NULL;
}

/* ---- the per-CPU cache of order-0 pages -------------------------------- */

static struct per_cpu_pages *this_cpu_pcp(struct zone *zone)
{
	return this_cpu_ptr(zone->per_cpu_pageset);
}

/* Move up to count pages from the buddy lists to pcp (interrupts off). */
static void pcp_refill(struct zone *zone, struct per_cpu_pages *pcp, int count)
{
	spin_lock(&zone->lock);
	for (int i = 0; i < count; i++) {
		struct page *page = __rmqueue(zone, 0);
		if (!page)
			break;
		SetPagePcp(page);
		/* Tail: the cold pages taken now go behind the hot ones freed last. */
		list_add_tail(&page->lru, &pcp->list);
		pcp->count++;
	}
	spin_unlock(&zone->lock);
}

/* Give the count coldest pages of pcp back to the buddy lists (interrupts off). */
static void pcp_drain(struct zone *zone, struct per_cpu_pages *pcp, int count)
{
	spin_lock(&zone->lock);
	while (count-- > 0 && pcp->count) {
		struct page *page = list_last_entry(&pcp->list, struct page, lru);
		list_del(&page->lru);
		ClearPagePcp(page);
		pcp->count--;
		__free_one_page(zone, page_to_pfn(page), 0);
	}
	spin_unlock(&zone->lock);
}

/* Take the first page of this CPU's cache, or NULL if it is empty.
 * Interrupts off: the cache belongs to this CPU and its interrupt handlers. */
static __always_inline struct page *pcp_pop(struct per_cpu_pages *pcp)
{
	/* The list, not the count, says empty: its first entry is loaded anyway. */
	struct list_head *first = pcp->list.next;
	if (unlikely(first == &pcp->list))
		return NULL;
	struct page *page = list_entry(first, struct page, lru);
	list_del(&page->lru);
	ClearPagePcp(page);
	pcp->count--;
	return page;
}

static struct page *pcp_alloc(struct zone *zone)
{
	unsigned long flags = local_irq_save();
	struct per_cpu_pages *pcp = this_cpu_pcp(zone);
	if (unlikely(!pcp->count))
		pcp_refill(zone, pcp, pcp->batch);
	struct page *page = pcp_pop(pcp);
	local_irq_restore(flags);
	return page;
}

static void debug_check(const char *op);

/* The cache is full: a batch of its coldest pages goes back to the zone. */
static __noinline void pcp_free_overflow(enum zone_type z, struct per_cpu_pages *pcp, unsigned long flags)
{
	pcp_drain(&zones[z], pcp, pcp->batch);
	local_irq_restore(flags);
}

/* The zone is found from the page only when the cache overflows. */
static __always_inline void pcp_free(struct page *page)
{
	enum zone_type z = page_zonenum(page);
	unsigned long flags = local_irq_save();
	struct per_cpu_pages *pcp = this_cpu_ptr(&zone_pcp[z]);
	SetPagePcp(page);
	list_add(&page->lru, &pcp->list);
	if (unlikely(++pcp->count >= pcp->high)) {
		pcp_free_overflow(z, pcp, flags);
		return;
	}
	local_irq_restore(flags);
}

/* Not inlined into alloc_pages_slowpath: its loop would cost the order > 0
 * path two more saved registers on every call, drained or not. */
__noinline void drain_local_pages(void)
{
	struct zone *zone;
	for_each_zone(zone) {
		unsigned long flags = local_irq_save();
		struct per_cpu_pages *pcp = this_cpu_pcp(zone);
		pcp_drain(zone, pcp, pcp->count);
		local_irq_restore(flags);
	}
}

static void drain_local_pages_ipi(void *unused)
{
	drain_local_pages();
}

void drain_all_pages(void)
{
	on_each_cpu(drain_local_pages_ipi, NULL, true);
}

/* ---- allocation --------------------------------------------------------- */

static struct page *rmqueue(struct zone *zone, unsigned int order)
{
	if (order == 0)
		return pcp_alloc(zone);
	unsigned long flags;
	spin_lock_irqsave(&zone->lock, flags);
	struct page *page = __rmqueue(zone, order);
	spin_unlock_irqrestore(&zone->lock, flags);
	return page;
}

/* Highest allowed zone first, then each lower one: never upward. */
static struct page *get_page_from_zones(gfp_t gfp, unsigned int order)
{
	for (int z = gfp_zone(gfp); z >= 0; z--) {
		if (!populated_zone(&zones[z]))
			continue;
		struct page *page = rmqueue(&zones[z], order);
		if (page)
			return page;
	}
	return NULL;
}

static void zero_pages(struct page *page, unsigned int order)
{
	if (!PageHighMem(page)) {
		memset(page_address(page), 0, PAGE_SIZE << order);
		return;
	}
	for (unsigned long i = 0; i < (1UL << order); i++)
		clear_highpage(page + i);
}

static __noinline void debug_check(const char *op)
{
	int errors = buddy_check();
	if (errors)
		panic("BUG: buddy allocator inconsistent after %s: %d problems (listed above)", op, errors);
}

static void warn_alloc(gfp_t gfp, unsigned int order)
{
	printk(KERN_WARNING "page allocation failure: order:%u, gfp 0x%x (highest zone %s), %lu pages free\n",
	       order, gfp, zone_names[gfp_zone(gfp)], nr_free_pages());
	show_buddyinfo();
}

static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	page->_refcount = 1;
	page->private = order;
	if (gfp & __GFP_ZERO)
		zero_pages(page, order);
	if (unlikely(page_alloc_debug))
		debug_check("alloc_pages");
}

/* Zeroing, out of line: the fast path saves no register for it. (No debug
 * check: under page_alloc_debug no alloc comes this way.) */
static __noinline struct page *prep_order0_slow(struct page *page, gfp_t gfp)
{
	(void)gfp;
	zero_pages(page, 0);
	return page;
}

/*
 * Memory is short, but other CPUs' caches may hold what is missing: single
 * pages in their pcp lists (which also keep blocks from merging), objects
 * in their slab stacks and empty slabs. Ask every CPU to give its caches
 * back, then try again; the slab's share second, as it costs more to
 * rebuild. Waits for the other CPUs, so only for callers that may wait.
 */
static struct page *drain_all_and_retry(gfp_t gfp, unsigned int order)
{
	lock_debug_check_cross_cpu_wait("draining every CPU's page cache");
	__atomic_add_fetch(&page_alloc_drains, 1, __ATOMIC_RELAXED);
	drain_all_pages();
	struct page *page = get_page_from_zones(gfp, order);
	if (!page && page_alloc_reclaim_slab) {
		page_alloc_reclaim_slab();
		drain_all_pages();      /* emptied slabs went to the freeing CPUs' caches */
		page = get_page_from_zones(gfp, order);
	}
	return page;
}

/* Everything but the hot case: refilling the per-CPU cache, orders above
 * 0, falling back to lower zones, draining the caches, failing. */
static __noinline struct page *alloc_pages_slowpath(gfp_t gfp, unsigned int order)
{
	if (unlikely(order > MAX_PAGE_ORDER)) {
		if (!(gfp & __GFP_NOWARN))
			printk(KERN_WARNING "alloc_pages: order %u is above MAX_PAGE_ORDER (%d)\n", order,
			       MAX_PAGE_ORDER);
		return NULL;
	}
	struct page *page = get_page_from_zones(gfp, order);
	if (unlikely(!page) && (gfp & __GFP_RECLAIM)) {
		page = drain_all_and_retry(gfp, order);
	} else if (unlikely(!page) && order > 0) {
		/* Cannot wait for other CPUs: this CPU's cached single pages
		 * may still complete a block. */
		drain_local_pages();
		page = get_page_from_zones(gfp, order);
	}
	if (unlikely(!page)) {
		if (!(gfp & __GFP_NOWARN))
			warn_alloc(gfp, order);
		return NULL;
	}
	prep_new_page(page, order, gfp);
	return page;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	/* GFP_KERNEL promises the caller may sleep: check it every time, not
	 * only on the day memory is short (Linux: might_alloc). */
	if (gfp & __GFP_RECLAIM)
		might_sleep();
	/* The hot case: one page from this CPU's cache of the preferred zone. */
	if (likely(order == 0)) {
		unsigned long flags = local_irq_save();
		struct page *page = pcp_pop(this_cpu_ptr(preferred_pcp[gfp & __GFP_ZONEMASK]));
		local_irq_restore(flags);
		if (likely(page)) {
			/* page->private is 0 already: the order a pcp page has. */
			page->_refcount = 1;
			if (unlikely(gfp & __GFP_ZERO))
				return prep_order0_slow(page, gfp);
			return page;
		}
	}
	return alloc_pages_slowpath(gfp, order);
}

/* ---- freeing ------------------------------------------------------------ */

static __noreturn void bad_page(const struct page *page, unsigned int order, const char *what)
{
	dump_page(page, what);
	panic("BUG: Bad page state: %s pfn %#lx (struct page %p, phys %#llx, flags %#lx, refcount %d, order %u, freed as order %u)",
	      what, page_to_pfn(page), (const void *)page, (unsigned long long)page_to_phys(page),
	      page->flags, page->_refcount, page->private, order);
}

#define PAGE_FLAGS_CHECK_AT_FREE \
	((1UL << PG_reserved) | (1UL << PG_buddy) | (1UL << PG_pcp) | (1UL << PG_slab) | (1UL << PG_user))

/* Something about the block being freed is wrong: stop with a report
 * naming the page. (Nothing takes extra references to a page, so a count
 * other than 1 is a bug too.) */
static __noinline __noreturn void free_pages_unusual(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	if (unlikely(!pfn_valid(pfn)))
		panic("BUG: Bad page state: free of struct page %p outside mem_map (pfn %#lx, max_pfn %#lx)",
		      (const void *)page, pfn, max_pfn);
	if (PageReserved(page))
		bad_page(page, order, "freeing reserved");
	if (page->_refcount <= 0 || PageBuddy(page) || PagePcp(page))
		bad_page(page, order, "double free of");
	if (order > MAX_PAGE_ORDER || (pfn & ((1UL << order) - 1)))
		bad_page(page, order, "misaligned free of");
	if (page->private != order)
		bad_page(page, order, "wrong order free of");
	if (PageSlab(page))
		bad_page(page, order, "freeing slab");
	bad_page(page, order, "extra references on free of");
}

/* Orders above 0: straight back to the buddy lists, merging. Out of line,
 * so that the order-0 path saves no registers for it. */
static __noinline void free_pages_block(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	/* One test for every way a free can be wrong (or shared). */
	if (unlikely((page->flags & PAGE_FLAGS_CHECK_AT_FREE) || page->_refcount != 1 || page->private != order ||
		     order > MAX_PAGE_ORDER || (pfn & ((1UL << order) - 1)) || pfn >= max_pfn))
		free_pages_unusual(page, order);
	page->_refcount = 0;
	page->private = 0;
	struct zone *zone = page_zone(page);
	unsigned long flags;
	spin_lock_irqsave(&zone->lock, flags);
	__free_one_page(zone, pfn, order);
	spin_unlock_irqrestore(&zone->lock, flags);
	if (unlikely(page_alloc_debug))
		debug_check("__free_pages");
}

/* An order-0 free that the fast path's one test turned away: a misuse
 * (report and stop), or page_alloc_debug (free, then check everything). */
static __noinline void free_page_slow(struct page *page)
{
	if (unlikely(((page->flags & PAGE_FLAGS_CHECK_AT_FREE) | page->private | (unsigned int)(page->_refcount ^ 1)) ||
		     page_to_pfn(page) >= max_pfn))
		free_pages_unusual(page, 0);
	page->_refcount = 0;
	pcp_free(page);
	debug_check("__free_pages");
}

void __free_pages(struct page *page, unsigned int order)
{
	if (unlikely(order)) {
		free_pages_block(page, order);  /* a report names free_pages_block */
		return;
	}
	/* One test for every way an order-0 free can be wrong: a flag
	 * (reserved, free already, in a pcp list, slab), a count other than 1,
	 * an order other than 0, a pointer outside mem_map (and every free
	 * under page_alloc_debug). */
	if (unlikely(((page->flags & PAGE_FLAGS_CHECK_AT_FREE) | page->private | (unsigned int)(page->_refcount ^ 1)) ||
		     (unsigned long)((char *)page - (char *)mem_map) >= free_fast_limit)) {
		free_page_slow(page);
		barrier();      /* not a tail call: keep __free_pages in the backtrace */
		return;
	}
	page->_refcount = 0;
	pcp_free(page);
}

/* ---- the direct-map interface ------------------------------------------ */

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	if (gfp & __GFP_HIGHMEM) {
		/* The caller wants an address, and a highmem page has none. */
		WARN_ON_ONCE(gfp & __GFP_HIGHMEM);
		return 0;
	}
	struct page *page = alloc_pages(gfp, order);
	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (!addr)
		return;
	if (unlikely(addr & (PAGE_SIZE - 1))) {
		const struct page *page = virt_to_page(addr);
		dump_page(page, "misaligned free");
		panic("BUG: Bad page state: misaligned free of address %#lx in pfn %#lx (struct page %p, phys %#llx, flags %#lx, order %u)",
		      addr, page_to_pfn(page), (const void *)page, (unsigned long long)__pa(addr), page->flags,
		      page->private);
	}
	__free_pages(virt_to_page(addr), order);
}

unsigned long nr_free_pages(void)
{
	unsigned long n = 0;
	struct zone *zone;
	for_each_zone(zone) {
		n += READ_ONCE(zone->free_pages);
		for (int cpu = 0; cpu < NR_CPUS; cpu++)
			n += READ_ONCE(per_cpu_ptr(zone->per_cpu_pageset, cpu)->count);
	}
	return n;
}

/* ---- boot: zones and the hand-over from memblock ------------------------ */

void free_area_init(const unsigned long *zone_end)
{
	unsigned long start = 0;
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		INIT_LIST_HEAD(&per_cpu_ptr(&debug_no_pcp, cpu)->list);
	for (gfp_t g = 0; g <= __GFP_ZONEMASK; g++)
		preferred_pcp[g] = page_alloc_debug ? &debug_no_pcp : &zone_pcp[gfp_zone(g)];
	free_fast_limit = page_alloc_debug ? 0 : max_pfn * sizeof(struct page);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &zones[z];
		unsigned long end = zone_end[z] < max_pfn ? zone_end[z] : max_pfn;
		if (end < start)
			end = start;
		memset(zone, 0, sizeof(*zone));
		spin_lock_init(&zone->lock);
		zone->name = zone_names[z];
		zone->zone_start_pfn = start;
		zone->spanned_pages = end - start;
		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			INIT_LIST_HEAD(&zone->free_area[o].free_list);
		zone->per_cpu_pageset = &zone_pcp[z];
		for (int cpu = 0; cpu < NR_CPUS; cpu++) {
			struct per_cpu_pages *pcp = per_cpu_ptr(zone->per_cpu_pageset, cpu);
			memset(pcp, 0, sizeof(*pcp));
			INIT_LIST_HEAD(&pcp->list);
			pcp->batch = PCP_BATCH;
			pcp->high = PCP_HIGH;
		}
		/* Every byte of every struct page is set here: mem_map comes unzeroed. */
		unsigned long flags = (1UL << PG_reserved) | ((unsigned long)z << ZONES_PGSHIFT) |
				      (z == ZONE_HIGHMEM ? 1UL << PG_highmem : 0);
		for (unsigned long pfn = start; pfn < end; pfn++)
			*pfn_to_page(pfn) = (struct page){ .flags = flags };
		start = end;
	}
}

void __free_pages_memory(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long pfn = start_pfn;
	while (pfn < end_pfn) {
		struct zone *zone = page_zone(pfn_to_page(pfn));
		unsigned long limit = end_pfn < zone_end_pfn(zone) ? end_pfn : zone_end_pfn(zone);
		/* The largest block that is aligned here and fits. */
		unsigned int order = MAX_PAGE_ORDER;
		while (order && ((pfn & ((1UL << order) - 1)) || pfn + (1UL << order) > limit))
			order--;
		for (unsigned long i = 0; i < (1UL << order); i++)
			ClearPageReserved(pfn_to_page(pfn + i));
		/* irqsave and the count under the lock: after boot too (free_initramfs),
		 * with other CPUs allocating. */
		unsigned long flags;
		spin_lock_irqsave(&zone->lock, flags);
		zone->managed_pages += 1UL << order;
		__free_one_page(zone, pfn, order);
		spin_unlock_irqrestore(&zone->lock, flags);
		pfn += 1UL << order;
	}
}

void free_reserved_pages(unsigned long start_pfn, unsigned long end_pfn)
{
	__free_pages_memory(start_pfn, end_pfn);
}

struct pcp_size {
	int high, batch;
};

/* On each CPU: only the owner touches its cache, even to resize it. */
static void pcp_set_local(void *info)
{
	const struct pcp_size *sz = info;
	struct zone *zone;
	drain_local_pages();
	for_each_zone(zone) {
		this_cpu_ptr(zone->per_cpu_pageset)->high = sz->high;
		this_cpu_ptr(zone->per_cpu_pageset)->batch = sz->batch;
	}
}

int pcp_set_high_batch(int high, int batch)
{
	/* A batch above high would refill past high and drain at once; a
	 * cache of more than PCP_HIGH_MAX pages hides too much memory. */
	if (high < 1 || high > PCP_HIGH_MAX || batch < 1 || batch > high)
		return -EINVAL;
	struct pcp_size sz = { high, batch };
	on_each_cpu(pcp_set_local, &sz, true);
	return 0;
}

void pcp_reset_high_batch(void)
{
	pcp_set_high_batch(PCP_HIGH, PCP_BATCH);
}
