/*
 * GFP ("get free pages") flags and the page allocator's API.
 *
 * The flags say where a page may come from and how the caller may be
 * treated. Zone modifiers name the *highest* zone the caller can use; the
 * allocator tries that zone first and falls back to lower zones, never to
 * higher ones (a lower zone's pages satisfy every constraint a higher one
 * does, not the other way round):
 *
 *   (none)          ZONE_NORMAL -> DMA32 -> DMA
 *   __GFP_HIGHMEM   ZONE_HIGHMEM -> NORMAL -> DMA32 -> DMA (page may have no
 *                   kernel mapping: use the struct page, never page_address)
 *   __GFP_DMA32     below 4 GiB: ZONE_DMA32 on x86_64 (ZONE_NORMAL on i386,
 *                   where all of lowmem is below 4 GiB) -> DMA
 *   __GFP_DMA       below 16 MiB: ZONE_DMA only
 */
#ifndef PAGODA_GFP_H
#define PAGODA_GFP_H

#include <pagoda/types.h>

typedef unsigned int gfp_t;

#define __GFP_DMA       0x01u   /* below 16 MiB (ISA DMA) */
#define __GFP_HIGHMEM   0x02u   /* may return highmem (no permanent mapping) */
#define __GFP_DMA32     0x04u   /* below 4 GiB (32-bit DMA) */
#define __GFP_ZONEMASK  0x07u
#define __GFP_HIGH      0x20u   /* urgent: the caller cannot wait */
#define __GFP_RECLAIM   0x40u   /* the caller may sleep while memory is found */
#define __GFP_ZERO      0x100u  /* return zeroed pages */
#define __GFP_NOWARN    0x200u  /* failure is expected: no report */

/* Process context, may sleep (nothing sleeps yet, but callers must allow it). */
#define GFP_KERNEL   (__GFP_RECLAIM)
/* Interrupt handlers and code holding spinlocks: never sleeps. */
#define GFP_ATOMIC   (__GFP_HIGH)
#define GFP_NOWAIT   0u
#define GFP_DMA      __GFP_DMA
#define GFP_DMA32    __GFP_DMA32
/* Pages for user space (or any page only ever touched through kmap). */
#define GFP_USER     (__GFP_RECLAIM)
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)

/* The largest block: 2^MAX_PAGE_ORDER pages = 4 MiB. */
#define MAX_PAGE_ORDER 10
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)

struct page;

/*
 * Allocate 2^order physically contiguous pages, aligned to their size (the
 * first pfn is a multiple of 2^order). Returns the first struct page, with a
 * reference count of 1, or NULL (and a report of the free lists unless
 * __GFP_NOWARN) when no allowed zone has such a block. Never sleeps yet,
 * but __GFP_RECLAIM (GFP_KERNEL, GFP_USER) says it may: such a call runs
 * might_sleep(), which stops the kernel in atomic context (a kmap_atomic
 * held) and, with lock_debug, with a spinlock held. Without __GFP_RECLAIM
 * (GFP_ATOMIC, GFP_NOWAIT): any context, including interrupt handlers.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
static inline struct page *alloc_page(gfp_t gfp) { return alloc_pages(gfp, 0); }

/*
 * Give back 2^order pages from alloc_pages. order must be the order they
 * were allocated with; the block merges with its free buddies. Stops the
 * kernel with a "BUG: Bad page state" report on a double free, a reserved
 * page, a wrong order or a misaligned block. Any context.
 */
void __free_pages(struct page *page, unsigned int order);
static inline void __free_page(struct page *page) { __free_pages(page, 0); }

/*
 * The same, but with direct-map addresses: returns the kernel virtual address
 * of the first page, or 0. Pages from here are always mapped, so
 * __GFP_HIGHMEM is refused (warning once, returning 0), as in Linux.
 * Any context.
 */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
static inline unsigned long __get_free_page(gfp_t gfp) { return __get_free_pages(gfp, 0); }
/* One page, filled with zeros. */
unsigned long get_zeroed_page(gfp_t gfp);
/* Free what __get_free_pages returned; addr must be that page-aligned address. */
void free_pages(unsigned long addr, unsigned int order);
static inline void free_page(unsigned long addr) { free_pages(addr, 0); }

/* Pages free right now: in the buddy lists plus the per-CPU caches. Any context. */
unsigned long nr_free_pages(void);
/* Free pages once nothing is in transit: exited tasks reaped (waiting up to
 * a second), lazily freed vmalloc ranges purged, slab caches shrunk, every
 * CPU's page cache drained. Two of these compare for a page-leak check
 * (the ktests, sysinfo from user space). Process context, may sleep. */
unsigned long nr_free_pages_settled(void);

/* Zone index (enum zone_type) the allocator tries first for gfp. */
int gfp_zone(gfp_t gfp);

#endif
