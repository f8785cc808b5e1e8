/*
 * The `memmap` dump (mm/memmap_walk.c, kernel/observe/memmap.c): its runs cover every pfn exactly
 * once, the free runs add up to nr_free_pages(), and pages the test
 * allocates show up in the state they are in (slab, vmalloc, free).
 * tests/manifest.d/memmap.ini; tools/memmap.py draws the dump.
 */
#include <pagoda/ktest.h>
#include <pagoda/gfp.h>
#include <pagoda/memmap.h>
#include <pagoda/mm.h>
#include <pagoda/sections.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>
#include "ktest_observe.h"

struct cover {
	unsigned long next;             /* the pfn the next run must start at */
	unsigned long runs, bad_start, empty;
	unsigned long free, pcp, crossing;
	unsigned long per_order[NR_PAGE_ORDERS];
};

static void cover_emit(unsigned long start, unsigned long count, const char *state, const char *detail, void *arg)
{
	struct cover *c = arg;
	struct zone *z;
	c->runs++;
	if (start != c->next)
		c->bad_start++;
	if (!count)
		c->empty++;
	c->next = start + count;
	if (!strncmp(state, "free-", 5)) {
		unsigned int o = 0;
		for (const char *p = state + 5; *p; p++)
			o = o * 10 + (unsigned int)(*p - '0');
		c->free += count;
		if (o <= MAX_PAGE_ORDER) {
			c->per_order[o]++;
			/* One block per run, aligned to its order. */
			if (count != 1UL << o || (start & ((1UL << o) - 1)))
				c->bad_start++;
		}
	} else if (!strcmp(state, "pcp")) {
		c->pcp += count;
	}
	for_each_zone(z)
		if (z->spanned_pages && start < z->zone_start_pfn && start + count > z->zone_start_pfn)
			c->crossing++;
}

static void runs_cover_every_pfn_once(struct ktest *t)
{
	struct cover c;
	memset(&c, 0, sizeof(c));
	unsigned long nr_free = memmap_walk(cover_emit, &c);
	KTEST_EXPECT_GT(t, c.runs, 2);
	KTEST_EXPECT_EQ(t, c.bad_start, 0);
	KTEST_EXPECT_EQ(t, c.empty, 0);
	KTEST_EXPECT_EQ(t, c.next, max_pfn);
	KTEST_EXPECT_EQ(t, c.crossing, 0);
	/* Exact: the buddy lists plus the per-CPU lists are nr_free_pages(). */
	KTEST_EXPECT_EQ(t, c.free + c.pcp, nr_free);

	/* And per order, the blocks are what the zones' free lists count. */
	struct zone *z;
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		unsigned long n = 0;
		for_each_zone(z)
			n += z->free_area[o].nr_free;
		KTEST_EXPECT_EQ(t, c.per_order[o], n);
	}
}

/* The state of one pfn, found by a walk. */
#define probe(p, pfn) ktest_memmap_state(pfn, p)

static void kmalloc_page_is_slab(struct ktest *t)
{
	struct ktest_pfn_state p;
	void *obj = kmalloc(64, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, obj);
	probe(&p, PFN_DOWN(__pa(obj)));
	KTEST_EXPECT_STREQ(t, p.state, "slab");
	KTEST_EXPECT_STREQ(t, p.detail, "kmalloc-64");
	kfree(obj);

	/* A large kmalloc is a block of pages, shown as slab too. */
	void *big = kmalloc(64 * 1024, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, big);
	probe(&p, PFN_DOWN(__pa(big)) + 3);
	KTEST_EXPECT_STREQ(t, p.state, "slab");
	KTEST_EXPECT_STREQ(t, p.detail, "kmalloc-large");
	kfree(big);
}

static void vmalloc_page_is_vmalloc(struct ktest *t)
{
	struct ktest_pfn_state p;
	void *v = vmalloc(3 * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, v);
	for (int i = 0; i < 3; i++) {
		probe(&p, vmalloc_to_pfn((char *)v + i * PAGE_SIZE));
		KTEST_EXPECT_STREQ(t, p.state, "vmalloc");
	}
	unsigned long pfn = vmalloc_to_pfn(v);
	vfree(v);
	probe(&p, pfn);
	KTEST_EXPECT_TRUE(t, strcmp(p.state, "vmalloc") != 0);
}

static void freed_page_is_free(struct ktest *t)
{
	struct ktest_pfn_state p;
	/* Order 3 bypasses the per-CPU cache: back in the buddy lists. */
	struct page *page = alloc_pages(GFP_KERNEL, 3);
	KTEST_ASSERT_NOT_NULL(t, page);
	unsigned long pfn = page_to_pfn(page);
	probe(&p, pfn + 5);
	KTEST_EXPECT_STREQ(t, p.state, "allocated");
	__free_pages(page, 3);
	probe(&p, pfn + 5);
	KTEST_EXPECT_EQ(t, strncmp(p.state, "free-", 5), 0);

	/* A single page goes to the per-CPU cache first. */
	page = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, page);
	pfn = page_to_pfn(page);
	__free_page(page);
	probe(&p, pfn);
	KTEST_EXPECT_TRUE(t, !strcmp(p.state, "pcp") || !strncmp(p.state, "free-", 5));
	drain_local_pages();
	probe(&p, pfn);
	KTEST_EXPECT_EQ(t, strncmp(p.state, "free-", 5), 0);
}

static void reserved_and_holes(struct ktest *t)
{
	struct ktest_pfn_state p;
	/* pfn 0 is RAM reserved at boot (real-mode IVT, BIOS data). */
	probe(&p, 0);
	KTEST_EXPECT_STREQ(t, p.state, "reserved");
	KTEST_EXPECT_NE(t, p.detail[0], 0);
	/* The kernel image is reserved with its reason. */
	probe(&p, PFN_DOWN(__pa(_text)));
	KTEST_EXPECT_STREQ(t, p.state, "reserved");
	KTEST_EXPECT_STREQ(t, p.detail, "kernel image");
	/* The legacy VGA / ROM area below 1 MiB is no RAM at all. */
	probe(&p, 0xc0);
	KTEST_EXPECT_STREQ(t, p.state, "hole");
}

static struct ktest_case memmap_cases[] = {
	KTEST_CASE(runs_cover_every_pfn_once),
	KTEST_CASE(kmalloc_page_is_slab),
	KTEST_CASE(vmalloc_page_is_vmalloc),
	KTEST_CASE(freed_page_is_free),
	KTEST_CASE(reserved_and_holes),
	{}
};
/* The first walk allocates the dump's bitmap: do it before any case looks. */
static void ignore(unsigned long s, unsigned long c, const char *st, const char *d, void *arg)
{
}
static int memmap_suite_init(void)
{
	memmap_walk(ignore, NULL);
	return 0;
}
KTEST_SUITE_INIT(memmap, memmap_cases, memmap_suite_init);
