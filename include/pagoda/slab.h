/*
 * The kernel heap: slab caches of same-sized objects, and kmalloc on top of
 * them (docs/slab.md).
 *
 * A cache carves slabs, blocks of pages from the buddy allocator, into
 * objects of one size. Slabs live in the direct map, so an object's address
 * is an ordinary kernel virtual address and virt_to_page() finds its struct
 * page, which points back to the cache (page->slab_cache): that is how kfree
 * knows the size of what it frees. In front of each cache sits a small
 * per-CPU stack of free objects (Bonwick's magazine): most allocations and
 * frees touch only that stack, with interrupts off and no lock.
 *
 * What kmalloc guarantees (and kmem_cache_alloc, for its cache's size):
 *  - the memory is physically contiguous: __pa(p) + i is the physical
 *    address of p[i] for every byte of the object, large kmalloc included;
 *  - the address is aligned to at least 8 bytes, and to the size itself for
 *    the power-of-two classes (kmalloc(64) is 64-byte aligned, kmalloc(4096)
 *    page aligned, a large kmalloc page aligned);
 *  - it is DMA-safe in the sense that a device may read and write it by its
 *    physical address (nothing is remapped, nothing is highmem); for a device
 *    that reaches only the low 16 MiB pass GFP_DMA (GFP_DMA32 is served from
 *    the same low caches);
 *  - ksize(p) bytes are usable, at least what was asked: the request is
 *    rounded up to a size class (8 16 32 64 96 128 192 256 512 1024 2048
 *    4096 8192), or above 8192 bytes to a power-of-two number of pages, so
 *    a 150 KB kmalloc takes an order-6 block and ksize says 262144.
 * __GFP_HIGHMEM is refused (one warning, then NULL): highmem pages have no
 * address to return.
 *
 * Context: every function here may be called with interrupts off or from an
 * interrupt handler, except kmem_cache_create/destroy/shrink (process context).
 * Nothing sleeps yet.
 *
 * Debugging: the `slab_debug` boot option (or SLAB_* debug flags on one
 * cache) adds red zones after each object (for kmalloc from the size asked
 * for: the rest of the class is red zone until ksize() hands it out),
 * poisons freed objects (0x6b, last byte 0xa5), records who last allocated
 * and freed each object, and stops the kernel with a report on an overrun,
 * a use after free, a double free or a kfree of a pointer the allocator
 * never returned.
 */
#ifndef PAGODA_SLAB_H
#define PAGODA_SLAB_H

#include <pagoda/compiler.h>
#include <pagoda/gfp.h>
#include <pagoda/types.h>
#include <asm/page.h>

/* Cache flags (kmem_cache_create). */
#define SLAB_RED_ZONE      0x0001u  /* guard bytes after each object, checked on free and alloc */
#define SLAB_POISON        0x0002u  /* fill freed objects with 0x6b..0xa5, checked on alloc */
#define SLAB_STORE_USER    0x0004u  /* remember the caller of the last alloc and free */
#define SLAB_DEBUG         (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)
#define SLAB_HWCACHE_ALIGN 0x0010u  /* align objects to a cache line (64 bytes) */
#define SLAB_CACHE_DMA     0x0020u  /* slabs from ZONE_DMA (below 16 MiB) */

/* Poison bytes (the values Linux uses, so a student's memory of a crash dump
 * from either kernel reads the same). */
#define POISON_FREE       0x6b      /* a freed object's bytes */
#define POISON_END        0xa5      /* the last byte of a freed object */
#define SLUB_RED_ACTIVE   0xcc      /* red zone of an allocated object */
#define SLUB_RED_INACTIVE 0xbb      /* red zone of a free object */

/* kmalloc(0) returns this: distinct from NULL (the call did not fail), but
 * in the unmapped first page, so touching it faults. kfree and ksize take it. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

/* Requests up to this come from the size-class caches; larger ones are one
 * block of pages from the buddy allocator. */
#define KMALLOC_MAX_CACHE_SIZE 8192u
/* The largest kmalloc: one block of the highest buddy order (4 MiB). */
#define KMALLOC_MAX_SIZE ((size_t)PAGE_SIZE << MAX_PAGE_ORDER)
#define ARCH_KMALLOC_MINALIGN 8u

struct kmem_cache;

/*
 * Create a cache of objects of `size` bytes aligned to `align` (0: 8, the
 * minimum; a power of two). ctor, if given, is run on each object when its
 * slab is made, not on every allocation: objects must be freed back in their
 * constructed state (Bonwick's idea). The name is copied (up to 31 chars).
 * Returns NULL (with a message) on a bad argument or no memory.
 * Process context.
 */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned int flags, void (*ctor)(void *));
/*
 * Destroy an empty cache, giving all its slabs back. If objects are still
 * allocated it prints each one (address, and its allocator with
 * SLAB_STORE_USER), prints "kmem_cache_destroy <name>: N objects still
 * allocated", and refuses, returning -EBUSY (with slab_debug it stops the
 * kernel instead). Returns 0 when destroyed. Process context.
 */
int kmem_cache_destroy(struct kmem_cache *s);
/* One object, or NULL. __GFP_ZERO zeroes it. Any context. */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return kmem_cache_alloc(s, gfp | __GFP_ZERO);
}
/* Give back an object of s. Any context. */
void kmem_cache_free(struct kmem_cache *s, void *obj);
/* Empty every CPU's object stack into the slabs (each CPU its own, through
 * on_each_cpu) and give every empty slab back to the buddy allocator.
 * Returns the pages freed. Process context, no spinlock held. */
unsigned long kmem_cache_shrink(struct kmem_cache *s);
/* kmem_cache_shrink on every cache (tests measuring nr_free_pages). */
unsigned long kmem_cache_shrink_all(void);
/* The cache's name ("kmalloc-64"). */
const char *kmem_cache_name(const struct kmem_cache *s);
/* Object size the cache hands out (ksize of its objects). */
unsigned int kmem_cache_size(const struct kmem_cache *s);

/*
 * size bytes, or NULL when size exceeds KMALLOC_MAX_SIZE or memory is short;
 * kmalloc(0) returns ZERO_SIZE_PTR. See the guarantees above. Any context.
 */
void *kmalloc(size_t size, gfp_t gfp);
static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}
/* n * size bytes, or NULL if the product overflows. */
static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;
	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return kmalloc(bytes, gfp);
}
/* kmalloc_array, zeroed. */
static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}
/*
 * Resize p to new_size, keeping min(old, new) bytes of content: in place if
 * it still fits (ksize), else a new object and a copy. krealloc(NULL, n) is
 * kmalloc(n); krealloc(p, 0) frees p and returns ZERO_SIZE_PTR. On failure
 * returns NULL and p is untouched.
 */
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
/* Free what kmalloc returned; NULL and ZERO_SIZE_PTR are ignored. */
void kfree(const void *p);
/* Usable bytes at p (at least what was asked): the class size, or the
 * whole block of pages for a large kmalloc. 0 for NULL and ZERO_SIZE_PTR. */
size_t ksize(const void *p);
/* A kmalloc'ed copy of s, or NULL (s NULL too). */
char *kstrdup(const char *s, gfp_t gfp);

/* True when the slab_debug boot option is on. */
extern bool slab_debug;

#endif
