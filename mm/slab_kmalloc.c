/*
 * kmalloc: a cache per size class, and the buddy allocator for the rest.
 *
 * A request is rounded up to the next class (8 16 32 64 96 128 192 256 512
 * 1024 2048 4096 8192; 96 and 192 because 65..96- and 129..192-byte objects
 * are common and a power of two would waste a third of them). Above 8192
 * bytes a slab would hold few objects, so the request becomes one block of
 * 2^order pages straight from the buddy allocator: kmalloc(150 * 1000) asks
 * for order 6, 64 pages, and ksize() says 262144. The first page of such a
 * block carries kmalloc_large_tag in page->slab_cache, which is how kfree
 * tells it from a slab page and from a page it never handed out.
 */
#include <pagoda/init.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include "slab.h"

struct kmem_cache kmalloc_caches[NR_KMALLOC_TYPES][NR_KMALLOC_SIZES];
/* Their per-CPU stacks: static, as the caches are (no alloc_percpu). */
static DEFINE_PER_CPU(struct array_cache [NR_KMALLOC_TYPES][NR_KMALLOC_SIZES], kmalloc_cpu_caches);
const char kmalloc_large_tag[] = "kmalloc-large";

static const unsigned int kmalloc_sizes[NR_KMALLOC_SIZES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};
static const char *const kmalloc_names[NR_KMALLOC_TYPES][NR_KMALLOC_SIZES] = {
	{ "kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96", "kmalloc-128", "kmalloc-192",
	  "kmalloc-256", "kmalloc-512", "kmalloc-1k", "kmalloc-2k", "kmalloc-4k", "kmalloc-8k" },
	{ "dma-kmalloc-8", "dma-kmalloc-16", "dma-kmalloc-32", "dma-kmalloc-64", "dma-kmalloc-96",
	  "dma-kmalloc-128", "dma-kmalloc-192", "dma-kmalloc-256", "dma-kmalloc-512", "dma-kmalloc-1k",
	  "dma-kmalloc-2k", "dma-kmalloc-4k", "dma-kmalloc-8k" },
};

/* The class of sizes 1..192 by (size - 1) / 8: a table lookup is cheaper
 * than arithmetic where the 96 and 192 classes break the powers of two. */
static const u8 size_index[24] = {
	0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5,
	6, 6, 6, 6, 6, 6, 6, 6,
};

static __always_inline unsigned int kmalloc_index(size_t size)
{
	/* LAB(3) BEGIN: choose the smallest size class that holds size bytes */
	if (size <= 192)
		return size_index[(size - 1) / 8];
	/* 193..256 -> 7 (256), 257..512 -> 8 ... 4097..8192 -> 12 */
	return (unsigned int)(BITS_PER_LONG - __builtin_clzl(size - 1)) - 1;
	/* LAB(3) STUB
	(void)size_index;
	return NR_KMALLOC_SIZES - 1;
	*/
	/* LAB(3) END */
}

static void *kmalloc_large(size_t size, gfp_t gfp)
{
	if (size > KMALLOC_MAX_SIZE) {
		if (!(gfp & __GFP_NOWARN))
			printk(KERN_WARNING "kmalloc: %zu bytes is more than KMALLOC_MAX_SIZE (%zu)\n", size,
			       (size_t)KMALLOC_MAX_SIZE);
		return NULL;
	}
	struct page *page = alloc_pages(gfp, get_order(size));
	if (!page)
		return NULL;
	page->slab_cache = (void *)kmalloc_large_tag;
	return page_address(page);
}

/* Everything but a small request from the normal caches. */
static __noinline void *kmalloc_slow(size_t size, gfp_t gfp, unsigned long caller)
{
	if (!size)
		return ZERO_SIZE_PTR;
	if (gfp & __GFP_HIGHMEM)
		return slab_refuse_highmem("kmalloc", gfp);
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size, gfp);
	/* GFP_DMA32 too: below 16 MiB is below 4 GiB. */
	return slab_alloc(&kmalloc_caches[KMALLOC_DMA][kmalloc_index(size)], gfp, caller, size);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	/* size - 1 wraps for 0: one test covers both ends. */
	if (unlikely(size - 1 >= KMALLOC_MAX_CACHE_SIZE || (gfp & __GFP_ZONEMASK)))
		return kmalloc_slow(size, gfp, _RET_IP_);
	return slab_alloc(&kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(size)], gfp, _RET_IP_, size);
}

const char *kmalloc_check_pointer(const void *p, size_t *size)
{
	*size = 0;
	if (ZERO_OR_NULL_PTR(p))
		return NULL;
	/* On i386 a vmalloc or fixmap address minus PAGE_OFFSET can land on
	 * a highmem pfn: valid, but not what this address maps. */
	if (!virt_addr_valid(p) || PageHighMem(virt_to_page(p)))
		return "not a direct-map address";
	struct page *page = virt_to_page(p);
	if (PageSlab(page)) {
		struct kmem_cache *s = page->slab_cache;
		unsigned long off = (unsigned long)((const char *)p - (const char *)page_address(slab_head_page(s, p)));
		if (off % s->size || off / s->size >= s->objects)
			return "not the start of an object";
		*size = s->object_size;
		return NULL;
	}
	if (page->slab_cache == kmalloc_large_tag) {
		if ((unsigned long)p & (PAGE_SIZE - 1))
			return "inside a large kmalloc block, not at its start";
		*size = PAGE_SIZE << page->private;
		return NULL;
	}
	if (PageBuddy(page) || PagePcp(page) || page_count(page) == 0)
		return "its page is free (a double free of a large kmalloc?)";
	if (PageReserved(page))
		return "a reserved page (kernel image, firmware), never allocated";
	return "its page was not allocated by kmalloc";
}

static __noinline void kfree_slow(const void *p, unsigned long caller)
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	size_t size;
	const char *why = kmalloc_check_pointer(p, &size);
	if (why)
		slab_bad_pointer("kfree", p, why, caller);
	struct page *page = virt_to_page(p);
	page->slab_cache = NULL;
	__free_pages(page, page->private);
}

void kfree(const void *p)
{
	/* NULL and ZERO_SIZE_PTR fail this test too, so kfree_slow sorts them
	 * out: below PAGE_OFFSET, __pa wraps to a pfn past max_pfn (x86_64)
	 * or to one at 1 GiB or more, highmem, which is never a slab (i386). */
	struct page *page = virt_to_page(p);
	if (likely(virt_addr_valid(p) && PageSlab(page)))
		slab_free(page->slab_cache, (void *)p, _RET_IP_);
	else
		kfree_slow(p, _RET_IP_);
}

size_t ksize(const void *p)
{
	size_t size;
	const char *why = kmalloc_check_pointer(p, &size);
	if (why)
		slab_bad_pointer("ksize", p, why, _RET_IP_);
	/* ksize is a promise that all of it may be used: under slab_debug the
	 * slack past the requested size stops being red zone. */
	if (size && PageSlab(virt_to_page(p))) {
		struct kmem_cache *s = virt_to_page(p)->slab_cache;
		if (s->flags & SLAB_RED_ZONE)
			slab_debug_set_orig_size(s, (void *)p, size);
	}
	return size;
}

void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	if (ZERO_OR_NULL_PTR(p))
		return kmalloc(new_size, gfp);
	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	size_t ks;
	const char *why = kmalloc_check_pointer(p, &ks);
	if (why)
		slab_bad_pointer("krealloc", p, why, _RET_IP_);
	/* Stay put if it fits; but a large block shrunk below half is given
	 * back, or a 4 MiB buffer trimmed to 8 bytes would keep 4 MiB. */
	struct page *page = virt_to_page(p);
	bool large = !PageSlab(page);
	if (new_size <= ks && (!large || new_size > ks / 2)) {
		if (!large && (((struct kmem_cache *)page->slab_cache)->flags & SLAB_RED_ZONE))
			slab_debug_set_orig_size(page->slab_cache, (void *)p, new_size);
		return (void *)p;
	}
	void *n = kmalloc(new_size, gfp);
	if (!n)
		return NULL;
	memcpy(n, p, ks < new_size ? ks : new_size);
	kfree(p);
	return n;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	if (!s)
		return NULL;
	size_t len = strlen(s) + 1;
	char *p = kmalloc(len, gfp);
	if (p)
		memcpy(p, s, len);
	return p;
}

void kmem_cache_init(void)
{
	for (int t = 0; t < NR_KMALLOC_TYPES; t++)
		for (int i = 0; i < NR_KMALLOC_SIZES; i++) {
			unsigned int size = kmalloc_sizes[i];
			/* Powers of two get natural alignment (a promise of the
			 * header); 96 and 192 the minimum. */
			unsigned int align = (size & (size - 1)) ? ARCH_KMALLOC_MINALIGN : size;
			struct kmem_cache *s = &kmalloc_caches[t][i];
			if (kmem_cache_setup(s, kmalloc_names[t][i], size, align, t == KMALLOC_DMA ? SLAB_CACHE_DMA : 0,
					     NULL, &kmalloc_cpu_caches[t][i]))
				panic("slab: cannot set up %s", kmalloc_names[t][i]);
			s->is_static = true;
		}
	slab_register_reclaim();
	pr_info("slab: kmalloc caches 8..%u bytes (and dma-kmalloc), larger from the buddy allocator%s\n",
		KMALLOC_MAX_CACHE_SIZE, slab_debug ? "; slab_debug: red zones, poison, owner tracking" : "");
}
