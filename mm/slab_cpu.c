/*
 * The per-CPU layer's slow paths (the fast paths are inline in slab.h).
 *
 * Each cache has one stack of free objects per CPU, Bonwick's magazine in
 * its simplest form (Linux's SLAB called it the array_cache). Its owner
 * touches it only with interrupts off, so an interrupt handler calling
 * kmalloc cannot find it half-updated, and another CPU never touches it:
 * no lock and no atomic instruction on the fast path. Only when the stack
 * is empty (refill a batch) or full (flush a batch) does a CPU take the
 * cache's lock, once per batch rather than once per object.
 */
#include "slab.h"

void *slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, unsigned long caller, size_t orig)
{
	unsigned long flags = local_irq_save();
	struct array_cache *ac = this_cpu_ptr(s->cpu_cache);
	void *obj;
	if (likely(ac->avail))
		obj = ac->entry[--ac->avail];
	else
		obj = cache_alloc_refill(s, ac, gfp);
	local_irq_restore(flags);
	if (unlikely(!obj))
		return NULL;
	/* Checked and marked outside the critical section: the object is
	 * already ours alone. */
	size_t zero = s->object_size;
	if (s->flags & SLAB_DEBUG_FLAGS) {
		slab_debug_alloc(s, obj, caller, orig);
		if (orig && (s->flags & SLAB_RED_ZONE))
			zero = orig;    /* the rest is red zone now */
	}
	if (gfp & __GFP_ZERO)
		memset(obj, 0, zero);
	return obj;
}

void slab_free_slow(struct kmem_cache *s, void *obj, unsigned long caller)
{
	/* Before the object is back where others can take it. */
	if (s->flags & SLAB_DEBUG_FLAGS)
		slab_debug_free(s, obj, caller);
	unsigned long flags = local_irq_save();
	struct array_cache *ac = this_cpu_ptr(s->cpu_cache);
	if (unlikely(ac->avail >= ac->limit))
		cache_flusharray(s, ac);
	ac->entry[ac->avail++] = obj;
	local_irq_restore(flags);
}
