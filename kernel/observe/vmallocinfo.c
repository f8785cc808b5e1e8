/*
 * `vmallocinfo`: every vmalloc, vmap and ioremap area, like /proc/vmallocinfo.
 */
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/vmalloc.h>

struct totals {
	unsigned long areas, bytes;
};

/* Like /proc/vmallocinfo: the range and size include the guard page. */
static void show_area(const struct vm_struct *a, void *arg)
{
	struct totals *t = arg;
	printk("%p-%p %9lu %pS", (void *)a->addr, (void *)(a->addr + a->size + PAGE_SIZE),
	       a->size + PAGE_SIZE, a->caller);
	if (a->nr_pages)
		printk(KERN_CONT " pages=%u", a->nr_pages);
	if (a->flags & VM_IOREMAP)
		printk(KERN_CONT " phys=%#llx", (unsigned long long)a->phys_addr);
	printk(KERN_CONT " %s\n", vm_area_kind(a));
	t->areas++;
	t->bytes += a->size;
}

static int cmd_vmallocinfo(int argc, char **argv)
{
	struct totals t = { 0, 0 };
	vm_area_for_each(show_area, &t);
	printk("%lu areas, %lu KiB mapped in %p-%p\n", t.areas, t.bytes >> 10,
	       (void *)VMALLOC_START, (void *)VMALLOC_END);
	struct vmalloc_lazy_stats l;
	vmalloc_lazy_stats(&l);
	if (l.debug)
		printk("freed areas shot down at once (vmalloc_debug)\n");
	else
		printk("lazy: %lu KiB freed (%lu runs of neighbours) wait for the TLB purge at %lu KiB; %lu purges so far\n",
		        l.pending_pages << (PAGE_SHIFT - 10), l.pending_entries, l.max_pages << (PAGE_SHIFT - 10),
		       l.purges);
	return 0;
}
MONITOR_CMD(vmallocinfo, cmd_vmallocinfo, "", "vmalloc/vmap/ioremap areas: range, size, caller, pages, kind");
