/*
 * Looking at the temporary mappings of <pagoda/highmem.h> without touching
 * them: every CPU's kmap_local stack and the pkmap pool (the `kmaps`
 * command). The walks take no lock: the stacks belong to their CPUs and
 * change under the reader, so a line may be stale by the time it prints.
 */
#ifndef PAGODA_HIGHMEM_STATS_H
#define PAGODA_HIGHMEM_STATS_H

#include <pagoda/types.h>

/* One live kmap_local_page/kmap_atomic mapping. */
struct kmap_local_info {
	int cpu;
	int depth;                      /* 0 = the outermost mapping of that CPU */
	int slot;                       /* fixmap slot; -1 for a lowmem page (no slot) */
	unsigned long vaddr;
	unsigned long pfn;
	bool atomic;                    /* from kmap_atomic */
};
/* Call fn on every live kmap_local mapping of every CPU; returns how many. */
int kmap_local_for_each(void (*fn)(const struct kmap_local_info *info, void *arg), void *arg);

/* One pkmap entry held by at least one kmap caller. */
struct pkmap_info {
	int entry;
	unsigned long vaddr;
	unsigned long pfn;
	int refcount;                   /* kmap callers holding it */
};
/* The pool as a whole: its range, size (0 on x86_64: no pool), entries held,
 * entries no longer held but still mapped until the lazy flush, and the
 * flushes so far. */
struct pkmap_stats {
	unsigned long base;
	unsigned int size, held, lazy;
	unsigned long flushes;
};
/* Call fn on every held pkmap entry, and fill *stats (may be NULL). */
void pkmap_for_each(void (*fn)(const struct pkmap_info *info, void *arg), void *arg, struct pkmap_stats *stats);

#endif
