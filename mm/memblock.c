/*
 * memblock: boot-time memory as two sorted lists of ranges (see
 * <pagoda/memblock.h>). Small and slow on purpose: it runs a few dozen
 * times during boot, then never again.
 */
#include <pagoda/memblock.h>
#include <pagoda/mm.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include "internal.h"

static struct memblock_type memory, reserved;
static phys_addr_t current_limit = ~(phys_addr_t)0;
static bool retired;

static void check_alive(const char *fn)
{
	if (retired)
		panic("memblock: %s() called after memblock was retired; the buddy allocator owns RAM now (use alloc_pages)",
		      fn);
}

void memblock_reset(void)
{
	memset(&memory, 0, sizeof(memory));
	memset(&reserved, 0, sizeof(reserved));
	current_limit = ~(phys_addr_t)0;
	retired = false;
}

void memblock_set_current_limit(phys_addr_t limit)
{
	current_limit = limit;
}

const struct memblock_type *memblock_memory(void) { return &memory; }
const struct memblock_type *memblock_reserved(void) { return &reserved; }
bool memblock_retired(void) { return retired; }

static void insert_region(struct memblock_type *t, int at, phys_addr_t base, phys_addr_t size, const char *reason)
{
	if (t->cnt == MEMBLOCK_MAX_REGIONS)
		panic("memblock: more than %d regions", MEMBLOCK_MAX_REGIONS);
	memmove(&t->regions[at + 1], &t->regions[at], (size_t)(t->cnt - at) * sizeof(t->regions[0]));
	t->regions[at] = (struct memblock_region){ base, size, reason };
	t->cnt++;
}

/* Sorted by base; reservations are not merged, so each keeps its reason. */
static int insert_pos(const struct memblock_type *t, phys_addr_t base)
{
	int i = 0;
	while (i < t->cnt && t->regions[i].base <= base)
		i++;
	return i;
}

void memblock_add(phys_addr_t base, phys_addr_t size)
{
	check_alive(__func__);
	phys_addr_t s = PAGE_ALIGN(base), e = PAGE_ALIGN_DOWN(base + size);
	if (s >= e)
		return;
	insert_region(&memory, insert_pos(&memory, s), s, e - s, NULL);
}

void memblock_reserve(phys_addr_t base, phys_addr_t size, const char *reason)
{
	check_alive(__func__);
	phys_addr_t s = PAGE_ALIGN_DOWN(base), e = PAGE_ALIGN(base + size);
	if (s >= e)
		return;
	insert_region(&reserved, insert_pos(&reserved, s), s, e - s, reason);
	pr_info("memblock: reserve [0x%08llx-0x%08llx] %s\n", (unsigned long long)s,
		(unsigned long long)e - 1, reason);
}

/*
 * Call fn on each stretch of memory that no reservation touches, in address
 * order. Reservations are sorted by base but may overlap each other: the
 * cursor only ever moves forward.
 */
static void for_each_free_range(void (*fn)(phys_addr_t s, phys_addr_t e, void *arg), void *arg)
{
	for (int i = 0; i < memory.cnt; i++) {
		phys_addr_t cur = memory.regions[i].base;
		phys_addr_t end = cur + memory.regions[i].size;
		for (int j = 0; j < reserved.cnt && cur < end; j++) {
			phys_addr_t rs = reserved.regions[j].base, re = rs + reserved.regions[j].size;
			if (re <= cur)
				continue;
			if (rs >= end)
				break;
			if (rs > cur)
				fn(cur, rs, arg);
			cur = re;
		}
		if (cur < end)
			fn(cur, end, arg);
	}
}

struct window { phys_addr_t s, e; u64 bytes; };

static void count_in_window(phys_addr_t s, phys_addr_t e, void *arg)
{
	struct window *w = arg;
	if (s < w->s)
		s = w->s;
	if (e > w->e)
		e = w->e;
	if (s < e)
		w->bytes += e - s;
}

unsigned long memblock_count_pages(phys_addr_t base, phys_addr_t size, bool want_reserved)
{
	struct window free = { base, base + size, 0 }, all = free;
	for_each_free_range(count_in_window, &free);
	for (int i = 0; i < memory.cnt; i++)
		count_in_window(memory.regions[i].base, memory.regions[i].base + memory.regions[i].size, &all);
	return (unsigned long)((want_reserved ? all.bytes - free.bytes : free.bytes) >> PAGE_SHIFT);
}

unsigned long memblock_memory_pages(void)
{
	return memblock_count_pages(0, ~(phys_addr_t)0, false) + memblock_reserved_pages();
}

unsigned long memblock_reserved_pages(void)
{
	return memblock_count_pages(0, ~(phys_addr_t)0, true);
}

unsigned long memblock_end_pfn(void)
{
	if (!memory.cnt)
		return 0;
	const struct memblock_region *r = &memory.regions[memory.cnt - 1];
	return PFN_DOWN(r->base + r->size);
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t limit, const char *reason)
{
	check_alive(__func__);
	size = PAGE_ALIGN(size);
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	if (limit > current_limit)
		limit = current_limit;
	for (int i = memory.cnt - 1; i >= 0; i--) {
		phys_addr_t rs = memory.regions[i].base;
		phys_addr_t re = rs + memory.regions[i].size;
		if (re > limit)
			re = limit;
		/* Slide down past each reservation in the way until a gap fits. */
		while (re > rs && re - rs >= size) {
			phys_addr_t cand = (re - size) & ~(align - 1);
			if (cand < rs)
				break;
			phys_addr_t lowest_conflict = 0;
			bool conflict = false;
			for (int j = 0; j < reserved.cnt; j++) {
				const struct memblock_region *r = &reserved.regions[j];
				if (r->base < cand + size && r->base + r->size > cand) {
					if (!conflict || r->base < lowest_conflict)
						lowest_conflict = r->base;
					conflict = true;
				}
			}
			if (!conflict) {
				memblock_reserve(cand, size, reason);
				return cand;
			}
			re = lowest_conflict;
		}
	}
	return 0;
}

void *memblock_alloc_raw(phys_addr_t size, phys_addr_t align, const char *reason)
{
	phys_addr_t pa = memblock_phys_alloc_range(size, align, current_limit, reason);
	if (!pa)
		panic("memblock: cannot allocate %llu bytes for %s below %#llx", (unsigned long long)size, reason,
		      (unsigned long long)current_limit);
	return __va(pa);
}

void *memblock_alloc(phys_addr_t size, phys_addr_t align, const char *reason)
{
	void *va = memblock_alloc_raw(size, align, reason);
	memset(va, 0, (size_t)size);
	return va;
}

static void hand_over(phys_addr_t s, phys_addr_t e, void *arg)
{
	unsigned long *pages = arg;
	__free_pages_memory(PFN_DOWN(s), PFN_DOWN(e));
	*pages += PFN_DOWN(e) - PFN_DOWN(s);
}

unsigned long memblock_free_all(void)
{
	check_alive(__func__);
	unsigned long pages = 0;
	for_each_free_range(hand_over, &pages);
	retired = true;
	return pages;
}
