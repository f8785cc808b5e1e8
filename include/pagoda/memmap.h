/*
 * A picture of physical memory: the state of every page frame from pfn 0
 * to max_pfn, as runs of pages in the same state (mm/memmap_walk.c). The
 * `memmap` monitor command prints the runs; tools/memmap.py draws them
 * (`make memmap`).
 *
 * States (state, detail):
 *   hole           -           not RAM: a gap or firmware range in the memory map
 *   reserved       reason      RAM memblock reserved at boot (its reason, if any)
 *   free-<order>   -           one free buddy block, head and tail pages (one run per block)
 *   pcp            -           free, on a per-CPU list
 *   slab           cache name  PG_slab pages, and large kmalloc blocks ("kmalloc-large")
 *   vmalloc        -           pages backing a vmalloc area
 *   user           -           mapped into user space (PG_user: anonymous memory of processes)
 *   allocated      -           anything else the buddy allocator handed out
 *                              (page tables, DMA buffers, vmalloc's page arrays ...)
 * The free-* runs add up to the zones' free pages and the pcp runs to the
 * per-CPU counts: together nr_free_pages().
 */
#ifndef PAGODA_MEMMAP_H
#define PAGODA_MEMMAP_H

typedef void (*memmap_emit_t)(unsigned long start_pfn, unsigned long count, const char *state,
			      const char *detail, void *arg);

/*
 * Walk every pfn in [0, max_pfn) once, calling emit for each run in pfn
 * order (detail may be NULL). Runs never cross a zone boundary. The walk
 * runs with interrupts off, so emit must not allocate; it may printk.
 * Returns nr_free_pages() as it was during the walk. Costs one pass over
 * mem_map plus a bitmap of max_pfn bits, allocated by the first walk and
 * kept (so that later walks change nothing; it shows as "allocated" with
 * detail "memmap bitmap"). Process context.
 */
unsigned long memmap_walk(memmap_emit_t emit, void *arg);

#endif
