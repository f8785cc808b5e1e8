/*
 * Monitor commands to watch and poke the kernel heap: slabinfo, kmalloc,
 * kfree, ksize, and bench_slab (TSC cycles per operation, parsed by
 * tools/bench/slab_bench.sh).
 */
#include <pagoda/mm.h>
#include <pagoda/monitor.h>
#include <pagoda/monitor_args.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/slab_stats.h>
#include <pagoda/smp.h>
#include <pagoda/string.h>
#include <asm/processor.h>
#include "monitor_internal.h"

struct slab_totals {
	unsigned long pages, hidden;
};

static void show_cache(const struct slab_cache_info *c, void *arg)
{
	struct slab_totals *t = arg;
	/* Unused DMA caches would only be noise. */
	if (c->dma && c->is_static && !c->nr_slabs) {
		t->hidden++;
		return;
	}
	printk("slabinfo: %-18s %7u %6u %9u %5u %8lu %8lu %6lu %6lu %4lu\n", c->name, c->object_size, c->size,
	       c->objects, c->order, c->inuse - c->cpu_objects, c->nr_slabs * c->objects, c->nr_slabs,
	       c->nr_slabs << c->order, c->cpu_objects);
	t->pages += c->nr_slabs << c->order;
}

static void slabinfo_show(void)
{
	struct slab_totals t = { 0, 0 };
	printk("slabinfo: %-18s %7s %6s %9s %5s %8s %8s %6s %6s %4s\n", "name", "objsize", "stride", "objs/slab",
	       "order", "active", "total", "slabs", "pages", "cpu");
	slab_for_each_cache(show_cache, &t);
	printk("slabinfo: %lu pages (%lu KiB) in slabs; %lu empty dma-kmalloc caches not shown; %s\n", t.pages,
	       t.pages * (PAGE_SIZE / 1024), t.hidden, slab_debug ? "slab_debug on" : "slab_debug off");
	/* The `cpu` column split by CPU: each stack belongs to one CPU. */
	int cpu;
	printk("slabinfo: free objects in per-CPU stacks:");
	for_each_online_cpu(cpu)
		printk(KERN_CONT " cpu%d %lu", cpu, slab_cpu_objects(cpu));
	printk(KERN_CONT "\n");
}

static int cmd_slabinfo(int argc, char **argv)
{
	slabinfo_show();
	return 0;
}
MONITOR_CMD(slabinfo, cmd_slabinfo, "",
	    "slab caches: object size, objects per slab, active/total objects, slabs, pages, per-CPU count");

static void describe(const void *p)
{
	size_t size;
	const char *why = kmalloc_check_pointer(p, &size);
	if (ZERO_OR_NULL_PTR(p))
		why = p ? "ZERO_SIZE_PTR (what kmalloc(0) returns): ksize 0" : "NULL: ksize 0";
	if (why) {
		printk("%p: %s\n", p, why);
		return;
	}
	struct page *page = virt_to_page(p);
	printk("%p: phys %#llx, pfn %#lx, ksize %zu, %s\n", p, (unsigned long long)__pa(p), page_to_pfn(page), size,
	       PageSlab(page) ? kmem_cache_name(page->slab_cache) : "large kmalloc (buddy block)");
}

static int cmd_kmalloc(int argc, char **argv)
{
	unsigned long long size;
	if (mon_arg_size("size", argv[1], 0, (size_t)-1, &size))
		return MON_USAGE;
	void *p = kmalloc((size_t)size, GFP_KERNEL | __GFP_NOWARN);
	if (!p) {
		printk("kmalloc(%llu) failed: no memory for it\n", size);
		return MON_FAILED;
	}
	if (p == ZERO_SIZE_PTR) {
		printk("kmalloc(0) = ZERO_SIZE_PTR %p: not NULL, but touching it faults\n", p);
		return MON_OK;
	}
	if (mon_obj_add(MON_KMALLOC, (unsigned long)p, ksize(p))) {
		kfree(p);
		return MON_FAILED;
	}
	printk("kmalloc(%llu) = ", size);
	describe(p);
	return MON_OK;
}
MONITOR_CMD(kmalloc, cmd_kmalloc, "<size>", "allocate size bytes (suffixes K M G) and show where they went");

/* Only what the kmalloc command returned: anything else belongs to someone
 * who will use or free it again. */
static int cmd_kfree(int argc, char **argv)
{
	unsigned long addr, start;
	if (mon_arg_addr("address", argv[1], &addr))
		return MON_USAGE;
	size_t size;
	const char *why = kmalloc_check_pointer((void *)addr, &size);
	if (mon_obj_del(MON_KMALLOC, addr)) {
		kfree((void *)addr);
		printk("kfree %lx: freed %zu bytes\n", addr, size);
		return MON_OK;
	}
	if (ZERO_OR_NULL_PTR((void *)addr))
		printk("kfree %lx: refused: NULL or ZERO_SIZE_PTR: kfree would do nothing\n", addr);
	else if ((start = mon_obj_containing(MON_KMALLOC, addr)))
		printk("kfree %lx: refused: inside the object at %lx that the kmalloc command made; free that address\n",
		       addr, start);
	else if (why)
		printk("kfree %lx: refused: %s\n", addr, why);
	else
		printk("kfree %lx: refused: a live kmalloc object (%zu bytes), not created by the monitor\n", addr,
		       size);
	return MON_FAILED;
}
MONITOR_CMD(kfree, cmd_kfree, "<addr>", "free what the kmalloc command returned (nothing else)");

static int cmd_ksize(int argc, char **argv)
{
	unsigned long addr;
	if (mon_arg_addr("address", argv[1], &addr))
		return MON_USAGE;
	describe((void *)addr);
	return MON_OK;
}
MONITOR_CMD(ksize, cmd_ksize, "<addr>", "usable size and cache of a kmalloc'ed address");

/* ---- bench_slab ------------------------------------------------------------ */

static void *bench_ptrs[1000];

static u64 slab_bench_pairs(size_t size, unsigned long iters)
{
	kfree(kmalloc(size, GFP_KERNEL));       /* warm: refill the CPU stack */
	u64 t0 = rdtsc();
	for (unsigned long i = 0; i < iters; i++)
		kfree(kmalloc(size, GFP_KERNEL));
	return (rdtsc() - t0) / iters;
}

static int cmd_bench_slab(int argc, char **argv)
{
	unsigned long flags = local_irq_save();     /* no timer ticks inside the loops */
	u64 hot = slab_bench_pairs(64, 100000);
	u64 t0 = rdtsc();
	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 1000; i++)
			bench_ptrs[i] = kmalloc(64, GFP_KERNEL);
		for (int i = 0; i < 1000; i++)
			kfree(bench_ptrs[i]);
	}
	u64 batch = (rdtsc() - t0) / (20 * 2000);
	u64 k4 = slab_bench_pairs(4096, 20000);
	u64 large = slab_bench_pairs(150 * 1000, 5000);
	local_irq_restore(flags);
	printk("bench_slab: kmalloc64_pair %llu cycles/pair\n", hot);
	printk("bench_slab: batch1000_64 %llu cycles/op\n", batch);
	printk("bench_slab: kmalloc4096_pair %llu cycles/pair\n", k4);
	printk("bench_slab: kmalloc150k_pair %llu cycles/pair\n", large);
	return 0;
}
MONITOR_CMD(bench_slab, cmd_bench_slab, "", "TSC cycles per kmalloc/kfree (64 B hot, 1000-batch, 4 KiB, 150 KB)");
