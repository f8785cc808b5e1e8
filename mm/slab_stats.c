/*
 * The read-only view of the slab caches (<pagoda/slab_stats.h>): snapshots
 * for the monitor, so that nothing outside mm/ needs struct kmem_cache.
 */
#include <pagoda/slab_stats.h>
#include <pagoda/smp.h>
#include "slab.h"

static void snapshot(const struct kmem_cache *s, struct slab_cache_info *i)
{
	i->name = s->name;
	i->object_size = s->object_size;
	i->size = s->size;
	i->objects = s->objects;
	i->order = s->order;
	i->inuse = READ_ONCE(s->inuse);
	i->cpu_objects = cache_cpu_objects(s);
	i->nr_slabs = READ_ONCE(s->nr_slabs);
	i->dma = s->flags & SLAB_CACHE_DMA;
	i->is_static = s->is_static;
}

void slab_for_each_cache(void (*fn)(const struct slab_cache_info *info, void *arg), void *arg)
{
	const struct kmem_cache *s;
	struct slab_cache_info info;
	unsigned long flags;
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(s, &slab_caches, list) {
		snapshot(s, &info);
		fn(&info, arg);
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}

unsigned long slab_cpu_objects(int cpu)
{
	unsigned long n = 0;
	const struct kmem_cache *s;
	unsigned long flags;
	if (cpu < 0 || cpu >= NR_CPUS)
		return 0;
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(s, &slab_caches, list)
		n += READ_ONCE(per_cpu_ptr(s->cpu_cache, cpu)->avail);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return n;
}
