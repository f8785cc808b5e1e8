/*
 * The slab allocator's insides, shared by mm/slab*.c (and the host tests).
 *
 * The layers, each in its own file:
 *   slab_cpu.c     per-CPU stacks of free objects (fast paths inline below)
 *   slab.c         caches and their slabs (partial / full / empty lists)
 *   slab_kmalloc.c size classes, kmalloc and friends, large kmalloc
 *   slab_debug.c   red zones, poison, owner tracking, the BUG reports
 *   slab_stats.c   the read-only view for the monitor (<pagoda/slab_stats.h>)
 *
 * A slab is one block of 2^order pages from the buddy allocator. Its
 * objects sit at base + i * size from the first byte (so power-of-two sizes
 * are naturally aligned); its descriptor, struct slab, sits in the last
 * bytes, where it costs no alignment. Every page of the slab has PG_slab and
 * page->slab_cache; the first page also holds the free list
 * (page->freelist), a chain through the free objects.
 *
 * Debug layout of one object (flags & SLAB_DEBUG_FLAGS), stride s->size:
 *   [0, object_size)           the object; poisoned 6b 6b ... a5 while free
 *   [object_size, offset)      red zone: cc while allocated, bb while free
 *   [offset, +sizeof(void *))  free pointer (outside the object: poison intact)
 *   [orig, +sizeof(long))      the size kmalloc was asked for (SLAB_RED_ZONE):
 *                              bytes from there to object_size are red zone too
 *   [track, +2 tracks)         last alloc and free callers (SLAB_STORE_USER)
 *   [rz2, size)                red zone again, up to the next object
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <pagoda/list.h>
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include <pagoda/slab_stats.h>
#include <pagoda/smp.h>
#include <pagoda/string.h>
#include <pagoda/spinlock.h>

#define SLAB_DEBUG_FLAGS (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

/* Per-CPU stack depth, and the most objects and pages one slab may have. */
#define SLAB_CPU_MAX     32
#define SLAB_MAX_OBJECTS 512
#define SLAB_MAX_ORDER   5
/* Empty slabs a cache keeps instead of returning them to the buddy
 * allocator: enough to absorb an alloc/free see-saw at a slab boundary. */
#define SLAB_EMPTY_RESERVE 1
/* Red-zone bytes right after each object in debug caches. */
#define SLAB_RZ 8u

/*
 * One CPU's magazine: a stack of free objects of one cache. Only its CPU
 * touches it, with interrupts off, so it needs no lock. When empty it is
 * refilled with `batch` objects from the slabs; when full, the `batch`
 * oldest go back.
 */
struct array_cache {
	unsigned int avail;
	unsigned int limit;
	unsigned int batch;
	unsigned int pad;
	void *entry[SLAB_CPU_MAX];
};

/* At the end of each slab's memory. */
struct slab {
	struct list_head list;          /* on one of the cache's three lists */
	struct page *page;              /* first page; its freelist is the slab's */
	unsigned int inuse;             /* objects not on the free list */
	unsigned int pad;
};

/* Who last allocated or freed an object (SLAB_STORE_USER). */
struct slab_track {
	unsigned long addr;             /* the caller: print with %pS */
	unsigned int cpu;
	unsigned int seq;               /* 0: never */
};

struct kmem_cache {
	/* The fast paths' stack: cpu_cache, or for a debug cache slab_no_stack,
	 * always empty and full (limit 0), so that every call of a debug cache
	 * takes the slow path and no fast path tests the flags. First: a small
	 * offset. */
	struct array_cache __percpu *fast_cache;
	struct array_cache __percpu *cpu_cache; /* this CPU's stack: this_cpu_ptr() */
	unsigned int flags;
	unsigned int object_size;       /* what users get (ksize) */
	unsigned int size;              /* stride between objects */
	unsigned int align;
	unsigned int offset;            /* of the free pointer inside the stride */
	unsigned int orig;              /* of the requested size (SLAB_RED_ZONE) */
	unsigned int track;             /* of the two slab_tracks (debug) */
	unsigned int rz2;               /* start of the trailing red zone (debug) */
	unsigned int order;             /* slab = 2^order pages */
	unsigned int objects;           /* per slab */
	void (*ctor)(void *);

	spinlock_t lock;                /* the lists and counters below */
	struct list_head slabs_partial; /* some objects free */
	struct list_head slabs_full;    /* none free */
	struct list_head slabs_free;    /* all free: the reserve */
	unsigned long nr_slabs;
	unsigned long nr_free_slabs;
	unsigned long inuse;            /* objects off the slabs (users + CPU stacks) */
	unsigned long nr_grow, nr_shrink;

	struct list_head list;          /* slab_caches */
	bool is_static;                 /* a kmalloc cache: never destroyed or freed */
	char name[32];
};

extern struct list_head slab_caches;
/* The cache list. Also taken in the drain IPI handler: always irqsave. */
extern spinlock_t slab_caches_lock;

/* Set up a cache in place (kmalloc caches live in static storage), with
 * the per-CPU stacks cpu_cache (alloc_percpu, or static per-CPU data). */
int kmem_cache_setup(struct kmem_cache *s, const char *name, size_t size, size_t align,
		     unsigned int flags, void (*ctor)(void *), struct array_cache __percpu *cpu_cache);

/* Slow paths, interrupts off, on this CPU's stack ac. */
void *cache_alloc_refill(struct kmem_cache *s, struct array_cache *ac, gfp_t gfp);
void cache_flusharray(struct kmem_cache *s, struct array_cache *ac);
/* Give the objects of ac back to the slabs (interrupts off). */
void cache_drain_array(struct kmem_cache *s, struct array_cache *ac);

/* Let a failing page allocation empty the slab caches (kmem_cache_init). */
void slab_register_reclaim(void);

/* Highmem has no address to hand out: refuse, warning once. */
void *slab_refuse_highmem(const char *who, gfp_t gfp);

static inline void *get_freepointer(const struct kmem_cache *s, void *obj)
{
	return *(void **)((char *)obj + s->offset);
}
static inline void set_freepointer(const struct kmem_cache *s, void *obj, void *next)
{
	*(void **)((char *)obj + s->offset) = next;
}

/* The first page of the slab holding obj, and its descriptor. */
static inline struct page *slab_head_page(const struct kmem_cache *s, const void *obj)
{
	return pfn_to_page(PFN_DOWN(__pa(obj)) & ~((1UL << s->order) - 1));
}
static inline struct slab *page_slab(const struct kmem_cache *s, const struct page *head)
{
	return (struct slab *)((char *)page_address(head) + (PAGE_SIZE << s->order) - sizeof(struct slab));
}

/* Objects in this CPU stack and all others (slabinfo, destroy). */
static inline unsigned long cache_cpu_objects(const struct kmem_cache *s)
{
	unsigned long n = 0;
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		n += per_cpu_ptr(s->cpu_cache, cpu)->avail;
	return n;
}

/* ---- debug hooks (slab_debug.c) ----------------------------------------- */

void slab_debug_init_object(struct kmem_cache *s, void *obj);
void slab_debug_alloc(struct kmem_cache *s, void *obj, unsigned long caller, size_t orig);
/* The caller may now use size bytes of obj (ksize, krealloc in place): the
 * rest of the object becomes red zone. Debug caches only. */
void slab_debug_set_orig_size(struct kmem_cache *s, void *obj, size_t size);
void slab_debug_free(struct kmem_cache *s, void *obj, unsigned long caller);
/* Print one leaked object of a cache being destroyed. */
void slab_debug_print_leak(struct kmem_cache *s, void *obj);
/* Report a pointer op ("kfree", "ksize", "kmem_cache_free") cannot take:
 * "BUG: kfree of invalid pointer <p>: <why>", and stop. */
__noreturn void slab_bad_pointer(const char *op, const void *p, const char *why, unsigned long caller);

/* ---- kmalloc's bookkeeping (slab_kmalloc.c) ------------------------------- */

/* page->slab_cache of the first page of a large kmalloc block. */
extern const char kmalloc_large_tag[];
#define NR_KMALLOC_SIZES 13
enum kmalloc_type { KMALLOC_NORMAL, KMALLOC_DMA, NR_KMALLOC_TYPES };
extern struct kmem_cache kmalloc_caches[NR_KMALLOC_TYPES][NR_KMALLOC_SIZES];

/* ---- the fast path ------------------------------------------------------ */

#define _RET_IP_ ((unsigned long)__builtin_return_address(0))

/*
 * The fast paths take one object from, or give one to, this CPU's stack,
 * and do nothing else: no lock, no call, so the compiler saves no registers.
 * Everything else (an empty or full stack, debugging, __GFP_ZERO) goes to
 * the out-of-line slow paths in slab_cpu.c.
 */
void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, unsigned long caller, size_t orig);
void slab_free_slow(struct kmem_cache *s, void *obj, unsigned long caller);

/* orig: the size asked of kmalloc (0: the whole object), for debugging. */
static __always_inline void *slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller, size_t orig)
{
	unsigned long flags = local_irq_save();
	struct array_cache *ac = this_cpu_ptr(s->fast_cache);
	if (likely(ac->avail) && likely(!(gfp & __GFP_ZERO))) {
		void *obj = ac->entry[--ac->avail];
		local_irq_restore(flags);
		return obj;
	}
	local_irq_restore(flags);
	return slab_alloc_slow(s, gfp, caller, orig);
}

static __always_inline void slab_free(struct kmem_cache *s, void *obj, unsigned long caller)
{
	unsigned long flags = local_irq_save();
	struct array_cache *ac = this_cpu_ptr(s->fast_cache);
	if (likely(ac->avail < ac->limit)) {
		ac->entry[ac->avail++] = obj;
		local_irq_restore(flags);
		return;
	}
	local_irq_restore(flags);
	slab_free_slow(s, obj, caller);
}

#endif
