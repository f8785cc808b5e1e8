/*
 * Slab caches: objects of one size carved out of blocks of buddy pages.
 *
 * A cache keeps its slabs on three lists: partial (some objects free), full
 * and free (all free). The per-CPU stacks in front (slab.h) come here only
 * to refill or to give a batch back, so the lock below is taken once per
 * batch, not once per object. Empty slabs beyond a small reserve go straight
 * back to the buddy allocator, so memory freed by kfree becomes free pages
 * again (nr_free_pages sees it once the per-CPU stacks are drained).
 */
#include <pagoda/errno.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include "slab.h"
#include "internal.h"

LIST_HEAD(slab_caches);
DEFINE_SPINLOCK(slab_caches_lock);

/* ---- a cache's geometry --------------------------------------------------- */

static unsigned long align_up(unsigned long x, unsigned long a)
{
	return (x + a - 1) & ~(a - 1);
}

/* Where each part of an object's stride goes (the debug layout is drawn in
 * slab.h). Without debugging the free pointer overlays the free object's
 * first word, except with a constructor, whose work it would undo. */
static void calculate_sizes(struct kmem_cache *s)
{
	unsigned long off = align_up(s->object_size, sizeof(void *));

	if (s->flags & SLAB_DEBUG_FLAGS) {
		off = s->object_size + ((s->flags & SLAB_RED_ZONE) ? SLAB_RZ : 0);
		off = align_up(off, sizeof(void *));
		s->offset = (unsigned int)off;
		off += sizeof(void *);
		off = align_up(off, sizeof(unsigned long));
		if (s->flags & SLAB_RED_ZONE) {
			s->orig = (unsigned int)off;
			off += sizeof(unsigned long);
		}
		s->track = (unsigned int)off;
		if (s->flags & SLAB_STORE_USER)
			off += 2 * sizeof(struct slab_track);
		s->rz2 = (unsigned int)off;
		if (s->flags & SLAB_RED_ZONE)
			off += SLAB_RZ;
	} else if (s->ctor) {
		s->offset = (unsigned int)off;
		off += sizeof(void *);
	} else {
		s->offset = 0;
	}
	s->size = (unsigned int)align_up(off, s->align);
}

/* The smallest slab that wastes at most an eighth of itself. */
static int calculate_order(struct kmem_cache *s)
{
	for (unsigned int order = 0; order <= SLAB_MAX_ORDER; order++) {
		unsigned long bytes = PAGE_SIZE << order;
		if (bytes < sizeof(struct slab) + s->size)
			continue;
		unsigned long n = (bytes - sizeof(struct slab)) / s->size;
		if (n > SLAB_MAX_OBJECTS)
			n = SLAB_MAX_OBJECTS;
		if ((bytes - n * s->size) * 8 <= bytes || order == SLAB_MAX_ORDER) {
			s->order = order;
			s->objects = (unsigned int)n;
			return 0;
		}
	}
	return -EINVAL;
}

/* A debug cache's fast_cache: avail 0 and limit 0 on every CPU, never
 * written (both fast paths give up before writing). */
static DEFINE_PER_CPU(struct array_cache, slab_no_stack);

int kmem_cache_setup(struct kmem_cache *s, const char *name, size_t size, size_t align,
		     unsigned int flags, void (*ctor)(void *), struct array_cache __percpu *cpu_cache)
{
	memset(s, 0, sizeof(*s));
	s->cpu_cache = cpu_cache;
	strlcpy(s->name, name, sizeof(s->name));
	if (slab_debug)
		flags |= SLAB_DEBUG_FLAGS;
	if (ctor)
		flags &= ~SLAB_POISON;  /* poison would destroy the constructed state */
	if (align < ARCH_KMALLOC_MINALIGN)
		align = ARCH_KMALLOC_MINALIGN;
	if ((flags & SLAB_HWCACHE_ALIGN) && align < 64)
		align = 64;
	if (!size || size > (PAGE_SIZE << SLAB_MAX_ORDER) / 2 || (align & (align - 1)) ||
	    align > (PAGE_SIZE << SLAB_MAX_ORDER) / 2)
		return -EINVAL;
	s->flags = flags;
	s->fast_cache = (flags & SLAB_DEBUG_FLAGS) ? &slab_no_stack : cpu_cache;
	s->object_size = (unsigned int)size;
	s->align = (unsigned int)align;
	s->ctor = ctor;
	calculate_sizes(s);
	if (calculate_order(s))
		return -EINVAL;

	/* Deeper stacks for small objects: they are allocated most often and
	 * a stack of them costs little memory. */
	unsigned int limit = s->size <= 256 ? 32 : s->size <= 1024 ? 16 : 8;
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct array_cache *ac = per_cpu_ptr(cpu_cache, cpu);
		ac->avail = 0;
		ac->limit = limit;
		ac->batch = limit / 2;
	}
	spin_lock_init(&s->lock);
	INIT_LIST_HEAD(&s->slabs_partial);
	INIT_LIST_HEAD(&s->slabs_full);
	INIT_LIST_HEAD(&s->slabs_free);

	unsigned long flags_irq;
	spin_lock_irqsave(&slab_caches_lock, flags_irq);
	list_add_tail(&s->list, &slab_caches);
	spin_unlock_irqrestore(&slab_caches_lock, flags_irq);
	return 0;
}

/* ---- slabs ---------------------------------------------------------------- */

static struct slab *new_slab(struct kmem_cache *s, gfp_t gfp)
{
	/* The cache, not the caller, decides the zone (kmalloc routes DMA
	 * requests to DMA caches); zeroing is per object. */
	gfp &= ~(__GFP_ZONEMASK | __GFP_ZERO);
	if (s->flags & SLAB_CACHE_DMA)
		gfp |= __GFP_DMA;
	struct page *page = alloc_pages(gfp, s->order);
	if (!page)
		return NULL;
	for (unsigned long i = 0; i < (1UL << s->order); i++) {
		SetPageSlab(page + i);
		page[i].slab_cache = s;
		page[i].freelist = NULL;
	}
	char *base = page_address(page);
	struct slab *slab = page_slab(s, page);
	slab->page = page;
	slab->inuse = 0;
	/* Chain the objects in address order: the first allocations then walk
	 * the slab forwards, as a student reading addresses would expect. */
	void *next = NULL;
	for (unsigned int i = s->objects; i-- > 0;) {
		void *obj = base + (unsigned long)i * s->size;
		if (s->flags & SLAB_DEBUG_FLAGS)
			slab_debug_init_object(s, obj);
		if (s->ctor)
			s->ctor(obj);
		set_freepointer(s, obj, next);
		next = obj;
	}
	page->freelist = next;
	return slab;
}

static void discard_slab(struct kmem_cache *s, struct slab *slab)
{
	struct page *page = slab->page;
	for (unsigned long i = 0; i < (1UL << s->order); i++) {
		ClearPageSlab(page + i);
		page[i].slab_cache = NULL;
		page[i].freelist = NULL;
	}
	__free_pages(page, s->order);
}

static unsigned long discard_list(struct kmem_cache *s, struct list_head *list)
{
	unsigned long pages = 0;
	struct slab *slab, *tmp;
	list_for_each_entry_safe(slab, tmp, list, list) {
		list_del(&slab->list);
		discard_slab(s, slab);
		pages += 1UL << s->order;
	}
	return pages;
}

static void move_slab(struct slab *slab, struct list_head *to)
{
	list_del(&slab->list);
	list_add(&slab->list, to);
}

/* ---- between the per-CPU stacks and the slabs (interrupts off) ------------ */

void *cache_alloc_refill(struct kmem_cache *s, struct array_cache *ac, gfp_t gfp)
{
	spin_lock(&s->lock);
	while (ac->avail < ac->batch) {
		struct slab *slab;
		if (!list_empty(&s->slabs_partial)) {
			slab = list_first_entry(&s->slabs_partial, struct slab, list);
		} else if (!list_empty(&s->slabs_free)) {
			slab = list_first_entry(&s->slabs_free, struct slab, list);
			s->nr_free_slabs--;
		} else {
			if (ac->avail)
				break;          /* enough to go on: grow next time */
			spin_unlock(&s->lock);
			slab = new_slab(s, gfp);
			spin_lock(&s->lock);
			if (!slab)
				break;
			s->nr_slabs++;
			s->nr_grow++;
			list_add(&slab->list, &s->slabs_partial);
		}
		struct page *head = slab->page;
		while (ac->avail < ac->batch && head->freelist) {
			void *obj = head->freelist;
			head->freelist = get_freepointer(s, obj);
			ac->entry[ac->avail++] = obj;
			slab->inuse++;
			s->inuse++;
		}
		move_slab(slab, head->freelist ? &s->slabs_partial : &s->slabs_full);
	}
	spin_unlock(&s->lock);
	/* The stack was filled in address order; hand out its top. */
	return ac->avail ? ac->entry[--ac->avail] : NULL;
}

/* One object back onto its slab's free list; cache lock held. A slab that
 * becomes empty joins the reserve, or the discard list if that is full. */
static void free_to_slab(struct kmem_cache *s, void *obj, struct list_head *discard)
{
	struct page *head = slab_head_page(s, obj);
	struct slab *slab = page_slab(s, head);
	set_freepointer(s, obj, head->freelist);
	head->freelist = obj;
	slab->inuse--;
	s->inuse--;
	if (slab->inuse == 0) {
		if (s->nr_free_slabs >= SLAB_EMPTY_RESERVE) {
			move_slab(slab, discard);
			s->nr_slabs--;
			s->nr_shrink++;
		} else {
			move_slab(slab, &s->slabs_free);
			s->nr_free_slabs++;
		}
	} else if (slab->inuse == s->objects - 1) {
		move_slab(slab, &s->slabs_partial);     /* was full */
	}
}

static void free_block(struct kmem_cache *s, void **objs, unsigned int n)
{
	LIST_HEAD(discard);
	spin_lock(&s->lock);
	for (unsigned int i = 0; i < n; i++)
		free_to_slab(s, objs[i], &discard);
	spin_unlock(&s->lock);
	discard_list(s, &discard);
}

void cache_flusharray(struct kmem_cache *s, struct array_cache *ac)
{
	/* The oldest objects go: the newest are the likeliest still in cache. */
	unsigned int n = ac->batch < ac->avail ? ac->batch : ac->avail;
	free_block(s, ac->entry, n);
	memmove(ac->entry, ac->entry + n, (ac->avail - n) * sizeof(void *));
	ac->avail -= n;
}

void cache_drain_array(struct kmem_cache *s, struct array_cache *ac)
{
	free_block(s, ac->entry, ac->avail);
	ac->avail = 0;
}

/* ---- the public cache API -------------------------------------------------- */

void *slab_refuse_highmem(const char *who, gfp_t gfp)
{
	static bool warned;
	if (!warned) {
		warned = true;
		printk(KERN_WARNING "%s: __GFP_HIGHMEM refused (gfp %#x): slab memory must have a kernel address\n",
		       who, gfp);
		WARN_ON(1);
	}
	return NULL;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	if (unlikely(gfp & __GFP_HIGHMEM))
		return slab_refuse_highmem("kmem_cache_alloc", gfp);
	return slab_alloc(s, gfp, _RET_IP_, 0);
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	if (unlikely(!obj))
		return;
	slab_free(s, obj, _RET_IP_);
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned int flags, void (*ctor)(void *))
{
	struct kmem_cache *s = kzalloc(sizeof(*s), GFP_KERNEL);
	struct array_cache __percpu *ac = alloc_percpu(struct array_cache);
	if (!s || !ac) {
		free_percpu(ac);
		kfree(s);
		return NULL;
	}
	if (!name || kmem_cache_setup(s, name, size, align, flags, ctor, ac)) {
		pr_err("kmem_cache_create %s: bad size %zu or alignment %zu\n", name ? name : "(null)", size,
		       align);
		free_percpu(ac);
		kfree(s);
		return NULL;
	}
	return s;
}

/* On each CPU (interrupts off): that CPU's stack of one cache, or of all. */
static void drain_cpu_stack(void *info)
{
	struct kmem_cache *s = info;
	cache_drain_array(s, this_cpu_ptr(s->cpu_cache));
}

static void drain_cpu_stacks_all(void *unused)
{
	struct kmem_cache *s;
	spin_lock(&slab_caches_lock);
	list_for_each_entry(s, &slab_caches, list)
		cache_drain_array(s, this_cpu_ptr(s->cpu_cache));
	spin_unlock(&slab_caches_lock);
}

/* The reserve of empty slabs goes back to the buddy allocator. */
static unsigned long release_free_slabs(struct kmem_cache *s)
{
	LIST_HEAD(discard);
	unsigned long flags;
	spin_lock_irqsave(&s->lock, flags);
	while (!list_empty(&s->slabs_free)) {
		move_slab(list_first_entry(&s->slabs_free, struct slab, list), &discard);
		s->nr_free_slabs--;
		s->nr_slabs--;
		s->nr_shrink++;
	}
	spin_unlock_irqrestore(&s->lock, flags);
	return discard_list(s, &discard);
}

unsigned long kmem_cache_shrink(struct kmem_cache *s)
{
	/* Each CPU's stack belongs to that CPU: ask each to empty its own. */
	on_each_cpu(drain_cpu_stack, s, true);
	return release_free_slabs(s);
}

unsigned long kmem_cache_shrink_all(void)
{
	unsigned long pages = 0, flags;
	struct kmem_cache *s;
	on_each_cpu(drain_cpu_stacks_all, NULL, true);     /* one round for every cache */
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(s, &slab_caches, list)
		pages += release_free_slabs(s);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return pages;
}

static void reclaim_for_page_alloc(void)
{
	kmem_cache_shrink_all();
}

void slab_register_reclaim(void)
{
	page_alloc_reclaim_slab = reclaim_for_page_alloc;
}

/* Print each allocated object of a slab: those on neither its free list. */
static unsigned long report_slab_leaks(struct kmem_cache *s, struct slab *slab, unsigned long printed)
{
	unsigned long freemap[SLAB_MAX_OBJECTS / BITS_PER_LONG] = { 0 };
	char *base = page_address(slab->page);
	unsigned long leaks = 0;
	for (void *p = slab->page->freelist; p; p = get_freepointer(s, p)) {
		unsigned long i = (unsigned long)((char *)p - base) / s->size;
		freemap[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
	}
	for (unsigned long i = 0; i < s->objects; i++) {
		if (freemap[i / BITS_PER_LONG] & (1UL << (i % BITS_PER_LONG)))
			continue;
		if (printed + leaks < 16)
			slab_debug_print_leak(s, base + i * s->size);
		leaks++;
	}
	return leaks;
}

int kmem_cache_destroy(struct kmem_cache *s)
{
	if (!s)
		return 0;
	if (s->is_static) {
		pr_err("kmem_cache_destroy %s: a kmalloc cache cannot be destroyed\n", s->name);
		return -EINVAL;
	}
	/* The cache has no users left (the caller's promise); still, each
	 * CPU's stack is emptied by its CPU, like every other stack access. */
	unsigned long flags;
	on_each_cpu(drain_cpu_stack, s, true);

	if (s->inuse) {
		unsigned long n = 0;
		struct slab *slab;
		list_for_each_entry(slab, &s->slabs_partial, list)
			n += report_slab_leaks(s, slab, n);
		list_for_each_entry(slab, &s->slabs_full, list)
			n += report_slab_leaks(s, slab, n);
		if (n > 16)
			pr_err("kmem_cache_destroy %s: ... and %lu more\n", s->name, n - 16);
		if (slab_debug)
			panic("kmem_cache_destroy %s: %lu objects still allocated", s->name, s->inuse);
		pr_err("kmem_cache_destroy %s: %lu objects still allocated\n", s->name, s->inuse);
		return -EBUSY;
	}
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_del(&s->list);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	s->nr_slabs -= s->nr_free_slabs;
	discard_list(s, &s->slabs_free);
	free_percpu(s->cpu_cache);
	kfree(s);
	return 0;
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

unsigned int kmem_cache_size(const struct kmem_cache *s)
{
	return s->object_size;
}
