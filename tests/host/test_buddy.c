/*
 * The buddy allocator (mm/page_alloc.c and friends, unchanged) on fake
 * machines with holes, under ASan/UBSan: boot accounting, split/merge
 * exactness, alignment, zone choice and fallback on an x86_64-like and an
 * i386-like (highmem) layout, exhaustion and recovery, the per-CPU cache,
 * every misuse report, and the checker catching corruption.
 */
#include "hosttest.h"
#include "mm_arena.h"
#include "../../lib/random.c"

static struct rnd_state rng_state = { 88172645463325252ULL };
static unsigned long rng(void)
{
	return prandom_u32_state(&rng_state);
}

/* Count independently what must be free: usable pages of the map minus
 * those any reservation touches. */
static unsigned long expected_free(const struct fake_machine *m)
{
	unsigned long n = 0;
	const struct memblock_type *r = memblock_reserved();
	for (int i = 0; i < m->nr; i++) {
		if (!m->map[i].usable)
			continue;
		for (u64 pa = PAGE_ALIGN(m->map[i].start); pa + PAGE_SIZE <= m->map[i].end; pa += PAGE_SIZE) {
			int reserved = 0;
			for (int j = 0; j < r->cnt; j++)
				reserved |= pa < r->regions[j].base + r->regions[j].size && pa + PAGE_SIZE > r->regions[j].base;
			n += !reserved;
		}
	}
	return n;
}

static void test_boot(const struct fake_machine *m)
{
	unsigned long free = fake_machine_boot(m);
	CHECKF(free == expected_free(m), "%s: %lu free, expected %lu", m->name, free, expected_free(m));
	CHECK_EQ(boot_free_pages, free);
	CHECK_EQ(buddy_check(), 0);
	CHECK(memblock_retired());
	/* Holes and reserved pages stay PG_reserved; free ones are not. */
	unsigned long reserved = 0;
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++)
		reserved += PageReserved(pfn_to_page(pfn));
	CHECK_EQ(reserved, max_pfn - free);
	unsigned long managed = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		managed += zones[z].managed_pages;
	CHECK_EQ(managed, free);
	/* memblock is retired: a late call panics with its message. */
	CHECK(EXPECT_PANIC(memblock_alloc(PAGE_SIZE, PAGE_SIZE, "late"), "memblock: memblock_phys_alloc_range() called after"));
}

/* memblock alone: top-down, aligned, below the limit, around reservations,
 * and page counts when reservations overlap or cover holes. */
static void test_memblock(void)
{
	memblock_reset();
	memblock_add(0x1800, 0x10000 - 0x1800);         /* rounded inward: [0x2000, 0x10000) */
	memblock_add(0x20000, 0x20000);                 /* [0x20000, 0x40000) */
	CHECK_EQ(memblock_memory()->regions[0].base, 0x2000);
	CHECK_EQ(memblock_memory_pages(), 14 + 32);
	CHECK_EQ(memblock_end_pfn(), 0x40);
	memblock_reserve(0x3f800, 0x100, "tail");       /* rounded outward: page 0x3f */
	memblock_reserve(0x30000, 0x2000, "a");
	memblock_reserve(0x31000, 0x2000, "b overlaps a");
	memblock_reserve(0xf000, 0x12000, "spans a hole");
	CHECK_EQ(memblock_reserved_pages(), 1 + 3 + 1 + 1);
	CHECK_EQ(memblock_count_pages(0x30000, 0x4000, true), 3);
	CHECK_EQ(memblock_count_pages(0x30000, 0x4000, false), 1);
	memblock_set_current_limit(~(phys_addr_t)0);
	/* Top-down: the highest free page below the end, then past reservations. */
	CHECK_EQ(memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE, ~(phys_addr_t)0, "x"), 0x3e000);
	CHECK_EQ(memblock_phys_alloc_range(0x4000, 0x4000, ~(phys_addr_t)0, "y"), 0x38000);
	CHECK_EQ(memblock_phys_alloc_range(0x8000, PAGE_SIZE, ~(phys_addr_t)0, "z"), 0x28000);   /* below a and b */
	CHECK_EQ(memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE, 0x10000, "low"), 0xe000);
	CHECK_EQ(memblock_phys_alloc_range(0x100000, PAGE_SIZE, ~(phys_addr_t)0, "too big"), 0);
	memblock_reset();
}

static struct snapshot before, after;

static void test_split_merge(const struct fake_machine *m)
{
	fake_machine_boot(m);
	snapshot_take(&before);
	struct page *pages[200];
	unsigned int orders[200];
	int n = 0;
	for (int round = 0; round < 200 && n < 200; round++) {
		unsigned int o = (unsigned int)(rng() % (MAX_PAGE_ORDER + 1));
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, o);
		if (!p)
			continue;
		CHECKF((page_to_pfn(p) & ((1UL << o) - 1)) == 0, "order %u block at pfn %#lx", o, page_to_pfn(p));
		CHECK(page_zone(p) == page_zone(p + (1UL << o) - 1));
		/* The whole block is RAM we may write (a hole would fault). */
		memset(page_address(p), 0x6b, PAGE_SIZE << o);
		pages[n] = p;
		orders[n++] = o;
	}
	CHECK(n > 50);
	CHECK_EQ(buddy_check(), 0);
	for (int i = n - 1; i > 0; i--) {
		int j = (int)(rng() % (unsigned long)(i + 1));
		struct page *tp = pages[i]; pages[i] = pages[j]; pages[j] = tp;
		unsigned int to = orders[i]; orders[i] = orders[j]; orders[j] = to;
	}
	for (int i = 0; i < n; i++) {
		__free_pages(pages[i], orders[i]);
		if (i % 16 == 0)
			CHECK_EQ(buddy_check(), 0);
	}
	snapshot_take(&after);
	CHECKF(snapshot_equal(&before, &after), "%s: free lists differ after split/merge (%lu/%lu blocks)", m->name,
	       before.n, after.n);
}

static unsigned long zone_free(int z)
{
	return zones[z].free_pages + (unsigned long)per_cpu_ptr(zones[z].per_cpu_pageset, 0)->count;
}

static void test_zones_x86_64(void)
{
	fake_machine_boot(&x86_64_like);
	CHECK(zones[ZONE_DMA].managed_pages > 0);
	CHECK(zones[ZONE_DMA32].managed_pages > 0);
	CHECK(zones[ZONE_NORMAL].managed_pages > 0);
	CHECK_EQ(zones[ZONE_HIGHMEM].spanned_pages, 0);
	struct page *p = alloc_page(GFP_KERNEL);
	CHECK_EQ(page_zonenum(p), ZONE_NORMAL);
	__free_page(p);
	p = alloc_page(GFP_DMA32);
	CHECK_EQ(page_zonenum(p), ZONE_DMA32);
	__free_page(p);
	p = alloc_page(GFP_DMA);
	CHECK_EQ(page_zonenum(p), ZONE_DMA);
	CHECK(page_to_phys(p) < 16 * MiB);
	__free_page(p);
	/* HIGHUSER with no highmem: NORMAL. */
	p = alloc_page(GFP_HIGHUSER);
	CHECK_EQ(page_zonenum(p), ZONE_NORMAL);
	CHECK(page_address(p) != NULL);
	__free_page(p);

	/* Fallback: empty NORMAL, and GFP_KERNEL comes from DMA32, then DMA. */
	LIST_HEAD(held);
	unsigned long normal = zone_free(ZONE_NORMAL), got = 0;
	while (got < normal) {
		p = alloc_page(GFP_KERNEL);
		CHECK_EQ(page_zonenum(p), ZONE_NORMAL);
		list_add(&p->lru, &held);
		got++;
	}
	p = alloc_page(GFP_KERNEL);
	CHECK_EQ(page_zonenum(p), ZONE_DMA32);
	list_add(&p->lru, &held);
	/* Never upward: exhaust DMA with GFP_DMA; NULL although DMA32 has plenty. */
	unsigned long dma = zone_free(ZONE_DMA);
	for (unsigned long i = 0; i < dma; i++) {
		p = alloc_page(GFP_DMA);
		CHECK(p && page_zonenum(p) == ZONE_DMA);
		if (p)
			list_add(&p->lru, &held);
	}
	host_log_clear();
	CHECK(alloc_page(GFP_DMA) == NULL);
	CHECK_CONTAINS(host_log, "page allocation failure: order:0");
	CHECK_CONTAINS(host_log, "Node 0, zone DMA32");
	host_log_clear();
	CHECK(alloc_page(GFP_DMA | __GFP_NOWARN) == NULL);
	CHECK_EQ(host_log_len, 0);
	CHECK(zone_free(ZONE_DMA32) > 0);
	while (!list_empty(&held)) {
		p = list_first_entry(&held, struct page, lru);
		list_del(&p->lru);
		__free_page(p);
	}
	CHECK_EQ(nr_free_pages(), boot_free_pages);
	CHECK_EQ(buddy_check(), 0);
}

static void test_zones_i386(void)
{
	fake_machine_boot(&i386_like);
	CHECK_EQ(zones[ZONE_DMA32].spanned_pages, 0);
	CHECK(zones[ZONE_HIGHMEM].managed_pages > 0);
	/* mem_map lives in lowmem. */
	CHECK(__pa(mem_map) + max_pfn * sizeof(struct page) <= 36 * MiB);
	struct page *p = alloc_page(GFP_HIGHUSER);
	CHECK_EQ(page_zonenum(p), ZONE_HIGHMEM);
	CHECK(PageHighMem(p));
	CHECK(page_address(p) == NULL);
	__free_page(p);
	/* DMA32 means "below 4 GiB": all of lowmem, NORMAL here. */
	p = alloc_page(GFP_DMA32);
	CHECK_EQ(page_zonenum(p), ZONE_NORMAL);
	__free_page(p);
	p = alloc_page(GFP_KERNEL);
	CHECK_EQ(page_zonenum(p), ZONE_NORMAL);
	__free_page(p);
	/* __get_free_pages never returns highmem, and refuses __GFP_HIGHMEM. */
	int warned = host_warnings;
	CHECK_EQ(__get_free_pages(GFP_HIGHUSER, 0), 0);
	CHECK_EQ(__get_free_page(__GFP_HIGHMEM), 0);
	CHECK_EQ(host_warnings, warned + 1);        /* once */
	/* Highmem zeroing goes through clear_highpage. */
	p = alloc_pages(GFP_HIGHUSER, 1);
	memset(__va(page_to_phys(p)), 0xee, 2 * PAGE_SIZE);
	__free_pages(p, 1);
	p = alloc_pages(GFP_HIGHUSER | __GFP_ZERO, 1);
	CHECK(PageHighMem(p));
	const unsigned char *v = __va(page_to_phys(p));
	int nonzero = 0;
	for (size_t i = 0; i < 2 * PAGE_SIZE; i++)
		nonzero |= v[i];
	CHECK_EQ(nonzero, 0);
	__free_pages(p, 1);
	/* Lowmem exhausted: GFP_KERNEL gets NULL although highmem is free. */
	LIST_HEAD(held);
	while ((p = alloc_page(GFP_KERNEL | __GFP_NOWARN))) {
		CHECK(!PageHighMem(p));
		list_add(&p->lru, &held);
	}
	CHECK(zone_free(ZONE_HIGHMEM) > 0);
	CHECK_EQ(__get_free_page(GFP_KERNEL | __GFP_NOWARN), 0);
	p = alloc_page(GFP_HIGHUSER);
	CHECK(p && PageHighMem(p));
	__free_page(p);
	while (!list_empty(&held)) {
		p = list_first_entry(&held, struct page, lru);
		list_del(&p->lru);
		__free_page(p);
	}
	CHECK_EQ(nr_free_pages(), boot_free_pages);
	CHECK_EQ(buddy_check(), 0);
}

static void test_exhaustion(const struct fake_machine *m)
{
	fake_machine_boot(m);
	snapshot_take(&before);
	/* Order 3 first (fragments), then everything left as order 0. */
	LIST_HEAD(o3);
	LIST_HEAD(o0);
	struct page *p;
	unsigned long pages = 0;
	while ((p = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, 3))) {
		list_add(&p->lru, &o3);
		pages += 8;
	}
	while ((p = alloc_pages(GFP_HIGHUSER | __GFP_NOWARN, 0))) {
		list_add(&p->lru, &o0);
		pages++;
	}
	CHECK_EQ(pages, before.free);
	CHECK_EQ(nr_free_pages(), 0);
	CHECK_EQ(buddy_check(), 0);
	while (!list_empty(&o3)) {
		p = list_first_entry(&o3, struct page, lru);
		list_del(&p->lru);
		__free_pages(p, 3);
	}
	while (!list_empty(&o0)) {
		p = list_last_entry(&o0, struct page, lru);
		list_del(&p->lru);
		__free_page(p);
	}
	snapshot_take(&after);
	CHECK(snapshot_equal(&before, &after));
	CHECK_EQ(buddy_check(), 0);
}

static void test_pcp(void)
{
	fake_machine_boot(&x86_64_like);
	struct zone *z = &zones[ZONE_NORMAL];
	struct per_cpu_pages *pcp = per_cpu_ptr(z->per_cpu_pageset, 0);
	unsigned long buddy = z->free_pages;
	struct page *p = alloc_page(GFP_KERNEL);
	CHECK_EQ(pcp->count, pcp->batch - 1);
	CHECK_EQ(z->free_pages, buddy - (unsigned long)pcp->batch);
	__free_page(p);
	CHECK(PagePcp(p));
	CHECK(alloc_page(GFP_KERNEL) == p);      /* hot: last in, first out */
	__free_page(p);
	struct page *held[400];
	for (int i = 0; i < pcp->high + 5; i++)
		held[i] = alloc_page(GFP_KERNEL);
	for (int i = 0; i < pcp->high + 5; i++) {
		__free_page(held[i]);
		CHECK(pcp->count < pcp->high);
	}
	CHECK_EQ(buddy_check(), 0);
	drain_local_pages();
	CHECK_EQ(pcp->count, 0);
	CHECK_EQ(z->free_pages, buddy);
	CHECK_EQ(buddy_check(), 0);
	/* high = batch = 1: every page goes straight through the buddy lists. */
	pcp_set_high_batch(1, 1);
	p = alloc_page(GFP_KERNEL);
	CHECK_EQ(pcp->count, 0);
	__free_page(p);
	CHECK_EQ(pcp->count, 0);
	CHECK_EQ(z->free_pages, buddy);
	pcp_reset_high_batch();
}

/* Pages have no home CPU: allocated as CPU 0, freed as CPU 1, they join
 * CPU 1's cache; drain_all_pages asks every CPU to give its cache back. */
static void test_pcp_cross_cpu(void)
{
	fake_machine_boot(&x86_64_like);
	host_nr_cpus = 3;
	unsigned long free = nr_free_pages();
	struct zone *z = &zones[ZONE_NORMAL];
	struct page *held[40];
	host_cpu = 0;
	for (int i = 0; i < 40; i++)
		held[i] = alloc_page(GFP_KERNEL);
	host_cpu = 1;
	for (int i = 0; i < 40; i++)
		__free_page(held[i]);
	CHECK_EQ(per_cpu_ptr(z->per_cpu_pageset, 1)->count, 40);
	CHECK_EQ(nr_free_pages(), free);
	CHECK_EQ(buddy_check(), 0);
	host_cpu = 2;
	drain_all_pages();
	for (int cpu = 0; cpu < 3; cpu++)
		CHECK_EQ(per_cpu_ptr(z->per_cpu_pageset, cpu)->count, 0);
	CHECK_EQ(z->free_pages + zones[ZONE_DMA32].free_pages + zones[ZONE_DMA].free_pages, free);
	/* pcp_set_high_batch reaches every CPU's cache, not only the caller's. */
	pcp_set_high_batch(1, 1);
	for (int cpu = 0; cpu < 3; cpu++)
		CHECK_EQ(per_cpu_ptr(z->per_cpu_pageset, cpu)->high, 1);
	pcp_reset_high_batch();
	host_cpu = 0;
	host_nr_cpus = 1;
}

/* Memory short, but another CPU's cache holds the pages: a GFP_KERNEL
 * allocation drains every CPU and succeeds; GFP_ATOMIC cannot ask the
 * other CPUs and fails. */
static void test_drain_on_demand(void)
{
	fake_machine_boot(&x86_64_like);
	host_nr_cpus = 2;
	LIST_HEAD(all);
	struct page *p;
	while ((p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
		list_add(&p->lru, &all);
	CHECK_EQ(nr_free_pages(), 0);
	/* CPU 1 frees 8 aligned pages: they sit in its cache, unmerged. */
	host_cpu = 1;
	int freed = 0;
	struct page *n;
	list_for_each_entry_safe(p, n, &all, lru) {
		if (page_to_pfn(p) & 7 || page_zonenum(p) != ZONE_NORMAL)
			continue;
		bool whole = true;
		for (int i = 1; i < 8 && whole; i++)
			whole = p[i]._refcount == 1;
		if (!whole)
			continue;
		for (int i = 0; i < 8; i++) {
			list_del(&p[i].lru);
			__free_page(p + i);
		}
		freed = 8;
		break;
	}
	CHECK_EQ(freed, 8);
	CHECK_EQ(per_cpu_ptr(zones[ZONE_NORMAL].per_cpu_pageset, 1)->count, 8);
	host_cpu = 0;
	unsigned long drains = page_alloc_drains;
	CHECK(alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 3) == NULL);
	struct page *big = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 3);
	CHECK(big != NULL);
	CHECK_EQ(page_alloc_drains, drains + 1);
	CHECK_EQ(per_cpu_ptr(zones[ZONE_NORMAL].per_cpu_pageset, 1)->count, 0);
	if (big)
		__free_pages(big, 3);
	list_for_each_entry_safe(p, n, &all, lru)
		__free_page(p);
	drain_all_pages();
	CHECK_EQ(buddy_check(), 0);
	host_nr_cpus = 1;
}

static void test_misuse(void)
{
	struct page *p;
	fake_machine_boot(&x86_64_like);
	p = alloc_page(GFP_KERNEL);
	__free_page(p);
	CHECK(EXPECT_PANIC(__free_page(p), "BUG: Bad page state: double free of pfn"));

	fake_machine_boot(&x86_64_like);
	p = alloc_pages(GFP_KERNEL, 4);
	__free_pages(p, 4);
	CHECK(EXPECT_PANIC(__free_pages(p + 8, 3), "BUG: Bad page state: double free of pfn"));

	fake_machine_boot(&x86_64_like);
	CHECK(EXPECT_PANIC(__free_page(pfn_to_page(PFN_DOWN(MiB) + 1)), "BUG: Bad page state: freeing reserved pfn 0x101"));
	CHECK_CONTAINS(host_panic_msg, "phys 0x101000");

	fake_machine_boot(&x86_64_like);
	p = alloc_pages(GFP_KERNEL, 2);
	CHECK(EXPECT_PANIC(__free_pages(p, 1), "BUG: Bad page state: wrong order free of pfn"));
	CHECK_CONTAINS(host_panic_msg, "order 2, freed as order 1");

	fake_machine_boot(&x86_64_like);
	p = alloc_pages(GFP_KERNEL, 0);
	CHECK(EXPECT_PANIC(__free_pages(p, 1), "BUG: Bad page state: "));

	fake_machine_boot(&x86_64_like);
	unsigned long a = __get_free_page(GFP_KERNEL);
	CHECK(EXPECT_PANIC(free_pages(a + 8, 0), "BUG: Bad page state: misaligned free of address"));

	fake_machine_boot(&x86_64_like);
	p = alloc_pages(GFP_KERNEL, 3);
	CHECK(EXPECT_PANIC(__free_pages(p + 2, 1), "BUG: Bad page state: double free of pfn"));
	/* A misaligned block whose head looks allocated: */
	p = alloc_pages(GFP_KERNEL, 1) + 1;     /* odd pfn */
	p->_refcount = 1;
	p->private = 1;
	CHECK(EXPECT_PANIC(__free_pages(p, 1), "BUG: Bad page state: misaligned free of pfn"));
}

/* The checker must see what is wrong, or the other tests prove nothing. */
static void test_checker_catches(void)
{
	struct page *p;

	fake_machine_boot(&x86_64_like);
	zones[ZONE_NORMAL].free_area[2].nr_free++;
	CHECK(buddy_check() > 0);
	CHECK_CONTAINS(host_log, "nr_free");

	fake_machine_boot(&x86_64_like);
	p = list_first_entry(&zones[ZONE_NORMAL].free_area[MAX_PAGE_ORDER].free_list, struct page, lru);
	SetPageBuddy(p + 5);            /* a head inside another block: overlap */
	(p + 5)->private = 0;
	host_log_clear();
	CHECK(buddy_check() > 0);
	CHECK_CONTAINS(host_log, "inside the free order-10 block");

	fake_machine_boot(&x86_64_like);
	p = alloc_pages(GFP_KERNEL, 1);
	/* Put it on the order-0 list by hand, unsplit and unmerged. */
	add_to_free_list(p, &zones[ZONE_NORMAL], 0);
	add_to_free_list(p + 1, &zones[ZONE_NORMAL], 0);
	zones[ZONE_NORMAL].free_pages += 2;
	host_log_clear();
	CHECK(buddy_check() > 0);
	CHECK_CONTAINS(host_log, "not merged");

	fake_machine_boot(&x86_64_like);
	p = alloc_pages(GFP_KERNEL, 0);
	p->_refcount = 1;
	add_to_free_list(p, &zones[ZONE_NORMAL], 0);
	zones[ZONE_NORMAL].free_pages++;
	host_log_clear();
	CHECK(buddy_check() > 0);
	CHECK_CONTAINS(host_log, "refcount 1");

	fake_machine_boot(&x86_64_like);
	per_cpu_ptr(zones[ZONE_DMA].per_cpu_pageset, 0)->count = 3;
	host_log_clear();
	CHECK(buddy_check() > 0);
	CHECK_CONTAINS(host_log, "pcp count 3");
}

int main(int argc, char **argv)
{
	host_verbose = argc > 1;
	test_memblock();
	test_boot(&x86_64_like);
	test_boot(&i386_like);
	test_split_merge(&x86_64_like);
	test_split_merge(&i386_like);
	test_zones_x86_64();
	test_zones_i386();
	test_exhaustion(&x86_64_like);
	test_exhaustion(&i386_like);
	test_pcp();
	test_pcp_cross_cpu();
	test_drain_on_demand();
	test_misuse();
	test_checker_catches();
	fake_machine_teardown();
	free(before.block);
	free(after.block);
	return ht_finish();
}
