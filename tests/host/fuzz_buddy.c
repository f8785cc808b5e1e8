/*
 * Fuzz target: random alloc/free sequences against the buddy allocator
 * (mm/page_alloc.c unchanged) on a small fake machine with holes, running
 * buddy_check() after every step. Each input is a list of (op, arg) byte
 * pairs; the target also checks what the allocator promises: blocks
 * aligned, in an allowed zone, never handed out twice, zeroed when asked;
 * and at the end, everything freed, the free lists exactly as after boot.
 */
#include <stdint.h>
#include "mm_arena.h"

/* 12.5 MiB with a firmware hole and a gap; zones scaled down so that all
 * four are populated: DMA < 4 MiB, DMA32 < 6 MiB, NORMAL < 9 MiB, HIGHMEM. */
static const struct fake_range fuzz_map[] = {
	{ 0, 0x9f000, 1 },
	{ 0x9f000, 0x100000, 0 },
	{ 0x100000, 5 * MiB + 0x3000, 1 },
	{ 5 * MiB + 0x3000, 5 * MiB + 0x9000, 0 },
	{ 5 * MiB + 0x9000, 10 * MiB, 1 },
	{ 10 * MiB, 11 * MiB, 0 },
	{ 11 * MiB, 12 * MiB + 0x80000, 1 },
};
static const struct fake_machine fuzz_machine = {
	"fuzz", fuzz_map, 7,
	{ PFN_MiB(4), PFN_MiB(6), PFN_MiB(9), ~0UL }, ZONE_DMA32, 1 * MiB, 1 * MiB + 0x20000,
};

#define SLOTS 64
static struct { struct page *page; unsigned int order; } slot[SLOTS];
static unsigned char *owned;            /* per pfn: handed out by us */
static struct snapshot boot_snap, end_snap;

static const gfp_t gfps[] = { GFP_KERNEL, GFP_DMA, GFP_DMA32, GFP_HIGHUSER };

static void do_free(int i)
{
	struct page *p = slot[i].page;
	unsigned long pfn = page_to_pfn(p);
	for (unsigned long k = 0; k < (1UL << slot[i].order); k++) {
		FUZZ_ASSERT(owned[pfn + k]);
		owned[pfn + k] = 0;
	}
	__free_pages(p, slot[i].order);
	slot[i].page = NULL;
}

static void do_alloc(int i, unsigned int order, gfp_t gfp)
{
	if (slot[i].page)
		do_free(i);
	struct page *p = alloc_pages(gfp | __GFP_NOWARN, order);
	if (!p)
		return;
	unsigned long pfn = page_to_pfn(p);
	FUZZ_ASSERT((pfn & ((1UL << order) - 1)) == 0);
	FUZZ_ASSERT(pfn + (1UL << order) <= max_pfn);
	FUZZ_ASSERT((int)page_zonenum(p) <= gfp_zone(gfp));
	FUZZ_ASSERT(page_zone(p) == page_zone(p + (1UL << order) - 1));
	FUZZ_ASSERT(page_count(p) == 1 && !PageBuddy(p) && !PagePcp(p) && !PageReserved(p));
	unsigned char *mem = __va(PFN_PHYS(pfn));       /* highmem too: it is all arena */
	for (unsigned long k = 0; k < (1UL << order); k++) {
		FUZZ_ASSERT(!owned[pfn + k]);
		FUZZ_ASSERT(!PageReserved(p + k));
		owned[pfn + k] = 1;
	}
	if (gfp & __GFP_ZERO)
		for (size_t b = 0; b < (PAGE_SIZE << order); b += 1024)
			FUZZ_ASSERT(mem[b] == 0 && mem[b + 1023] == 0);
	/* Dirty it (a hole would fault), so the next __GFP_ZERO has work to do. */
	memset(mem, 0xa5, PAGE_SIZE << order);
	slot[i].page = p;
	slot[i].order = order;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fake_machine_boot(&fuzz_machine);
	owned = realloc(owned, max_pfn);
	memset(owned, 0, max_pfn);
	memset(slot, 0, sizeof(slot));
	snapshot_take(&boot_snap);
	FUZZ_ASSERT(buddy_check() == 0);

	for (size_t i = 0; i + 1 < size && i < 2 * 400; i += 2) {
		uint8_t op = data[i], arg = data[i + 1];
		int s = arg % SLOTS;
		switch (op & 7) {
		case 0: case 1: case 2:
			/* Mostly small orders, sometimes up to MAX_PAGE_ORDER. */
			do_alloc(s, (op & 0x80) ? (unsigned)(op >> 3) % (MAX_PAGE_ORDER + 1) : (unsigned)(op >> 3) % 4,
				 gfps[(arg >> 6) & 3] | ((op & 0x40) ? __GFP_ZERO : 0));
			break;
		case 3: case 4: case 5:
			if (slot[s].page)
				do_free(s);
			break;
		case 6:
			drain_local_pages();
			break;
		case 7:
			if (arg & 0x80)
				pcp_reset_high_batch();
			else
				pcp_set_high_batch(1 + (arg & 15), 1 + ((arg >> 4) & 7) % (1 + (arg & 15)));
			break;
		}
		FUZZ_ASSERT(buddy_check() == 0);
	}
	for (int i = 0; i < SLOTS; i++)
		if (slot[i].page)
			do_free(i);
	pcp_reset_high_batch();
	FUZZ_ASSERT(buddy_check() == 0);
	snapshot_take(&end_snap);
	FUZZ_ASSERT(nr_free_pages() == boot_free_pages);
	FUZZ_ASSERT(snapshot_equal(&boot_snap, &end_snap));
	return 0;
}
