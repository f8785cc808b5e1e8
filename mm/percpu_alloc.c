/*
 * alloc_percpu (<pagoda/percpu.h>). The reserve is one per-CPU variable,
 * pcpu_dynamic, so every CPU's area has its own copy at the same offset; a
 * bitmap of 64-byte granules says which parts are handed out. An
 * allocation is the first run of free granules that fits (first fit: few,
 * long-lived objects such as slab caches and disk ports, so fragmentation
 * stays small).
 *
 * Pure code: the host tests compile it too (tests/host/slab_arena.h).
 */
#include <pagoda/percpu.h>
#include <pagoda/printk.h>
#include <pagoda/smp.h>
#include <pagoda/spinlock.h>
#include <pagoda/string.h>

#define PCPU_GRANULE 64
#define PCPU_GRANULES (PERCPU_DYNAMIC_SIZE / PCPU_GRANULE)
#define BITS_PER_UL (8 * sizeof(unsigned long))

static DEFINE_PER_CPU_ALIGNED(char [PERCPU_DYNAMIC_SIZE], pcpu_dynamic);
static unsigned long pcpu_map[PCPU_GRANULES / BITS_PER_UL];     /* 1: in use */
static unsigned short pcpu_len[PCPU_GRANULES];                   /* at an allocation's first granule */
static DEFINE_SPINLOCK(pcpu_lock);

static bool granule_used(unsigned int g)
{
	return pcpu_map[g / BITS_PER_UL] & (1UL << (g % BITS_PER_UL));
}

static void mark(unsigned int g, unsigned int n, bool used)
{
	for (unsigned int i = g; i < g + n; i++) {
		if (used)
			pcpu_map[i / BITS_PER_UL] |= 1UL << (i % BITS_PER_UL);
		else
			pcpu_map[i / BITS_PER_UL] &= ~(1UL << (i % BITS_PER_UL));
	}
}

void __percpu *__alloc_percpu(size_t size, size_t align)
{
	if (!size || align > PCPU_GRANULE)
		return NULL;
	unsigned int n = (size + PCPU_GRANULE - 1) / PCPU_GRANULE, run = 0;
	unsigned long flags;
	spin_lock_irqsave(&pcpu_lock, flags);
	for (unsigned int g = 0; g < PCPU_GRANULES; g++) {
		run = granule_used(g) ? 0 : run + 1;
		if (run < n)
			continue;
		unsigned int first = g + 1 - n;
		mark(first, n, true);
		pcpu_len[first] = n;
		spin_unlock_irqrestore(&pcpu_lock, flags);
		void *p = pcpu_dynamic + first * PCPU_GRANULE;
		for (int cpu = 0; cpu < NR_CPUS; cpu++)
			memset(per_cpu_ptr(p, cpu), 0, n * PCPU_GRANULE);
		return p;
	}
	spin_unlock_irqrestore(&pcpu_lock, flags);
	pr_err("alloc_percpu: no %zu bytes left in the %u-byte reserve\n", size, PERCPU_DYNAMIC_SIZE);
	return NULL;
}

void free_percpu(void __percpu *ptr)
{
	if (!ptr)
		return;
	unsigned long off = (unsigned long)ptr - (unsigned long)pcpu_dynamic;
	unsigned int g = off / PCPU_GRANULE;
	unsigned long flags;
	spin_lock_irqsave(&pcpu_lock, flags);
	if (off >= PERCPU_DYNAMIC_SIZE || off % PCPU_GRANULE || !pcpu_len[g]) {
		spin_unlock_irqrestore(&pcpu_lock, flags);
		pr_err("free_percpu: %p was not allocated by alloc_percpu\n", ptr);
		return;
	}
	mark(g, pcpu_len[g], false);
	pcpu_len[g] = 0;
	spin_unlock_irqrestore(&pcpu_lock, flags);
}

size_t percpu_dynamic_used(void)
{
	size_t n = 0;
	for (unsigned int g = 0; g < PCPU_GRANULES; g++)
		n += granule_used(g);
	return n * PCPU_GRANULE;
}
