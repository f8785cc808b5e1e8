/*
 * slab_arena.h - the slab allocator (mm/slab.c, slab_kmalloc.c,
 * slab_debug.c, unchanged) over the buddy allocator's fake machine of
 * mm_arena.h. Used by test_slab.c, fuzz_slab.c and tools/bench/bench_slab.c.
 */
#ifndef SLAB_ARENA_H
#define SLAB_ARENA_H

#include "mm_arena.h"

/* The kernel's own strlcpy: glibc before 2.38 has none. */
#include "../../lib/strlcpy.c"

#include "../../mm/slab.c"
#include "../../mm/slab_cpu.c"
#include "../../mm/slab_kmalloc.c"
#include "../../mm/slab_debug.c"

/* A fresh machine and fresh kmalloc caches, with or without slab_debug.
 * Returns the free pages after boot (before any slab exists). */
static unsigned long slab_arena_boot(const struct fake_machine *m, bool debug)
{
	unsigned long free = fake_machine_boot(m);
	INIT_LIST_HEAD(&slab_caches);
	slab_debug = debug;
	kmem_cache_init();
	return free;
}

/* nr_free_pages with every cache shrunk and the page allocator's per-CPU
 * lists drained: comparable before and after a test. */
static __attribute__((unused)) unsigned long slab_settled_free(void)
{
	kmem_cache_shrink_all();
	drain_all_pages();
	return nr_free_pages();
}

#endif
