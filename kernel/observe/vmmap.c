/*
 * `vmmap <pid>` and `pmap <pid>`: a process's virtual address space and
 * where its pages live physically, as lines a script can parse, for the
 * pictures of tools/vmmap.py (`make vmmap`, docs/labs/README.md "Pictures"):
 *
 *   vmmap-begin <arch> <pid> <comm> <bits> <page-table levels>
 *   vmmap: <first> <last> <kind> [detail]     0x-hex, inclusive, sorted
 *   vmmap-split <TASK_SIZE>                   where the kernel half begins
 *   vmmap-end <regions>
 *
 * The regions tile the whole address space once, from 0 to the last byte:
 * every gap between the kernel's areas is printed too (hole), so a reader
 * never guesses. Kinds: user (a VMA: perms, name, backing), unmapped (user
 * half, no VMA), noncanonical (x86_64), direct-map, kernel-text,
 * kernel-rodata, kernel-data, kernel-bss, vmalloc, pkmap (i386), fixmap,
 * hole. Every bound comes from the kernel's own symbols and layout macros,
 * never from a table in the script.
 *
 *   pmap-begin <arch> <pid> <comm> <max_pfn>
 *   pmap-zone: <name> <start_pfn> <end_pfn>   as memmap-zone
 *   pmap: <va> <pfn> <zone> <rw|ro> <vma name>  one per present user page
 *   pmap-end <pages>
 */
#include <asm/fixmap.h>
#include <asm/pgtable.h>
#include <pagoda/highmem_stats.h>
#include <pagoda/mm.h>
#include <pagoda/mm_user.h>
#include <pagoda/mmzone.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/sched.h>
#include <pagoda/sections.h>
#include <pagoda/sprintf.h>
#include "monitor_internal.h"

#define ADDR_W ((int)sizeof(long) * 2)

static const char *arch_name(void)
{
	return BITS_PER_LONG == 64 ? "x86_64" : "i386";
}

/* Prints regions in order and fills the gaps before each with `hole` (or
 * `unmapped` below TASK_SIZE); next is the first byte not yet printed. */
struct vmmap_out {
	unsigned long next;
	bool done;                      /* the last byte of the address space is printed */
	int regions;
};

static void emit(struct vmmap_out *o, unsigned long first, unsigned long last, const char *kind, const char *detail)
{
	printk("vmmap: 0x%0*lx 0x%0*lx %s%s%s\n", ADDR_W, first, ADDR_W, last, kind, detail ? " " : "",
	       detail ? detail : "");
	o->regions++;
	o->next = last + 1;
	o->done = last == ~0UL;
}

/* [start, end) with end 0 meaning the top of the address space. */
static void region(struct vmmap_out *o, unsigned long start, unsigned long end, const char *kind, const char *detail)
{
	if (o->done || start < o->next || (end && end <= start))
		return;                 /* empty, or inside what is printed: kept honest by the test */
	if (start > o->next) {
		if (o->next < TASK_SIZE && start <= TASK_SIZE)
			emit(o, o->next, start - 1, "unmapped", NULL);
		else
			emit(o, o->next, start - 1, "hole", NULL);
	}
	emit(o, start, end - 1, kind, detail);
}

static void user_regions(struct vmmap_out *o, struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	list_for_each_entry(vma, &mm->mmap, vm_list) {
		char detail[64];
		snprintf(detail, sizeof(detail), "%c%c%c%c %s %s", vma->vm_flags & VM_READ ? 'r' : '-',
			 vma->vm_flags & VM_WRITE ? 'w' : '-', vma->vm_flags & VM_EXEC ? 'x' : '-',
			 vma->vm_flags & VM_SHARED ? 's' : 'p', vma->vm_name ? vma->vm_name : "[anon]",
			 vma->vm_flags & VM_IO ? "device" : vma->vm_memobj ? "memobj" : "anon");
		region(o, vma->vm_start, vma->vm_end, "user", detail);
	}
	if (o->next < TASK_SIZE)
		emit(o, o->next, TASK_SIZE - 1, "unmapped", NULL);
}

/* The kernel half's areas, sorted by address: the image may sit inside the
 * direct map (i386), which is then printed around it. */
struct karea {
	unsigned long start, end;       /* end 0: the top */
	const char *kind, *detail;
};

static void no_pkmap_entry(const struct pkmap_info *info, void *arg)
{
}

static int kernel_areas(struct karea *a)
{
	unsigned long dm_start = PAGE_OFFSET;
	u64 ram = (u64)max_pfn << PAGE_SHIFT, limit = direct_map_limit();
	unsigned long dm_bytes = (unsigned long)(ram < limit ? ram : limit);
	unsigned long dm_end = dm_start + dm_bytes;
	unsigned long img_start = (unsigned long)_text & PAGE_MASK, img_end = PAGE_ALIGN((unsigned long)_end);
	int n = 0;

#ifdef NONCANONICAL_START
	a[n++] = (struct karea){ NONCANONICAL_START, NONCANONICAL_END, "noncanonical", NULL };
#endif
	if (img_start >= dm_start && img_end <= dm_end) {
		a[n++] = (struct karea){ dm_start, img_start, "direct-map", "lowmem" };
		a[n++] = (struct karea){ img_end, dm_end, "direct-map", "lowmem" };
	} else {
		a[n++] = (struct karea){ dm_start, dm_end, "direct-map", "all-RAM" };
	}
	a[n++] = (struct karea){ img_start, (unsigned long)_srodata, "kernel-text", NULL };
	a[n++] = (struct karea){ (unsigned long)_srodata, (unsigned long)_sdata, "kernel-rodata", NULL };
	a[n++] = (struct karea){ (unsigned long)_sdata, (unsigned long)__bss_start, "kernel-data", NULL };
	a[n++] = (struct karea){ (unsigned long)__bss_start, img_end, "kernel-bss", NULL };
	a[n++] = (struct karea){ VMALLOC_START, VMALLOC_END, "vmalloc", "vmalloc/vmap/ioremap" };
	struct pkmap_stats pk;
	pkmap_for_each(no_pkmap_entry, NULL, &pk);
	if (pk.size)
		a[n++] = (struct karea){ pk.base, pk.base + pk.size * PAGE_SIZE, "pkmap", "kmap" };
	a[n++] = (struct karea){ FIXADDR_START, FIXADDR_START + FIXADDR_SIZE, "fixmap", "kmap_local/apic/early" };
	/* Insertion sort by start: a handful of entries. */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && a[j].start < a[j - 1].start; j--) {
			struct karea t = a[j];
			a[j] = a[j - 1];
			a[j - 1] = t;
		}
	return n;
}

static int cmd_vmmap(int argc, char **argv)
{
	(void)argc;
	char comm[TASK_COMM_LEN];
	int pid;
	struct mm_struct *mm = monitor_task_mm_comm(argv[1], comm, &pid);
	if (!mm)
		return MON_FAILED;
	struct vmmap_out o = { 0 };
	struct karea areas[16];
	int n = kernel_areas(areas);

	printk("vmmap-begin %s %d %s %d %d\n", arch_name(), pid, comm, BITS_PER_LONG,
	       PT_LEVELS);
	mutex_lock(&mm->mmap_lock);
	user_regions(&o, mm);
	mutex_unlock(&mm->mmap_lock);
	for (int i = 0; i < n; i++)
		region(&o, areas[i].start, areas[i].end, areas[i].kind, areas[i].detail);
	if (!o.done)
		emit(&o, o.next, ~0UL, "hole", NULL);
	printk("vmmap-split 0x%0*lx\n", ADDR_W, TASK_SIZE);
	printk("vmmap-end %d\n", o.regions);
	mmput(mm);
	return MON_OK;
}
MONITOR_CMD(vmmap, cmd_vmmap, "<pid|name>",
	    "a process's whole virtual address space as regions: VMAs, holes, direct map, image, vmalloc, pkmap, fixmap (tools/vmmap.py draws it)");

struct pmap_walk {
	struct vm_area_struct *vma;
	unsigned long pages;
};

static void pmap_one(unsigned long va, unsigned long pfn, pteval_t pte, void *arg)
{
	struct pmap_walk *w = arg;
	const char *zone = pfn_valid(pfn) ? page_zone(pfn_to_page(pfn))->name : "device";
	printk("pmap: 0x%0*lx %lu %s %s %s\n", ADDR_W, va, pfn, zone, pte & _PAGE_RW ? "rw" : "ro",
	       w->vma->vm_name ? w->vma->vm_name : "[anon]");
	w->pages++;
}

static int cmd_pmap(int argc, char **argv)
{
	(void)argc;
	char comm[TASK_COMM_LEN];
	int pid;
	struct mm_struct *mm = monitor_task_mm_comm(argv[1], comm, &pid);
	if (!mm)
		return MON_FAILED;
	struct pmap_walk w = { 0 };
	struct zone *z;

	printk("pmap-begin %s %d %s %lu\n", arch_name(), pid, comm, max_pfn);
	for_each_zone(z)
		if (z->spanned_pages)
			printk("pmap-zone: %s %lu %lu\n", z->name, z->zone_start_pfn, zone_end_pfn(z));
	mutex_lock(&mm->mmap_lock);
	list_for_each_entry(w.vma, &mm->mmap, vm_list)
		for_each_user_page(mm, w.vma->vm_start, w.vma->vm_end, pmap_one, &w);
	mutex_unlock(&mm->mmap_lock);
	printk("pmap-end %lu\n", w.pages);
	mmput(mm);
	return MON_OK;
}
MONITOR_CMD(pmap, cmd_pmap, "<pid|name>", "where a process's pages live: each present user page's address, pfn and zone (tools/vmmap.py)");
