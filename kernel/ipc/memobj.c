/*
 * Memory objects (<pagoda/memobj.h>, docs/ipc.md "Memory objects"): a
 * kernel object (HANDLE_TYPE_MEMORY) holding a fixed array of pages, each
 * with a page reference of the object's own (get_page/put_page). Three
 * ways to fill it: fresh zeroed pages (memobj_create), the caller's own
 * pages pinned where they are (memobj_from_user), or one physically
 * contiguous block below a DMA mask (memobj_alloc_contig, for devices).
 * Whatever the kind, the release drops one reference per page: a fresh
 * page is freed, a pinned user page goes back to its mappings (or is
 * freed if they are gone).
 *
 * The budget: pages held by memory objects in all, over every process,
 * may not pass half of the RAM the allocator had at boot. An object that
 * would (a fork bomb of 64 MiB objects, say) is refused with -ENOMEM, and
 * the kernel keeps the other half for itself and for page tables, stacks
 * and anonymous memory.
 */
#include <pagoda/errno.h>
#include <pagoda/gfp.h>
#include <pagoda/highmem.h>
#include <pagoda/mm.h>
#include <pagoda/mm_user.h>
#include <pagoda/sched.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include "memobj_internal.h"

static unsigned long memobj_pages_held;         /* over every object (atomic) */

static unsigned long memobj_budget(void)
{
	return boot_free_pages / 2;
}

bool memobj_charge(unsigned long nr)
{
	unsigned long held = __atomic_add_fetch(&memobj_pages_held, nr, __ATOMIC_RELAXED);
	if (held <= memobj_budget())
		return true;
	__atomic_sub_fetch(&memobj_pages_held, nr, __ATOMIC_RELAXED);
	return false;
}

void memobj_uncharge(unsigned long nr)
{
	__atomic_sub_fetch(&memobj_pages_held, nr, __ATOMIC_RELAXED);
}

static struct memobj *to_memobj(struct kobj *obj)
{
	return container_of(obj, struct memobj, obj);
}

static void memobj_release(struct kobj *obj)
{
	struct memobj *mo = to_memobj(obj);
	unsigned long held = 0;
	for (unsigned long i = 0; i < mo->nr_pages; i++) {
		if (mo->pages[i]) {             /* a pager's may be missing */
			put_page(mo->pages[i]);
			held++;
		}
	}
	if (mo->pager)
		memobj_pager_release(mo);
	memobj_uncharge(held);
	kfree(mo);
}

static const char *const kind_names[] = {
	[MEMOBJ_ZEROED] = "zeroed", [MEMOBJ_PINNED] = "pinned", [MEMOBJ_CONTIG] = "contiguous",
	[MEMOBJ_PAGED] = "paged",
};

static void memobj_show(struct kobj *obj, char *buf, size_t size)
{
	struct memobj *mo = to_memobj(obj);
	if (mo->pager) {
		memobj_pager_show(mo, buf, size);
		return;
	}
	unsigned long long first = mo->nr_pages ? (unsigned long long)page_to_phys(mo->pages[0]) : 0;
	snprintf(buf, size, "%lu kB in %lu pages, %s, from %#llx", mo->nr_pages << (PAGE_SHIFT - 10),
		 mo->nr_pages, kind_names[mo->kind], first);
}

static const struct kobj_ops memobj_ops = {
	.name = "memory",
	.release = memobj_release,
	.show = memobj_show,
};

struct memobj *memobj_new(unsigned long nr, enum memobj_kind kind)
{
	unsigned long charged = kind == MEMOBJ_PAGED ? 0 : nr;
	if (!memobj_charge(charged))
		return NULL;
	struct memobj *mo = kzalloc(sizeof(*mo) + nr * sizeof(mo->pages[0]), GFP_KERNEL | __GFP_NOWARN);
	if (!mo) {
		memobj_uncharge(charged);
		return NULL;
	}
	mo->kind = kind;
	return mo;
}

/* Give back what a half-built object holds (no kobj yet). */
static void memobj_discard(struct memobj *mo, unsigned long nr)
{
	for (unsigned long i = 0; i < mo->nr_pages; i++)
		put_page(mo->pages[i]);
	memobj_uncharge(nr);
	kfree(mo);
}

struct memobj *memobj_ready(struct memobj *mo, unsigned long nr)
{
	mo->nr_pages = nr;
	kobj_init(&mo->obj, HANDLE_TYPE_MEMORY, &memobj_ops);
	return mo;
}

struct memobj *memobj_alloc(unsigned long nr, long *err)
{
	*err = -ENOMEM;
	struct memobj *mo = memobj_new(nr, MEMOBJ_ZEROED);
	if (!mo)
		return NULL;
	for (unsigned long i = 0; i < nr; i++) {
		struct page *page = alloc_page(GFP_HIGHUSER | __GFP_NOWARN);
		if (!page) {
			memobj_discard(mo, nr);
			return NULL;
		}
		clear_highpage(page);           /* highmem on i386: through kmap_local */
		mo->pages[mo->nr_pages++] = page;
	}
	return memobj_ready(mo, nr);
}

struct memobj *memobj_pin_user(unsigned long addr, unsigned long nr, bool write, long *err)
{
	*err = -ENOMEM;
	struct memobj *mo = memobj_new(nr, MEMOBJ_PINNED);
	if (!mo)
		return NULL;
	*err = pin_user_pages(current->mm, addr, nr, write, mo->pages);
	if (*err) {
		memobj_discard(mo, nr);         /* nothing was pinned */
		return NULL;
	}
	return memobj_ready(mo, nr);
}

static unsigned int order_for(unsigned long nr)
{
	unsigned int order = 0;
	while ((1UL << order) < nr)
		order++;
	return order;
}

struct memobj *memobj_alloc_contig(unsigned long size, u64 dma_mask)
{
	unsigned long nr = PAGE_ALIGN(size) >> PAGE_SHIFT;
	unsigned int order = order_for(nr);
	if (!nr || order > MAX_PAGE_ORDER)
		return NULL;
	struct memobj *mo = memobj_new(nr, MEMOBJ_CONTIG);
	if (!mo)
		return NULL;
	/* The widest zone that may do first, then narrower ones: the buddy
	 * allocator knows zones, not masks, so each block is checked against
	 * the mask (a 30-bit mask may still find a low enough DMA32 block). A
	 * full 64-bit mask takes any page, highmem included. */
	static const gfp_t tries[] = { GFP_HIGHUSER, GFP_KERNEL | __GFP_DMA32, GFP_KERNEL | __GFP_DMA };
	struct page *block = NULL;
	for (unsigned int i = dma_mask == ~0ULL ? 0 : 1; i < sizeof(tries) / sizeof(tries[0]) && !block; i++) {
		block = alloc_pages(tries[i] | __GFP_NOWARN, order);
		if (block && (u64)page_to_phys(block) + ((u64)nr << PAGE_SHIFT) - 1 > dma_mask) {
			__free_pages(block, order);
			block = NULL;
		}
	}
	if (!block) {
		memobj_discard(mo, nr);
		return NULL;
	}
	split_page(block, order);
	for (unsigned long i = 0; i < (1UL << order); i++) {
		struct page *page = block + i;
		if (i < nr) {
			clear_highpage(page);
			mo->pages[mo->nr_pages++] = page;
		} else {
			__free_page(page);      /* the rounding up to a power of two */
		}
	}
	return memobj_ready(mo, nr);
}

struct memobj *memobj_get(int h, u32 need, long *err)
{
	struct kobj *obj = handle_get(h, HANDLE_TYPE_MEMORY, need, err);
	return obj ? to_memobj(obj) : NULL;
}

struct memobj *memobj_from_kobj(struct kobj *obj)
{
	if (obj->type != HANDLE_TYPE_MEMORY || to_memobj(obj)->pager)
		return NULL;
	return to_memobj(obj);
}

bool memobj_is_paged(const struct memobj *mo)
{
	return mo->pager;
}

void memobj_ref(struct memobj *mo)
{
	kobj_get(&mo->obj);
}

void memobj_put(struct memobj *mo)
{
	kobj_put(&mo->obj);
}

unsigned long memobj_size(const struct memobj *mo)
{
	return mo->nr_pages << PAGE_SHIFT;
}

struct page *memobj_page(const struct memobj *mo, unsigned long off)
{
	return READ_ONCE(mo->pages[off >> PAGE_SHIFT]);
}

int memobj_install(struct memobj *mo, u32 rights)
{
	return handle_create(&mo->obj, rights);
}
