/*
 * The buddy allocator, checked on the running kernel: split and merge leave
 * the free lists exactly as they were, blocks are aligned, zones are chosen
 * and fallen back from as the GFP flags say, exhaustion ends in NULL and
 * every page comes back, the per-CPU cache refills and drains in batches.
 * Misuse cases (double free ...) are expected panics, each booted alone.
 */
#include <pagoda/ktest.h>
#include <pagoda/random.h>
#include <pagoda/gfp.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include <pagoda/memblock.h>
#include <pagoda/sections.h>
#include <pagoda/bootinfo.h>
#include <asm/pgtable.h>
#include <asm/fixmap.h>

/* ---- snapshots of every free block ------------------------------------- */

#define SNAP_MAX 4096
struct snapshot {
	unsigned long n;
	unsigned long free;
	unsigned long block[SNAP_MAX];  /* pfn << 4 | order, sorted */
	unsigned long hash;             /* used beyond SNAP_MAX blocks */
};
static struct snapshot snap_before, snap_after;

static void sort_ulong(unsigned long *a, unsigned long n)
{
	/* Shell sort: no recursion, no allocation, fast enough for a few thousand. */
	for (unsigned long gap = n / 2; gap; gap /= 2)
		for (unsigned long i = gap; i < n; i++)
			for (unsigned long j = i; j >= gap && a[j - gap] > a[j]; j -= gap) {
				unsigned long t = a[j];
				a[j] = a[j - gap];
				a[j - gap] = t;
			}
}

static void take_snapshot(struct snapshot *s)
{
	struct zone *zone;
	/* Settle first: empty slabs and pages in any CPU's cache would come
	 * back to the free lists when memory runs short, mid-test. */
	kmem_cache_shrink_all();
	drain_all_pages();
	s->n = 0;
	s->hash = 0;
	s->free = nr_free_pages();
	for_each_zone(zone)
		for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
			struct page *page;
			list_for_each_entry(page, &zone->free_area[o].free_list, lru) {
				unsigned long key = page_to_pfn(page) << 4 | o;
				s->hash += key * 0x9e3779b1UL;
				if (s->n < SNAP_MAX)
					s->block[s->n] = key;
				s->n++;
			}
		}
	sort_ulong(s->block, s->n < SNAP_MAX ? s->n : SNAP_MAX);
}

static void expect_same_snapshot(struct ktest *t, const struct snapshot *a, const struct snapshot *b)
{
	KTEST_EXPECT_EQ(t, a->free, b->free);
	KTEST_EXPECT_EQ(t, a->n, b->n);
	KTEST_EXPECT_EQ(t, a->hash, b->hash);
	unsigned long n = a->n < SNAP_MAX ? a->n : SNAP_MAX;
	for (unsigned long i = 0; i < n && a->n == b->n; i++)
		if (a->block[i] != b->block[i]) {
			ktest_fail_msg(t, __FILE__, __LINE__, "free block %lu differs: pfn %#lx order %lu, was pfn %#lx order %lu",
				       i, b->block[i] >> 4, b->block[i] & 15, a->block[i] >> 4, a->block[i] & 15);
			return;
		}
}

static struct rnd_state rng_state = { 0x6cdd1d };
static unsigned long rng(void)
{
	return prandom_u32_state(&rng_state);
}

/* ---- cases ---------------------------------------------------------------- */

static void consistent_after_boot(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	KTEST_EXPECT_TRUE(t, memblock_retired());
	KTEST_EXPECT_GT(t, nr_free_pages(), 0);
}

static void struct_page_layout(struct ktest *t)
{
	/* flags, two list pointers, order, refcount: 32 bytes or 20. */
	KTEST_EXPECT_LE(t, sizeof(struct page), 4 * sizeof(long) + 2 * sizeof(int) - sizeof(long) + 0u);
	KTEST_EXPECT_LE(t, sizeof(struct page), sizeof(long) == 8 ? 32u : 20u);
	/* Round trips between the four names of a page. */
	unsigned long addr = __get_free_page(GFP_KERNEL);
	KTEST_ASSERT_NE(t, addr, 0);
	struct page *page = virt_to_page(addr);
	KTEST_EXPECT_EQ(t, (unsigned long)page_address(page), addr);
	KTEST_EXPECT_PTR_EQ(t, pfn_to_page(page_to_pfn(page)), page);
	KTEST_EXPECT_EQ(t, page_to_phys(page), __pa(addr));
	KTEST_EXPECT_EQ(t, page_count(page), 1);
	KTEST_EXPECT_FALSE(t, PageReserved(page) || PageBuddy(page) || PagePcp(page));
	free_page(addr);
	KTEST_EXPECT_EQ(t, page_count(page), 0);
	/* The kernel image is reserved; pfn 0 too (first MiB). */
	KTEST_EXPECT_TRUE(t, PageReserved(virt_to_page(_text)));
	KTEST_EXPECT_TRUE(t, PageReserved(pfn_to_page(0)));
}

/* Allocate every order several times, free in a scrambled order: the free
 * lists must be exactly what they were, block for block. */
static void split_merge_exact(struct ktest *t)
{
	enum { PER_ORDER = 3, N = PER_ORDER * NR_PAGE_ORDERS };
	struct page *pages[N];
	unsigned int orders[N];
	int n = 0;

	take_snapshot(&snap_before);
	for (int round = 0; round < PER_ORDER; round++)
		for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
			struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o);
			if (!p)
				continue;       /* small machines may lack a 4 MiB block */
			pages[n] = p;
			orders[n++] = o;
		}
	KTEST_EXPECT_GE(t, n, PER_ORDER * 8);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	for (int i = n - 1; i > 0; i--) {
		int j = (int)(rng() % (unsigned long)(i + 1));
		struct page *tp = pages[i]; pages[i] = pages[j]; pages[j] = tp;
		unsigned int to = orders[i]; orders[i] = orders[j]; orders[j] = to;
	}
	for (int i = 0; i < n; i++)
		__free_pages(pages[i], orders[i]);
	take_snapshot(&snap_after);
	expect_same_snapshot(t, &snap_before, &snap_after);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static void alignment_every_order(struct ktest *t)
{
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		struct page *p[4];
		for (int i = 0; i < 4; i++) {
			p[i] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o);
			if (p[i]) {
				KTEST_EXPECT_EQ(t, page_to_pfn(p[i]) & ((1UL << o) - 1), 0);
				KTEST_EXPECT_EQ(t, p[i]->private, o);
				/* The whole block is in one zone. */
				KTEST_EXPECT_EQ(t, page_zonenum(p[i] + (1UL << o) - 1), page_zonenum(p[i]));
			}
		}
		for (int i = 0; i < 4; i++)
			if (p[i])
				__free_pages(p[i], o);
	}
	KTEST_EXPECT_NULL(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1));
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static void check_zone_of(struct ktest *t, gfp_t gfp, phys_addr_t below, bool lowmem)
{
	struct page *p = alloc_pages(gfp, 0);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_LE(t, page_zonenum(p), gfp_zone(gfp));
	if (below)
		KTEST_EXPECT_LT(t, page_to_phys(p), below);
	if (lowmem)
		KTEST_EXPECT_NOT_NULL(t, page_address(p));
	__free_page(p);
}

static unsigned long zone_free(int z)
{
	unsigned long n = zones[z].free_pages;
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		n += per_cpu_ptr(zones[z].per_cpu_pageset, cpu)->count;
	return n;
}

static void zone_selection(struct ktest *t)
{
	check_zone_of(t, GFP_DMA, 16 << 20, true);
	check_zone_of(t, GFP_DMA32, 1ULL << 32, true);
	check_zone_of(t, GFP_KERNEL, 0, true);
	check_zone_of(t, GFP_ATOMIC, 0, true);
	check_zone_of(t, GFP_HIGHUSER, 0, false);
	check_zone_of(t, __GFP_HIGHMEM, 0, false);
	check_zone_of(t, GFP_KERNEL | __GFP_DMA32, 1ULL << 32, true);
	KTEST_EXPECT_EQ(t, gfp_zone(GFP_DMA32), ARCH_DMA32_ZONE);
	if (zone_free(ARCH_DMA32_ZONE)) {
		/* "Below 4 GiB" is served by the highest zone that guarantees it. */
		struct page *d = alloc_page(GFP_DMA32);
		KTEST_ASSERT_NOT_NULL(t, d);
		KTEST_EXPECT_EQ(t, page_zonenum(d), ARCH_DMA32_ZONE);
		__free_page(d);
	}
	KTEST_EXPECT_EQ(t, gfp_zone(GFP_DMA), ZONE_DMA);
	KTEST_EXPECT_EQ(t, gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	KTEST_EXPECT_EQ(t, gfp_zone(GFP_HIGHUSER), ZONE_HIGHMEM);
	KTEST_EXPECT_EQ(t, gfp_zone(GFP_DMA | __GFP_HIGHMEM), ZONE_DMA);

	/* The highest populated allowed zone is the one used. */
	int top = ZONE_NORMAL;
	while (top > 0 && !zone_free(top))
		top--;
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, page_zonenum(p), top);
	__free_page(p);

	/* Highmem exists exactly when the machine has RAM above lowmem. */
	if (zone_free(ZONE_HIGHMEM)) {
		p = alloc_pages(GFP_HIGHUSER, 0);
		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_EQ(t, page_zonenum(p), ZONE_HIGHMEM);
		KTEST_EXPECT_TRUE(t, PageHighMem(p));
		KTEST_EXPECT_NULL(t, page_address(p));
		KTEST_EXPECT_GE(t, page_to_phys(p), direct_map_limit());
		__free_page(p);
	}
	if (sizeof(long) == 8)
		KTEST_EXPECT_EQ(t, zones[ZONE_HIGHMEM].spanned_pages, 0);
	else
		KTEST_EXPECT_EQ(t, zones[ZONE_DMA32].spanned_pages, 0);
}

/* Allocate order-0 pages with gfp until NULL; they are chained on list. */
static unsigned long grab_all(gfp_t gfp, struct list_head *list)
{
	unsigned long n = 0;
	struct page *p;
	while ((p = alloc_pages(gfp | __GFP_NOWARN, 0))) {
		list_add(&p->lru, list);
		n++;
	}
	return n;
}

static void release_all(struct list_head *list)
{
	while (!list_empty(list)) {
		struct page *p = list_first_entry(list, struct page, lru);
		list_del(&p->lru);
		__free_page(p);
	}
}

/* Exhausting ZONE_DMA with GFP_DMA ends in NULL although the higher zones
 * are full of free pages (never upward), and GFP_KERNEL still works. Then
 * GFP_KERNEL falls back into DMA once everything above is gone. */
static void zone_fallback_never_upward(struct ktest *t)
{
	LIST_HEAD(dma);
	LIST_HEAD(rest);
	drain_all_pages();
	unsigned long dma_free = zone_free(ZONE_DMA);
	unsigned long n = grab_all(GFP_DMA, &dma);
	KTEST_EXPECT_EQ(t, n, dma_free);
	KTEST_EXPECT_GT(t, nr_free_pages(), 0);
	/* Without __GFP_NOWARN the failure is reported (the log shows it). */
	KTEST_EXPECT_NULL(t, alloc_pages(GFP_DMA, 0));
	KTEST_EXPECT_NULL(t, (void *)__get_free_pages(GFP_DMA | __GFP_NOWARN, 0));
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_GT(t, page_zonenum(p), ZONE_DMA);
	__free_page(p);
	release_all(&dma);

	/* Now take everything above DMA: GFP_KERNEL must then come from DMA. */
	unsigned long above = 0;
	for (int z = ZONE_DMA32; z <= ZONE_NORMAL; z++)
		above += zone_free(z);
	struct page *q;
	unsigned long got = 0;
	while (got < above && (q = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0))) {
		list_add(&q->lru, &rest);
		got++;
		if (page_zonenum(q) == ZONE_DMA)
			break;
	}
	p = alloc_pages(GFP_KERNEL, 0);
	KTEST_EXPECT_NOT_NULL(t, p);
	if (p) {
		KTEST_EXPECT_EQ(t, page_zonenum(p), ZONE_DMA);
		__free_page(p);
	}
	release_all(&rest);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* Take every page there is: the allocator ends in NULL, then everything
 * comes back and the free lists are as before. */
static void exhaustion_and_recovery(struct ktest *t)
{
	LIST_HEAD(all);
	take_snapshot(&snap_before);
	unsigned long n = grab_all(GFP_HIGHUSER, &all);
	KTEST_EXPECT_EQ(t, n, snap_before.free);
	KTEST_EXPECT_EQ(t, nr_free_pages(), 0);
	KTEST_EXPECT_NULL(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0));
	KTEST_EXPECT_NULL(t, alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, 3));
	KTEST_EXPECT_EQ(t, __get_free_page(GFP_KERNEL | __GFP_NOWARN), 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	release_all(&all);
	take_snapshot(&snap_after);
	KTEST_EXPECT_EQ(t, nr_free_pages(), snap_before.free);
	expect_same_snapshot(t, &snap_before, &snap_after);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static void get_free_pages_refuses_highmem(struct ktest *t)
{
	unsigned long before = nr_free_pages();
	KTEST_EXPECT_EQ(t, __get_free_pages(GFP_HIGHUSER, 0), 0);
	KTEST_EXPECT_EQ(t, __get_free_page(__GFP_HIGHMEM), 0);
	KTEST_EXPECT_EQ(t, __get_free_pages(GFP_KERNEL | __GFP_HIGHMEM, 2), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	/* Without __GFP_HIGHMEM it hands out mapped, aligned pages. */
	unsigned long a = __get_free_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_NE(t, a, 0);
	KTEST_EXPECT_EQ(t, a & ((PAGE_SIZE << 2) - 1), 0);
	KTEST_EXPECT_LT(t, __pa(a), direct_map_limit());
	memset((void *)a, 0x5a, PAGE_SIZE << 2);
	free_pages(a, 2);
	free_pages(0, 0);               /* like kfree(NULL): nothing */
}

/* __get_free_pages hands out addresses, so never a highmem page: with
 * lowmem used up it returns 0 although highmem (i386 > 896 MiB) is free. */
static void get_free_pages_never_highmem(struct ktest *t)
{
	LIST_HEAD(held);
	drain_all_pages();
	unsigned long high_free = zone_free(ZONE_HIGHMEM), n = 0;
	unsigned long a;
	while ((a = __get_free_page(GFP_KERNEL | __GFP_NOWARN))) {
		struct page *p = virt_to_page(a);
		KTEST_EXPECT_FALSE(t, PageHighMem(p));
		KTEST_EXPECT_LT(t, __pa(a), direct_map_limit());
		list_add(&p->lru, &held);
		n++;
	}
	KTEST_EXPECT_GT(t, n, 0);
	KTEST_EXPECT_EQ(t, zone_free(ZONE_HIGHMEM), high_free);
	if (high_free) {
		/* ... while alloc_pages(GFP_HIGHUSER) still succeeds, from highmem. */
		struct page *p = alloc_page(GFP_HIGHUSER);
		KTEST_EXPECT_NOT_NULL(t, p);
		if (p) {
			KTEST_EXPECT_TRUE(t, PageHighMem(p));
			__free_page(p);
		}
	}
	release_all(&held);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned long *w = p;
	for (size_t i = 0; i < n / sizeof(long); i++)
		if (w[i])
			return false;
	return true;
}

static void zeroed_pages(struct ktest *t)
{
	/* Dirty a page and free it: it is the hot head of the per-CPU list, so
	 * the next allocation gets it back -- and must zero it. */
	unsigned long a = __get_free_page(GFP_KERNEL);
	KTEST_ASSERT_NE(t, a, 0);
	memset((void *)a, 0xa5, PAGE_SIZE);
	free_page(a);
	unsigned long z = get_zeroed_page(GFP_KERNEL);
	KTEST_ASSERT_NE(t, z, 0);
	KTEST_EXPECT_EQ(t, z, a);
	KTEST_EXPECT_TRUE(t, all_zero((void *)z, PAGE_SIZE));
	free_page(z);

	struct page *p = alloc_pages(GFP_KERNEL, 3);
	KTEST_ASSERT_NOT_NULL(t, p);
	memset(page_address(p), 0xff, PAGE_SIZE << 3);
	__free_pages(p, 3);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_TRUE(t, all_zero(page_address(p), PAGE_SIZE << 3));
	__free_pages(p, 3);

	/* A highmem page is zeroed through a temporary mapping. */
	if (zone_free(ZONE_HIGHMEM)) {
		p = alloc_pages(GFP_HIGHUSER | __GFP_ZERO, 1);
		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_TRUE(t, PageHighMem(p));
		for (int i = 0; i < 2; i++) {
			const void *v = early_memremap(page_to_phys(p + i), PAGE_SIZE);
			KTEST_ASSERT_NOT_NULL(t, v);
			KTEST_EXPECT_TRUE(t, all_zero(v, PAGE_SIZE));
			early_memunmap(v);
		}
		__free_pages(p, 1);
	}
}

static void pcp_refill_and_drain(struct ktest *t)
{
	drain_local_pages();
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_NOT_NULL(t, p);
	struct zone *zone = page_zone(p);
	struct per_cpu_pages *pcp = this_cpu_ptr(zone->per_cpu_pageset);
	/* The first allocation took one batch from the buddy lists. */
	KTEST_EXPECT_EQ(t, pcp->count, pcp->batch - 1);
	unsigned long buddy_free = zone->free_pages;
	/* Allocations now come from the cache: the buddy lists do not move. */
	struct page *q = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_EQ(t, zone->free_pages, buddy_free);
	KTEST_EXPECT_EQ(t, pcp->count, pcp->batch - 2);
	/* Last freed, first reused (hot). */
	__free_page(q);
	KTEST_EXPECT_TRUE(t, PagePcp(q));
	struct page *r = alloc_pages(GFP_KERNEL, 0);
	KTEST_EXPECT_PTR_EQ(t, r, q);
	__free_page(r);
	__free_page(p);
	KTEST_EXPECT_EQ(t, pcp->count, pcp->batch);

	/* Freeing up to `high` gives a batch back to the buddy lists. */
	LIST_HEAD(list);
	int want = pcp->high;
	for (int i = 0; i < want; i++) {
		struct page *x = alloc_pages(GFP_KERNEL, 0);
		KTEST_ASSERT_NOT_NULL(t, x);
		list_add(&x->lru, &list);
	}
	release_all(&list);
	KTEST_EXPECT_LT(t, pcp->count, pcp->high);
	KTEST_EXPECT_GE(t, pcp->count, pcp->high - pcp->batch);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	drain_local_pages();
	KTEST_EXPECT_EQ(t, pcp->count, 0);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
}

/* The page allocator's numbers against what the firmware map and the
 * memblock reservation list say, computed here independently: every usable
 * page that no reservation covers was handed over, every other pfn is
 * PG_reserved. */
static bool in_reservation(phys_addr_t pa)
{
	const struct memblock_type *r = memblock_reserved();
	for (int i = 0; i < r->cnt; i++)
		if (pa >= r->regions[i].base && pa < r->regions[i].base + r->regions[i].size)
			return true;
	return false;
}

static bool usable_page(phys_addr_t pa)
{
	if (pa + PAGE_SIZE > ARCH_MAX_PHYS_ADDR)
		return false;
	for (int i = 0; i < bootinfo.nr_mem; i++) {
		const struct e820_entry *m = &bootinfo.mem[i];
		if (m->type == E820_TYPE_RAM && pa >= m->start && pa + PAGE_SIZE <= m->end)
			return true;
	}
	return false;
}

static void boot_accounting(struct ktest *t)
{
	unsigned long usable = 0, reserved = 0, wrong = 0;
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		phys_addr_t pa = PFN_PHYS(pfn);
		if (!usable_page(pa)) {
			if (!PageReserved(pfn_to_page(pfn)) && wrong++ < 4)
				ktest_fail_msg(t, __FILE__, __LINE__, "pfn %#lx is not usable RAM but not PG_reserved", pfn);
			continue;
		}
		usable++;
		if (in_reservation(pa)) {
			reserved++;
			if (!PageReserved(pfn_to_page(pfn)) && wrong++ < 4)
				ktest_fail_msg(t, __FILE__, __LINE__, "pfn %#lx is reserved but not PG_reserved", pfn);
		} else if (PageReserved(pfn_to_page(pfn)) && wrong++ < 4) {
			ktest_fail_msg(t, __FILE__, __LINE__, "pfn %#lx is free RAM but PG_reserved", pfn);
		}
	}
	KTEST_EXPECT_EQ(t, wrong, 0);
	KTEST_EXPECT_EQ(t, boot_free_pages, usable - reserved);
	KTEST_EXPECT_EQ(t, memblock_memory_pages(), usable);
	KTEST_EXPECT_EQ(t, memblock_reserved_pages(), reserved);
	unsigned long managed = 0, present = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		managed += zones[z].managed_pages;
		present += zones[z].present_pages;
	}
	KTEST_EXPECT_EQ(t, managed, usable - reserved);
	KTEST_EXPECT_EQ(t, present, usable);
	/* The reservations the boot log promises are there. */
	KTEST_EXPECT_TRUE(t, in_reservation(__pa(_text)));
	KTEST_EXPECT_TRUE(t, in_reservation(__pa(_end) - 1));
	KTEST_EXPECT_TRUE(t, in_reservation(__pa(mem_map)));
	KTEST_EXPECT_TRUE(t, in_reservation(0));
	KTEST_EXPECT_TRUE(t, in_reservation(0xfffff));
	KTEST_EXPECT_EQ(t, max_pfn, memblock_end_pfn());
}

/* ---- misuse: each stops the kernel with its report ------------------------ */

static void double_free(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_page(p);
	__free_page(p);
	ktest_fail_msg(t, __FILE__, __LINE__, "the second free returned");
}

/* Nothing takes a second reference to a page: a count above 1 at free is
 * corruption, reported, not quietly dropped by one. */
static void free_with_extra_reference(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_NOT_NULL(t, p);
	p->_refcount = 2;
	__free_page(p);
	ktest_fail_msg(t, __FILE__, __LINE__, "the free returned");
}

static void double_free_merged(struct ktest *t)
{
	/* The second free finds the page inside a merged free block, not on
	 * the per-CPU list: refcount 0 still gives it away. */
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_pages(p, 2);
	__free_pages(p, 2);
	ktest_fail_msg(t, __FILE__, __LINE__, "the second free returned");
}

static void free_reserved(struct ktest *t)
{
	__free_page(virt_to_page(_text));
}

static void free_wrong_order(struct ktest *t)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_pages(p, 1);
}

static void free_misaligned_address(struct ktest *t)
{
	unsigned long a = __get_free_page(GFP_KERNEL);
	KTEST_ASSERT_NE(t, a, 0);
	free_pages(a + 64, 0);
}

static void memblock_after_retirement(struct ktest *t)
{
	memblock_alloc(PAGE_SIZE, PAGE_SIZE, "too late");
}

/*
 * page_alloc_debug checks the whole allocator after every order-0 alloc and
 * free too, though their fast paths test no debug flag (page_alloc.c sends
 * every call out of line when the option is on). Booted with the option
 * (mm.x86_64.page_alloc_debug_*): a per-CPU count one off must stop the
 * next operation; without the option the case would return and fail.
 */
static void corrupt_pcp_count(struct page *page)
{
	unsigned long flags = local_irq_save();
	this_cpu_ptr(page_zone(page)->per_cpu_pageset)->count++;
	local_irq_restore(flags);
}

/* DMA32: a zone every machine here has (ZONE_NORMAL on i386), so the next
 * alloc is a pop from the cache the free filled, the fast path. */
static void debug_checks_order0_alloc(struct ktest *t)
{
	struct page *p = alloc_page(GFP_KERNEL | __GFP_DMA32);
	KTEST_ASSERT_NOT_NULL(t, p);
	__free_page(p);                 /* now in this CPU's cache */
	corrupt_pcp_count(p);
	alloc_page(GFP_KERNEL | __GFP_DMA32);
	ktest_fail_msg(t, __FILE__, __LINE__, "alloc_page returned without checking the allocator");
}

static void debug_checks_order0_free(struct ktest *t)
{
	struct page *p = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	corrupt_pcp_count(p);
	__free_page(p);
	ktest_fail_msg(t, __FILE__, __LINE__, "__free_page returned without checking the allocator");
}

static struct ktest_case buddy_cases[] = {
	KTEST_CASE(consistent_after_boot),
	KTEST_CASE(struct_page_layout),
	KTEST_CASE(boot_accounting),
	KTEST_CASE(split_merge_exact),
	KTEST_CASE(alignment_every_order),
	KTEST_CASE(zone_selection),
	KTEST_CASE(zone_fallback_never_upward),
	KTEST_CASE(exhaustion_and_recovery),
	KTEST_CASE(get_free_pages_refuses_highmem),
	KTEST_CASE(get_free_pages_never_highmem),
	KTEST_CASE(zeroed_pages),
	KTEST_CASE(pcp_refill_and_drain),
	KTEST_PANIC_CASE(double_free, "BUG: Bad page state: double free of pfn"),
	KTEST_PANIC_CASE(debug_checks_order0_alloc, "BUG: buddy allocator inconsistent after alloc_pages"),
	KTEST_PANIC_CASE(debug_checks_order0_free, "BUG: buddy allocator inconsistent after __free_pages"),
	KTEST_PANIC_CASE(double_free_merged, "BUG: Bad page state: double free of pfn"),
	KTEST_PANIC_CASE(free_with_extra_reference, "BUG: Bad page state: extra references on free of pfn"),
	KTEST_PANIC_CASE(free_reserved, "BUG: Bad page state: freeing reserved pfn"),
	KTEST_PANIC_CASE(free_wrong_order, "BUG: Bad page state: wrong order free of pfn"),
	KTEST_PANIC_CASE(free_misaligned_address, "BUG: Bad page state: misaligned free of address"),
	KTEST_PANIC_CASE(memblock_after_retirement, "memblock: memblock_phys_alloc_range() called after memblock was retired"),
	{}
};
KTEST_SUITE(buddy, buddy_cases);
