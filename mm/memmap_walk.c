/*
 * memmap_walk: every page frame's state as runs, in pfn order (the `memmap`
 * command, kernel/observe/memmap.c, prints them for tools/memmap.py).
 *
 * The states are listed in <pagoda/memmap.h>. One pass over mem_map: a
 * page's state comes from its flags, except for holes and reservation
 * reasons (memblock's lists, looked up once per range, not per page) and
 * vmalloc pages (marked first in a bitmap from the vmalloc area list; the
 * bitmap, max_pfn bits, is allocated on the first walk and kept).
 */
#include <pagoda/memblock.h>
#include <pagoda/memmap.h>
#include <pagoda/mm.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <pagoda/vmalloc.h>
#include <asm/processor.h>
#include "slab.h"

/* What memblock says about a range of pfns: not memory, memory, or memory
 * reserved with a reason. */
struct segment {
	unsigned long end;              /* first pfn after the segment */
	bool ram;
	const char *reason;             /* reserved at boot: why (NULL: not reserved) */
};

static void find_segment(unsigned long pfn, struct segment *seg)
{
	const struct memblock_type *m = memblock_memory(), *r = memblock_reserved();
	seg->end = max_pfn;
	seg->ram = false;
	seg->reason = NULL;
	for (int i = 0; i < m->cnt; i++) {
		unsigned long s = PFN_UP(m->regions[i].base), e = PFN_DOWN(m->regions[i].base + m->regions[i].size);
		if (s >= e)
			continue;
		if (pfn >= s && pfn < e) {
			seg->ram = true;
			seg->end = e;
			break;
		}
		if (s > pfn && s < seg->end)
			seg->end = s;   /* a hole up to the next memory region */
	}
	if (!seg->ram)
		return;
	for (int i = 0; i < r->cnt; i++) {
		unsigned long s = PFN_DOWN(r->regions[i].base), e = PFN_UP(r->regions[i].base + r->regions[i].size);
		if (pfn >= s && pfn < e) {
			/* Reservations may overlap: the first covering one names it. */
			seg->reason = r->regions[i].reason;
			if (e < seg->end)
				seg->end = e;
			return;
		}
	}
	/* Not reserved here: up to the next reservation's start. */
	for (int i = 0; i < r->cnt; i++) {
		unsigned long s = PFN_DOWN(r->regions[i].base);
		if (s > pfn && s < seg->end)
			seg->end = s;
	}
}

static unsigned long *vmalloc_map;

static void mark_vmalloc(struct page *page, void *arg)
{
	unsigned long pfn = page_to_pfn(page);
	if (pfn < max_pfn)
		vmalloc_map[pfn / BITS_PER_LONG] |= 1UL << (pfn % BITS_PER_LONG);
}

static bool is_vmalloc_pfn(unsigned long pfn)
{
	return vmalloc_map && (vmalloc_map[pfn / BITS_PER_LONG] >> (pfn % BITS_PER_LONG)) & 1;
}

/* The run being built: pages with the same state and detail (pointer). */
struct run {
	unsigned long start, count;
	const char *state, *detail;
	memmap_emit_t emit;
	void *arg;
};

static void flush(struct run *r)
{
	if (r->count)
		r->emit(r->start, r->count, r->state, r->detail, r->arg);
	r->count = 0;
}

static void add(struct run *r, unsigned long pfn, unsigned long count, const char *state, const char *detail)
{
	if (r->count && r->start + r->count == pfn && r->state == state && r->detail == detail) {
		r->count += count;
		return;
	}
	flush(r);
	r->start = pfn;
	r->count = count;
	r->state = state;
	r->detail = detail;
}

static const char *const free_states[NR_PAGE_ORDERS] = {
	"free-0", "free-1", "free-2", "free-3", "free-4", "free-5",
	"free-6", "free-7", "free-8", "free-9", "free-10",
};

/* The first pfn at or after pfn where a zone starts or ends (runs stop there). */
static unsigned long next_zone_edge(unsigned long pfn)
{
	unsigned long edge = max_pfn;
	struct zone *z;
	for_each_zone(z) {
		if (!z->spanned_pages)
			continue;
		if (z->zone_start_pfn > pfn && z->zone_start_pfn < edge)
			edge = z->zone_start_pfn;
		if (zone_end_pfn(z) > pfn && zone_end_pfn(z) < edge)
			edge = zone_end_pfn(z);
	}
	return edge;
}

static unsigned long vmalloc_map_pfn, vmalloc_map_pages;

unsigned long memmap_walk(memmap_emit_t emit, void *arg)
{
	struct run run = { .emit = emit, .arg = arg };
	struct segment seg = { .end = 0 };

	/* The bitmap is allocated on first use and kept, so that looking does
	 * not move pages around: the next picture shows it as allocated. */
	if (!vmalloc_map) {
		unsigned long bytes = (max_pfn + BITS_PER_LONG - 1) / BITS_PER_LONG * sizeof(long);
		unsigned int order = get_order(bytes);
		unsigned long map = order <= MAX_PAGE_ORDER ? __get_free_pages(GFP_KERNEL | __GFP_NOWARN, order) : 0;
		if (map) {
			vmalloc_map = (unsigned long *)map;
			vmalloc_map_pfn = PFN_DOWN(__pa(map));
			vmalloc_map_pages = 1UL << order;
		}
	}
	if (vmalloc_map) {
		memset(vmalloc_map, 0, vmalloc_map_pages * PAGE_SIZE);
		vmalloc_for_each_page(mark_vmalloc, NULL);
	}

	unsigned long flags = local_irq_save();
	unsigned long nr_free = nr_free_pages();
	unsigned long edge = 0;
	for (unsigned long pfn = 0; pfn < max_pfn;) {
		if (pfn >= seg.end)
			find_segment(pfn, &seg);
		if (pfn >= edge) {
			flush(&run);
			edge = next_zone_edge(pfn);
		}
		const struct page *page = pfn_to_page(pfn);
		if (!seg.ram) {
			add(&run, pfn, 1, "hole", NULL);
		} else if (PageReserved(page)) {
			add(&run, pfn, 1, "reserved", seg.reason);
		} else if (PageBuddy(page) && page->private <= MAX_PAGE_ORDER) {
			/* One run per free block, so its boundaries stay visible. */
			unsigned long n = 1UL << page->private;
			if (n > max_pfn - pfn)
				n = max_pfn - pfn;
			flush(&run);
			add(&run, pfn, n, free_states[page->private], NULL);
			flush(&run);
			pfn += n;
			continue;
		} else if (PagePcp(page)) {
			add(&run, pfn, 1, "pcp", NULL);
		} else if (PageSlab(page)) {
			add(&run, pfn, 1, "slab", page->slab_cache ? kmem_cache_name(page->slab_cache) : NULL);
		} else if (PageUser(page)) {
			add(&run, pfn, 1, "user", NULL);
		} else if (is_vmalloc_pfn(pfn)) {
			add(&run, pfn, 1, "vmalloc", NULL);
		} else if (page->_refcount && page->slab_cache == (void *)kmalloc_large_tag &&
			   page->private <= MAX_PAGE_ORDER) {
			/* A large kmalloc: the head carries the tag and the order. */
			unsigned long n = 1UL << page->private;
			if (n > max_pfn - pfn)
				n = max_pfn - pfn;
			add(&run, pfn, n, "slab", kmalloc_large_tag);
			pfn += n;
			continue;
		} else if (vmalloc_map && pfn - vmalloc_map_pfn < vmalloc_map_pages) {
			add(&run, pfn, 1, "allocated", "memmap bitmap");
		} else {
			add(&run, pfn, 1, "allocated", NULL);
		}
		pfn++;
	}
	flush(&run);
	local_irq_restore(flags);
	return nr_free;
}
