/*
 * Looking at the slab allocator without touching it: a snapshot of each
 * cache, the objects waiting in each CPU's stacks, and what a pointer is.
 * For the monitor (`slabinfo`, `cpus`, `ksize`, `kfree`) and tests; the
 * allocator's API is <pagoda/slab.h>.
 */
#ifndef PAGODA_SLAB_STATS_H
#define PAGODA_SLAB_STATS_H

#include <pagoda/types.h>

/* One cache as it was when slab_for_each_cache looked. The counters are
 * read without the cache's lock: each is exact, together they may be a
 * few objects apart on a busy machine. */
struct slab_cache_info {
	const char *name;
	unsigned int object_size;       /* what users get (ksize) */
	unsigned int size;              /* stride between objects */
	unsigned int objects;           /* per slab */
	unsigned int order;             /* slab = 2^order pages */
	unsigned long inuse;            /* objects off the slabs: users + CPU stacks */
	unsigned long cpu_objects;      /* of those, free in the CPU stacks */
	unsigned long nr_slabs;
	bool dma;                       /* a dma-kmalloc cache */
	bool is_static;                 /* a kmalloc cache: never destroyed */
};

/* Call fn on every cache, oldest first, with the cache list locked
 * (interrupts off): fn may printk, must not allocate or free. */
void slab_for_each_cache(void (*fn)(const struct slab_cache_info *info, void *arg), void *arg);
/* Free objects in CPU cpu's stacks, summed over every cache. Any context. */
unsigned long slab_cpu_objects(int cpu);
/* What p is, without stopping: NULL and *size = usable bytes if kfree
 * could take it, else the reason it could not. Any context. */
const char *kmalloc_check_pointer(const void *p, size_t *size);

#endif
