/*
 * memblock: the boot-time physical memory allocator. It knows two lists of
 * ranges: `memory` (usable RAM from the firmware map; anything else is not
 * memory at all) and `reserved` (parts of that RAM already in use, each with
 * the reason, for the boot log). It allocates by adding a reservation.
 * memblock_free_all() hands every page that is memory and not reserved to
 * the buddy allocator and retires memblock: any later call that would change
 * it panics, because the buddy allocator owns RAM from then on.
 *
 * All of it is boot code: one CPU, interrupts off or not yet relevant.
 */
#ifndef PAGODA_MEMBLOCK_H
#define PAGODA_MEMBLOCK_H

#include <pagoda/types.h>

#define MEMBLOCK_MAX_REGIONS 128

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	const char *reason;             /* reserved regions only */
};

struct memblock_type {
	int cnt;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
};

/* Add [base, base+size) as usable RAM (rounded inward to whole pages). */
void memblock_add(phys_addr_t base, phys_addr_t size);
/* Mark [base, base+size) as in use (rounded outward to whole pages): it never
 * reaches the buddy allocator. reason is printed and kept (a string literal
 * or otherwise permanent). */
void memblock_reserve(phys_addr_t base, phys_addr_t size, const char *reason);

/*
 * Find size bytes of memory, aligned to align, below limit, that nothing has
 * reserved; reserve them for reason and return the physical address, or 0
 * (nothing fits). Searches top-down: the low zones stay free for the
 * callers that need them.
 */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align, phys_addr_t limit,
				      const char *reason);
/* The same below the direct map's limit, returned as a zeroed direct-map
 * pointer; panics when nothing fits (boot cannot go on without it). */
void *memblock_alloc(phys_addr_t size, phys_addr_t align, const char *reason);
/* memblock_alloc without the zeroing, for a caller that initializes every
 * byte itself (mem_map: zeroing it twice costs boot time at 16 GiB). */
void *memblock_alloc_raw(phys_addr_t size, phys_addr_t align, const char *reason);

/* Hand every free page to the buddy allocator and retire memblock. Returns
 * the number of pages handed over. */
unsigned long memblock_free_all(void);

/* Read-only views, still valid after retirement (tests, the boot log). */
const struct memblock_type *memblock_memory(void);
const struct memblock_type *memblock_reserved(void);
bool memblock_retired(void);
/* Pages of memory covered by at least one reservation. */
unsigned long memblock_reserved_pages(void);
/* Pages of memory. */
unsigned long memblock_memory_pages(void);
/* Pages of memory inside [base, base+size) that are reserved (reserved) or not. */
unsigned long memblock_count_pages(phys_addr_t base, phys_addr_t size, bool reserved);
/* Highest pfn + 1 of memory. */
unsigned long memblock_end_pfn(void);
/* Forget everything (host tests build several fake machines in one run). */
void memblock_reset(void);

/* memblock_alloc returns memory below limit only: the end of the direct
 * map, which mm_init learns from the arch (direct_map_limit()). */
void memblock_set_current_limit(phys_addr_t limit);

#endif
