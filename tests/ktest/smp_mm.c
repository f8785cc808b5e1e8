/*
 * The allocators under real contention: every online CPU runs the same
 * storm at once (smp_run_on_all_cpus), checking what it sees as it goes,
 * then the boot CPU checks the whole: the buddy consistency checker, and
 * the free-page count equal to what it was before. Each also passes on
 * one CPU, where "another CPU" is the same one.
 *
 * The CPUs never call KTEST_* themselves: they count problems per CPU and
 * keep the first one's description; the boot CPU reports.
 */
#include <pagoda/errno.h>
#include <pagoda/highmem.h>
#include <pagoda/ktest.h>
#include <pagoda/mm.h>
#include <pagoda/nofault.h>
#include <pagoda/printk.h>
#include <pagoda/set_memory.h>
#include <pagoda/slab.h>
#include <pagoda/smp.h>
#include <pagoda/spinlock.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <pagoda/time.h>
#include <pagoda/tlbflush.h>
#include <pagoda/vmalloc.h>
#include <asm/processor.h>

static unsigned long errors[NR_CPUS];
static char first_error[160];
static DEFINE_SPINLOCK(error_lock);

__printf(2, 3) static void storm_error(int cpu, const char *fmt, ...)
{
	unsigned long flags;
	errors[cpu]++;
	spin_lock_irqsave(&error_lock, flags);
	if (!first_error[0]) {
		va_list ap;
		va_start(ap, fmt);
		int n = snprintf(first_error, sizeof(first_error), "cpu %d: ", cpu);
		vsnprintf(first_error + n, sizeof(first_error) - n, fmt, ap);
		va_end(ap);
	}
	spin_unlock_irqrestore(&error_lock, flags);
}

/* Every cache on every CPU emptied: free pages comparable before and after.
 * The vmalloc region's page tables and area descriptors, kept for good,
 * count as free. */
static unsigned long settled_free_pages(void)
{
	struct vmalloc_lazy_stats l;
	kmem_cache_shrink_all();
	drain_all_pages();
	vmalloc_lazy_stats(&l);
	return nr_free_pages() + pgtable_pages_allocated() + l.desc_pages;
}

/* ---- a barrier for CPUs that must move in steps ---------------------------- */

struct step_barrier {
	unsigned int arrived;
	unsigned int generation;
	bool broken;                    /* a CPU timed out: nobody waits any more */
};

/* Wait until every online CPU has arrived. Interrupts stay on: a CPU
 * waiting here answers IPIs (the shootdowns the others send). */
static bool step_wait(struct step_barrier *b, int cpu)
{
	unsigned int gen = __atomic_load_n(&b->generation, __ATOMIC_ACQUIRE);
	if (__atomic_add_fetch(&b->arrived, 1, __ATOMIC_ACQ_REL) == num_online_cpus()) {
		__atomic_store_n(&b->arrived, 0, __ATOMIC_RELAXED);
		__atomic_add_fetch(&b->generation, 1, __ATOMIC_RELEASE);
		return true;
	}
	u64 deadline = ktime_get_ns() + 20ULL * 1000000000;
	while (__atomic_load_n(&b->generation, __ATOMIC_ACQUIRE) == gen) {
		if (READ_ONCE(b->broken))
			return false;
		if (ktime_get_ns() > deadline) {
			storm_error(cpu, "timed out waiting for the other CPUs at a step");
			WRITE_ONCE(b->broken, true);
			return false;
		}
		cpu_relax();
	}
	return true;
}

static struct step_barrier storm_gate;

static void storm_begin(unsigned long *free)
{
	memset(&storm_gate, 0, sizeof(storm_gate));
	memset(errors, 0, sizeof(errors));
	first_error[0] = '\0';
	*free = settled_free_pages();
}

static void storm_end(struct ktest *t, unsigned long free_before, const char *what)
{
	unsigned long total = 0;
	int cpu;
	for_each_online_cpu(cpu)
		total += errors[cpu];
	if (total)
		ktest_fail_msg(t, __FILE__, __LINE__, "%lu problems in the %s; the first: %s", total, what,
			       first_error);
	KTEST_EXPECT_EQ(t, buddy_check(), 0);
	unsigned long after = settled_free_pages();
	printk("# %s on %u CPUs: %lu free pages before, %lu after\n", what, num_online_cpus(), free_before,
	       after);
	KTEST_EXPECT_EQ(t, after, free_before);
}

/* ---- a spinlock on every CPU at once ---------------------------------------- */

#define COUNT_ITERS 500
static DEFINE_SPINLOCK(count_lock);
static volatile unsigned long shared_count;
static unsigned long per_cpu_done[NR_CPUS];

/* A read-modify-write that is not atomic: only the lock keeps increments
 * from being lost when CPUs interleave. Few iterations: under TCG with more
 * vCPUs than host cores, each hand-over of a fair (ticket) lock may wait
 * for the next waiter's vCPU to be scheduled (docs/smp.md). */
static struct step_barrier count_start;

static void count_under_lock(void *arg, int cpu)
{
	if (!step_wait(&count_start, cpu))      /* all at once, or it proves nothing */
		return;
	for (int i = 0; i < COUNT_ITERS; i++) {
		unsigned long flags;
		spin_lock_irqsave(&count_lock, flags);
		unsigned long v = shared_count;
		arch_cpu_relax();
		shared_count = v + 1;
		spin_unlock_irqrestore(&count_lock, flags);
		per_cpu_done[cpu]++;
	}
}

static void lock_excludes_all_cpus(struct ktest *t)
{
	shared_count = 0;
	memset(per_cpu_done, 0, sizeof(per_cpu_done));
	memset(&count_start, 0, sizeof(count_start));
	memset(errors, 0, sizeof(errors));
	smp_run_on_all_cpus(count_under_lock, NULL);
	unsigned int cpus = num_online_cpus();
	printk("# %u CPUs, %lu increments under count_lock\n", cpus, shared_count);
	KTEST_EXPECT_EQ(t, shared_count, (unsigned long)cpus * COUNT_ITERS);
	int cpu;
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, per_cpu_done[cpu], (unsigned long)COUNT_ITERS);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&count_lock));
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, errors[cpu], 0);    /* nobody timed out at the start */
}

/* ---- page alloc/free across orders ----------------------------------------- */



/* Iterations shared out among the CPUs: the boots with more CPUs (more
 * vCPU threads than host cores) take no longer than the others. */
#define PAGE_ITERS 16000
#define PAGE_HELD 12

static unsigned long page_tag(int cpu, int iter)
{
	return 0x5a000000UL | ((unsigned long)cpu << 16) | (unsigned long)iter;
}

static void check_and_free(int cpu, struct page *p, unsigned int order, unsigned long tag)
{
	unsigned long *first = page_address(p);
	unsigned long *last = (unsigned long *)((char *)first + (PAGE_SIZE << order)) - 1;
	if (*first != tag || *last != tag)
		storm_error(cpu, "order-%u block pfn %#lx: tag %#lx/%#lx, wrote %#lx (shared with another CPU?)", order,
			    page_to_pfn(p), *first, *last, tag);
	__free_pages(p, order);
}

static void page_storm_cpu(void *arg, int cpu)
{
	if (!step_wait(&storm_gate, cpu))
		return;
	struct page *held[PAGE_HELD] = { 0 };
	unsigned int order[PAGE_HELD];
	unsigned long tag[PAGE_HELD];
	int iters = PAGE_ITERS / (int)num_online_cpus();
	for (int i = 0; i < iters; i++) {
		int slot = (i * 5 + cpu) % PAGE_HELD;
		if (held[slot])
			check_and_free(cpu, held[slot], order[slot], tag[slot]);
		order[slot] = (unsigned int)(i * 7 + cpu * 3) % 5 == 4 ? 4 : (unsigned int)(i * 7 + cpu * 3) % 4;
		held[slot] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order[slot]);
		if (!held[slot]) {
			storm_error(cpu, "order-%u allocation failed at iteration %d", order[slot], i);
			continue;
		}
		if (held[slot]->_refcount != 1 || (held[slot]->flags & ((1UL << PG_buddy) | (1UL << PG_pcp))))
			storm_error(cpu, "pfn %#lx handed out with refcount %d flags %#lx", page_to_pfn(held[slot]),
				    held[slot]->_refcount, held[slot]->flags);
		tag[slot] = page_tag(cpu, i);
		unsigned long *first = page_address(held[slot]);
		*first = tag[slot];
		*((unsigned long *)((char *)first + (PAGE_SIZE << order[slot])) - 1) = tag[slot];
	}
	for (int s = 0; s < PAGE_HELD; s++)
		if (held[s])
			check_and_free(cpu, held[s], order[s], tag[s]);
}

static void page_alloc_storm(struct ktest *t)
{
	unsigned long free;
	storm_begin(&free);
	smp_run_on_all_cpus(page_storm_cpu, NULL);
	storm_end(t, free, "page storm");
}

/* ---- kmalloc/kfree with frees on another CPU ------------------------------- */

#define RING_SLOTS 32
#define KMALLOC_ITERS 12000

struct handover {
	void *obj;
	size_t size;
	u8 fill;
	u8 from;
};

struct ring {
	spinlock_t lock;
	unsigned int head, tail;        /* head - tail items */
	struct handover slot[RING_SLOTS];
};
static struct ring rings[NR_CPUS];

static bool ring_put(struct ring *r, const struct handover *h)
{
	unsigned long flags;
	bool ok;
	spin_lock_irqsave(&r->lock, flags);
	ok = r->head - r->tail < RING_SLOTS;
	if (ok)
		r->slot[r->head++ % RING_SLOTS] = *h;
	spin_unlock_irqrestore(&r->lock, flags);
	return ok;
}

static bool ring_get(struct ring *r, struct handover *h)
{
	unsigned long flags;
	bool ok;
	spin_lock_irqsave(&r->lock, flags);
	ok = r->head != r->tail;
	if (ok)
		*h = r->slot[r->tail++ % RING_SLOTS];
	spin_unlock_irqrestore(&r->lock, flags);
	return ok;
}

static void check_and_kfree(int cpu, const struct handover *h)
{
	const u8 *p = h->obj;
	for (size_t i = 0; i < h->size; i++)
		if (p[i] != h->fill) {
			storm_error(cpu, "object %p (%zu bytes from cpu %u): byte %zu is %#x, not %#x", h->obj, h->size,
				    h->from, i, p[i], h->fill);
			break;
		}
	if (ksize(h->obj) < h->size)
		storm_error(cpu, "object %p: ksize %zu < %zu", h->obj, ksize(h->obj), h->size);
	kfree(h->obj);
}

static const size_t storm_sizes[] = { 8, 64, 100, 192, 512, 1000, 2048, 64, 32, 4096 };

static void kmalloc_storm_cpu(void *arg, int cpu)
{
	if (!step_wait(&storm_gate, cpu))
		return;
	/* Give to the next CPU, take from the previous one. */
	int ncpu = (int)num_online_cpus();
	struct ring *out = &rings[(cpu + 1) % ncpu], *in = &rings[cpu];
	for (int i = 0; i < KMALLOC_ITERS / ncpu; i++) {
		struct handover h = {
			.size = storm_sizes[(i + cpu) % ARRAY_SIZE(storm_sizes)],
			.fill = (u8)(i * 13 + cpu * 71 + 1),
			.from = (u8)cpu,
		};
		h.obj = kmalloc(h.size, GFP_KERNEL);
		if (!h.obj) {
			storm_error(cpu, "kmalloc(%zu) failed at iteration %d", h.size, i);
			continue;
		}
		memset(h.obj, h.fill, h.size);
		if (!ring_put(out, &h))
			check_and_kfree(cpu, &h);       /* ring full: free it here */
		struct handover got;
		if (ring_get(in, &got))
			check_and_kfree(cpu, &got);
	}
}

static void kmalloc_cross_cpu_storm(struct ktest *t)
{
	unsigned long free;
	for (int i = 0; i < NR_CPUS; i++) {
		spin_lock_init(&rings[i].lock);
		rings[i].head = rings[i].tail = 0;
	}
	storm_begin(&free);
	smp_run_on_all_cpus(kmalloc_storm_cpu, NULL);
	struct handover h;
	unsigned long left = 0;
	for (int i = 0; i < NR_CPUS; i++)
		while (ring_get(&rings[i], &h)) {
			check_and_kfree(0, &h);
			left++;
		}
	printk("# %lu objects were still in the rings at the end\n", left);
	storm_end(t, free, "kmalloc storm");
}

/* ---- vmalloc/vfree: a freed mapping must fault on every CPU ----------------- */

/* Make the purge come from the lazy threshold, not from vm_unmap_aliases:
 * free one address range (no pages) larger than the threshold. */
static void vmalloc_purge_by_threshold(void)
{
	struct vmalloc_lazy_stats l;
	vmalloc_lazy_stats(&l);
	struct vm_struct *big = get_vm_area_caller((l.max_pages + 1) << PAGE_SHIFT, VM_MAP,
						   __builtin_return_address(0));
	if (big)
		free_vm_area(big);
	else
		vm_unmap_aliases();
}

#define VM_ROUNDS 24
static const unsigned int vm_pages[] = { 1, 3, FLUSH_TLB_CEILING + 8 };

struct vm_round {
	struct step_barrier bar;
	unsigned long *area;
	unsigned int pages;
	unsigned long stale_reads;      /* reads through a freed mapping that did not fault */
	unsigned long faults_seen;
};
static struct vm_round vmr;

static unsigned long vm_word(unsigned int round, unsigned int page)
{
	return 0xc0de0000UL | (round << 8) | page;
}

static void vm_storm_cpu(void *arg, int cpu)
{
	unsigned int ncpu = num_online_cpus();
	for (unsigned int r = 0; r < VM_ROUNDS; r++) {
		bool leader = r % ncpu == (unsigned int)cpu;
		if (leader) {
			unsigned int n = vm_pages[r % ARRAY_SIZE(vm_pages)];
			unsigned long *a = vmalloc(n * PAGE_SIZE);
			if (!a)
				storm_error(cpu, "vmalloc(%u pages) failed in round %u", n, r);
			for (unsigned int p = 0; a && p < n; p++)
				a[p * (PAGE_SIZE / sizeof(long))] = vm_word(r, p);
			vmr.pages = a ? n : 0;
			WRITE_ONCE(vmr.area, a);
		}
		if (!step_wait(&vmr.bar, cpu))
			return;
		/* Everyone reads every page: now each CPU's TLB holds the mapping. */
		unsigned long *a = READ_ONCE(vmr.area);
		for (unsigned int p = 0; a && p < vmr.pages; p++)
			if (a[p * (PAGE_SIZE / sizeof(long))] != vm_word(r, p))
				storm_error(cpu, "round %u page %u: read %#lx", r, p, a[p * (PAGE_SIZE / sizeof(long))]);
		if (!step_wait(&vmr.bar, cpu))
			return;
		if (leader && a) {
			vfree(a);       /* unmaps, frees the pages; the flush is lazy */
			if (r % 2 == 0)
				vm_unmap_aliases();     /* the purge, by hand */
			else
				vmalloc_purge_by_threshold();
		}
		if (!step_wait(&vmr.bar, cpu))
			return;
		/* The purge returned only after every CPU flushed: a read now
		 * must fault, on every CPU, never see the old data. */
		for (unsigned int p = 0; a && p < vmr.pages; p++) {
			unsigned long v;
			if (read_kernel_nofault(&v, &a[p * (PAGE_SIZE / sizeof(long))])) {
				__atomic_add_fetch(&vmr.faults_seen, 1, __ATOMIC_RELAXED);
				continue;
			}
			__atomic_add_fetch(&vmr.stale_reads, 1, __ATOMIC_RELAXED);
			storm_error(cpu, "round %u: freed vmalloc page %u at %p still readable (%#lx): stale TLB entry", r,
				    p, (void *)&a[p * (PAGE_SIZE / sizeof(long))], v);
		}
		if (!step_wait(&vmr.bar, cpu))
			return;
	}
}

static void vmalloc_shootdown_storm(struct ktest *t)
{
	unsigned long free;
	vfree(vmalloc(PAGE_SIZE));      /* the vmap descriptor page, kept for good */
	memset(&vmr, 0, sizeof(vmr));
	struct tlb_stats s0, s1;
	storm_begin(&free);
	tlb_stats_read(&s0);
	smp_run_on_all_cpus(vm_storm_cpu, NULL);
	tlb_stats_read(&s1);
	unsigned long expect_faults = 0;
	for (unsigned int r = 0; r < VM_ROUNDS; r++)
		expect_faults += vm_pages[r % ARRAY_SIZE(vm_pages)];
	expect_faults *= num_online_cpus();
	printk("# %u CPUs: %lu reads of freed mappings faulted, %lu did not; %lu shootdowns, %lu IPIs, %lu pages\n",
	       num_online_cpus(), vmr.faults_seen, vmr.stale_reads, s1.shootdowns - s0.shootdowns, s1.ipis - s0.ipis,
	       s1.pages - s0.pages);
	KTEST_EXPECT_EQ(t, vmr.stale_reads, 0);
	KTEST_EXPECT_EQ(t, vmr.faults_seen, expect_faults);
	if (num_online_cpus() > 1)
		KTEST_EXPECT_GE(t, s1.shootdowns - s0.shootdowns, VM_ROUNDS);
	storm_end(t, free, "vmalloc storm");
}

/* The lazy purge of a range is one round of IPIs, not one per page, and
 * vfree itself sends none. */
static void vfree_is_one_shootdown(struct ktest *t)
{
	vm_unmap_aliases();
	void *p = vmalloc(20 * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, p);
	struct tlb_stats s0, s1, s2;
	tlb_stats_read(&s0);
	vfree(p);
	tlb_stats_read(&s1);
	vm_unmap_aliases();
	tlb_stats_read(&s2);
	KTEST_EXPECT_EQ(t, s1.shootdowns, s0.shootdowns);
	KTEST_EXPECT_EQ(t, s1.local_flushes, s0.local_flushes);
	unsigned int others = num_online_cpus() - 1;
	if (!others) {
		KTEST_EXPECT_EQ(t, s2.shootdowns, s1.shootdowns);
		KTEST_EXPECT_EQ(t, s2.local_flushes, s1.local_flushes + 1);
		return;
	}
	KTEST_EXPECT_EQ(t, s2.shootdowns, s1.shootdowns + 1);
	KTEST_EXPECT_EQ(t, s2.ipis, s1.ipis + others);
	KTEST_EXPECT_EQ(t, s2.pages, s1.pages + 20);
	int cpu;
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, s2.received[cpu], s1.received[cpu] + 1);
}

/* kmap's pool is flushed lazily, when it wraps around: that flush must
 * reach every CPU, or a CPU that once read through a pkmap address keeps
 * reading the old page after the entry went to another. i386 with highmem. */
struct pkmap_probe {
	const unsigned long *va;
	unsigned long value[NR_CPUS];
	int err[NR_CPUS];
};

static void pkmap_probe_read(void *info)
{
	struct pkmap_probe *pr = info;
	int cpu = smp_processor_id();
	pr->err[cpu] = read_kernel_nofault(&pr->value[cpu], pr->va);
}

static void pkmap_flush_reaches_every_cpu(struct ktest *t)
{
	unsigned int n = pkmap_pool_size();
	if (!n || !populated_zone(&zones[ZONE_HIGHMEM]) || zones[ZONE_HIGHMEM].free_pages < 2 * n) {
		ktest_skip(t, "needs kmap's pkmap pool and free highmem (i386, > 896 MiB)");
		return;
	}
	struct page *first = alloc_page(GFP_HIGHUSER);
	KTEST_ASSERT_NOT_NULL(t, first);
	KTEST_ASSERT_TRUE(t, PageHighMem(first));
	unsigned long *va = kmap(first);
	KTEST_ASSERT_NOT_NULL(t, va);
	*va = 0xfeedf00d;
	/* Every CPU reads it: now every TLB may hold the entry. */
	static struct pkmap_probe pr;
	pr.va = va;
	on_each_cpu(pkmap_probe_read, &pr, true);
	int cpu;
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, pr.err[cpu], 0);
		KTEST_EXPECT_EQ(t, pr.value[cpu], 0xfeedf00dUL);
	}
	kunmap(first);          /* lazily: the entry stays mapped until the pool wraps */

	/* Go once around the pool with other pages (held, so each is a new
	 * one and takes a new entry): the wrap flushes. */
	struct page **pages = kmalloc((n + 1) * sizeof(*pages), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, pages);
	struct tlb_stats s0, s1;
	tlb_stats_read(&s0);
	unsigned int got = 0;
	for (; got < n + 1; got++) {
		pages[got] = alloc_page(GFP_HIGHUSER);
		if (!pages[got])
			break;
		unsigned long *x = kmap(pages[got]);
		if (!x) {
			__free_page(pages[got]);
			break;
		}
		*x = 0x1000 + got;
		kunmap(pages[got]);
	}
	tlb_stats_read(&s1);
	for (unsigned int i = 0; i < got; i++)
		__free_page(pages[i]);
	kfree(pages);
	KTEST_EXPECT_EQ(t, got, n + 1);
	/* first keeps its old contents: a stale entry would show them. */
	on_each_cpu(pkmap_probe_read, &pr, true);
	unsigned long stale = 0;
	for_each_online_cpu(cpu)
		if (!pr.err[cpu] && pr.value[cpu] == 0xfeedf00dUL)
			stale++;
	__free_page(first);
	printk("# pkmap: %lu shootdowns while going around the pool; %lu CPUs still saw the old page\n",
	       s1.shootdowns - s0.shootdowns + s1.local_flushes - s0.local_flushes, stale);
	KTEST_EXPECT_EQ(t, stale, 0);
	KTEST_EXPECT_GE(t, s1.shootdowns - s0.shootdowns + s1.local_flushes - s0.local_flushes, 1);
}

/* set_memory_ro must reach every CPU's TLB: after it, no CPU may write,
 * even one that wrote through the page just before (its TLB holds a
 * writable entry until it is shot down). */
struct write_probe {
	unsigned long *page;
	int err[NR_CPUS];
};

static void write_probe(void *info)
{
	struct write_probe *wp = info;
	int cpu = smp_processor_id();
	wp->err[cpu] = write_kernel_nofault(&wp->page[cpu], 0xab00UL + (unsigned long)cpu);
}

static void set_memory_ro_reaches_every_cpu(struct ktest *t)
{
	static struct write_probe wp;
	int cpu;
	wp.page = vmalloc(PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, wp.page);
	on_each_cpu(write_probe, &wp, true);            /* now every TLB holds it writable */
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, wp.err[cpu], 0);
		KTEST_EXPECT_EQ(t, wp.page[cpu], 0xab00UL + (unsigned long)cpu);
	}
	KTEST_ASSERT_EQ(t, set_memory_ro((unsigned long)wp.page, 1), 0);
	memset(wp.err, 0, sizeof(wp.err));
	on_each_cpu(write_probe, &wp, true);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, wp.err[cpu], -EFAULT);
	KTEST_EXPECT_EQ(t, wp.page[0], 0xab00UL);        /* reads still work */
	KTEST_ASSERT_EQ(t, set_memory_rw((unsigned long)wp.page, 1), 0);
	on_each_cpu(write_probe, &wp, true);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, wp.err[cpu], 0);
	vfree(wp.page);
	static int not_vmalloc;
	KTEST_EXPECT_EQ(t, set_memory_ro((unsigned long)&not_vmalloc & PAGE_MASK, 1), -EINVAL);
}

/* The read that may fault really reads, and really survives a fault. */
static void read_nofault_works(struct ktest *t)
{
	static unsigned long word = 0x12345678;
	unsigned long v = 0;
	KTEST_EXPECT_EQ(t, read_kernel_nofault(&v, &word), 0);
	KTEST_EXPECT_EQ(t, v, 0x12345678UL);
	unsigned long before = this_cpu_read(nofault_faults);
	v = 7;
	KTEST_EXPECT_NE(t, read_kernel_nofault(&v, (void *)(VMALLOC_END - PAGE_SIZE)), 0);
	KTEST_EXPECT_EQ(t, v, 7UL);
	KTEST_EXPECT_EQ(t, this_cpu_read(nofault_faults), before + 1);
}

static struct ktest_case smp_mm_cases[] = {
	KTEST_CASE(read_nofault_works),
	KTEST_CASE(vfree_is_one_shootdown),
	KTEST_CASE(page_alloc_storm),
	KTEST_CASE(kmalloc_cross_cpu_storm),
	KTEST_CASE(vmalloc_shootdown_storm),
	KTEST_CASE(pkmap_flush_reaches_every_cpu),
	KTEST_CASE(set_memory_ro_reaches_every_cpu),
	KTEST_CASE(lock_excludes_all_cpus),
	{}
};
KTEST_SUITE(smp_mm, smp_mm_cases);
