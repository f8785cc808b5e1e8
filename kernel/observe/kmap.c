/*
 * Monitor commands for temporary mappings: kmaps (what is mapped now),
 * kmap/kunmap by pfn (a pkmap entry that outlives the command), kmap_local
 * (map, show, unmap within the command) and bench_kmap (TSC cycles).
 */
#include <pagoda/gfp.h>
#include <pagoda/highmem.h>
#include <pagoda/highmem_stats.h>
#include <pagoda/monitor.h>
#include <pagoda/monitor_args.h>
#include <pagoda/printk.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include <asm/processor.h>
#include "monitor_internal.h"

static void show_local(const struct kmap_local_info *m, void *arg)
{
	if (m->slot >= 0)
		printk("kmaps: local  cpu %d depth %2d  slot %3d  %p  pfn %#lx  %s\n", m->cpu, m->depth, m->slot,
		       (void *)m->vaddr, m->pfn, m->atomic ? "atomic" : "local");
	else
		printk("kmaps: local  cpu %d depth %2d  (lowmem) %p  pfn %#lx  %s\n", m->cpu, m->depth,
		       (void *)m->vaddr, m->pfn, m->atomic ? "atomic" : "local");
}

static void show_pkmap(const struct pkmap_info *e, void *arg)
{
	printk("kmaps: pkmap  entry %4d  %p  pfn %#lx  refcount %d\n", e->entry, (void *)e->vaddr, e->pfn,
	       e->refcount);
}

static void show_kmaps(void)
{
	struct pkmap_stats st;
	if (!kmap_local_for_each(show_local, NULL))
		printk("kmaps: no kmap_local/kmap_atomic mapping held\n");
	pkmap_for_each(show_pkmap, NULL, &st);
	if (!st.size)
		printk("kmaps: no pkmap pool on x86_64: every page is in the direct map\n");
	else
		printk("kmaps: pkmap %p-%p: %u of %u entries held, %u unused awaiting the lazy flush, %lu flushes\n",
		       (void *)st.base, (void *)(st.base + st.size * PAGE_SIZE), st.held, st.size, st.lazy,
		       st.flushes);
}

static int cmd_kmaps(int argc, char **argv)
{
	show_kmaps();
	return 0;
}
MONITOR_CMD(kmaps, cmd_kmaps, "", "live kmap_local/kmap_atomic slots and pkmap entries: slot, address, pfn, refcount");

/* The page argument, or NULL after saying why: *status is what the command returns. */
static struct page *arg_page(const char *arg, int *status)
{
	unsigned long pfn;
	*status = MON_USAGE;
	if (mon_arg_pfn("page", arg, &pfn))
		return NULL;
	*status = MON_FAILED;
	if (!pfn_valid(pfn)) {
		printk("%s: pfn %#lx is beyond max_pfn %#lx\n", monitor_current(), pfn, max_pfn);
		return NULL;
	}
	struct page *page = pfn_to_page(pfn);
	if (PageReserved(page)) {
		printk("%s: pfn %#lx is reserved (a hole or firmware): not mapping it\n", monitor_current(), pfn);
		return NULL;
	}
	return page;
}

static int cmd_kmap(int argc, char **argv)
{
	int status;
	struct page *page = arg_page(argv[1], &status);
	if (!page)
		return status;
	if (mon_obj_add(MON_KMAP, page_to_pfn(page), 1))
		return MON_FAILED;
	void *va = kmap(page);
	printk("kmap(pfn %#lx) = %p%s\n", page_to_pfn(page), va,
	       PageHighMem(page) ? " (pkmap entry)" : " (lowmem: the direct map)");
	return MON_OK;
}
MONITOR_CMD(kmap, cmd_kmap, "<phys|pfn:N>", "kmap a page and keep the mapping (kunmap releases it)");

/* Only a reference the kmap command took: kunmap of a page nobody mapped
 * is a BUG, and someone else's reference is theirs to drop. */
static int cmd_kunmap(int argc, char **argv)
{
	unsigned long pfn;
	if (mon_arg_pfn("page", argv[1], &pfn))
		return MON_USAGE;
	if (!mon_obj_del(MON_KMAP, pfn)) {
		printk("kunmap pfn %#lx: refused: the kmap command holds no mapping of it ('held' lists them)\n", pfn);
		return MON_FAILED;
	}
	kunmap(pfn_to_page(pfn));
	printk("kunmap(pfn %#lx) done\n", pfn);
	return MON_OK;
}
MONITOR_CMD(kunmap, cmd_kunmap, "<phys|pfn:N>", "drop one reference the kmap command took (nothing else)");

/* Map, show the slot and its page-table walk, unmap: a kmap_local mapping
 * cannot outlive the command that made it. */
static int cmd_kmap_local(int argc, char **argv)
{
	int status;
	struct page *page = arg_page(argv[1], &status);
	if (!page)
		return status;
	char *va = kmap_local_page(page);
	char line[40];
	printk("kmap_local_page(pfn %#lx) = %p\n", page_to_pfn(page), va);
	show_kmaps();
	snprintf(line, sizeof(line), "pt %lx", (unsigned long)va);
	monitor_exec(line);
	kunmap_local(va);
	return 0;
}
MONITOR_CMD(kmap_local, cmd_kmap_local, "<phys|pfn:N>", "map a page with kmap_local_page, show kmaps and pt, unmap");

/* TSC cycles per call or pair. On x86_64, or i386 without highmem, the
 * "high" page is a lowmem page. */
struct kmap_bench {
	bool highmem;                   /* the "high" page really is highmem */
	u64 page_address;               /* page_address() of a lowmem page */
	u64 local_low, local_high;      /* kmap_local_page + kunmap_local */
	u64 kmap_same;                  /* kmap + kunmap of one page, over and over */
	u64 kmap_fresh;                 /* kmap + kunmap of a new page each time */
};

/*
 * The kmap_local loops run with interrupts off (no timer tick inside them;
 * kmap_local may be called in any context). The kmap loops run with
 * interrupts on, as kmap requires (mm/highmem_32.c, docs/smp.md): kmap_lock
 * is held across the pool's TLB shootdown, so a CPU spinning on it with
 * interrupts off could never answer that IPI. Their figures include the
 * odd timer tick.
 */
static void kmap_bench(struct kmap_bench *b)
{
	enum { ITERS = 20000, FRESH = 2048 };         /* twice the i386 pool: it wraps */
	struct page *low = alloc_page(GFP_KERNEL), *high = alloc_page(GFP_HIGHUSER);
	static struct page *fresh[FRESH];
	volatile unsigned long sink = 0;
	u64 t0;

	memset(b, 0, sizeof(*b));
	if (!low || !high)
		goto out;
	b->highmem = PageHighMem(high);
	unsigned long flags = local_irq_save();         /* no timer ticks inside the loops */

	t0 = rdtsc();
	for (int i = 0; i < ITERS; i++)
		sink += (unsigned long)page_address(low);
	b->page_address = (rdtsc() - t0) / ITERS;

	t0 = rdtsc();
	for (int i = 0; i < ITERS; i++) {
		unsigned long *p = kmap_local_page(low);
		sink += *p;
		kunmap_local(p);
	}
	b->local_low = (rdtsc() - t0) / ITERS;

	t0 = rdtsc();
	for (int i = 0; i < ITERS; i++) {
		unsigned long *p = kmap_local_page(high);
		sink += *p;
		kunmap_local(p);
	}
	b->local_high = (rdtsc() - t0) / ITERS;
	local_irq_restore(flags);

	/* The same page again and again: its pkmap entry is found and reused. */
	t0 = rdtsc();
	for (int i = 0; i < ITERS; i++) {
		unsigned long *p = kmap(high);
		sink += *p;
		kunmap(high);
	}
	b->kmap_same = (rdtsc() - t0) / ITERS;

	/* A new page each time: a free entry, a PTE, and every LAST_PKMAP maps
	 * a flush of the whole pool. */
	int n = 0;
	while (n < FRESH && (fresh[n] = alloc_page(GFP_HIGHUSER | __GFP_NOWARN)))
		n++;
	if (n) {
		t0 = rdtsc();
		for (int i = 0; i < n; i++) {
			unsigned long *p = kmap(fresh[i]);
			sink += *p;
			kunmap(fresh[i]);
		}
		b->kmap_fresh = (rdtsc() - t0) / n;
	}
	while (n)
		__free_page(fresh[--n]);
out:
	if (low)
		__free_page(low);
	if (high)
		__free_page(high);
	(void)sink;
}

static int cmd_bench_kmap(int argc, char **argv)
{
	struct kmap_bench b;
	kmap_bench(&b);
	printk("bench_kmap: TSC cycles per pair (page is %s)\n", b.highmem ? "highmem" : "lowmem: no highmem here");
	printk("bench_kmap: page_address (lowmem)              %6llu\n", (unsigned long long)b.page_address);
	printk("bench_kmap: kmap_local_page+kunmap_local low   %6llu\n", (unsigned long long)b.local_low);
	printk("bench_kmap: kmap_local_page+kunmap_local high  %6llu\n", (unsigned long long)b.local_high);
	printk("bench_kmap: kmap+kunmap, same page             %6llu\n", (unsigned long long)b.kmap_same);
	printk("bench_kmap: kmap+kunmap, a new page each time  %6llu\n", (unsigned long long)b.kmap_fresh);
	return 0;
}
MONITOR_CMD(bench_kmap, cmd_bench_kmap, "", "TSC cycles: kmap_local_page/kmap pairs beside page_address");
