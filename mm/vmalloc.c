/*
 * vmalloc and vmap: scattered pages made virtually contiguous.
 *
 * vmalloc(size) takes an address range (mm/vmap_area.c), allocates order-0
 * pages one at a time from the buddy allocator (any zone, highmem included:
 * a PTE holds a pfn, so a page without a direct-map address is as good as
 * any), and writes one PTE per page into swapper_pg_dir. No other address
 * space needs updating: the region's top-level entries were created at boot
 * (vmalloc_init) and every address space copies them (mm/pgd.c), so they all
 * share the tables below.
 *
 * vfree clears the range's PTEs and flushes this CPU's TLB at once, gives
 * the pages back, and leaves the other CPUs' TLBs to a batched lazy purge
 * (mm/vmap_area.c), as Linux does; the address range is not reused before
 * that purge. The region's page tables stay for the next area.
 */
#include <pagoda/init.h>
#include <pagoda/vmalloc.h>
#include <pagoda/errno.h>
#include <pagoda/gfp.h>
#include <pagoda/mm.h>
#include <pagoda/panic.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include "vmalloc_internal.h"

/* The smallest order whose block holds bytes. */
static unsigned int order_for(unsigned long bytes)
{
	unsigned int order = 0;
	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

/*
 * The array of page pointers: from kmalloc while it fits in a page (a
 * 4 KiB vmalloc needs 8 bytes of it, not a whole page), else whole pages.
 * pages_order says which: 0 for kmalloc, the block's order + 1 otherwise.
 */
static struct page **pages_array_alloc(struct vm_struct *area, unsigned long nr)
{
	unsigned long bytes = nr * sizeof(struct page *);
	if (bytes <= PAGE_SIZE) {
		area->pages_order = 0;
		return kmalloc(bytes, GFP_KERNEL | __GFP_NOWARN);
	}
	unsigned int order = order_for(bytes);
	area->pages_order = order + 1;
	return (struct page **)__get_free_pages(GFP_KERNEL | __GFP_NOWARN, order);
}

static void free_pages_array(struct vm_struct *area, unsigned int allocated)
{
	for (unsigned int i = 0; i < allocated; i++)
		__free_page(area->pages[i]);
	if (area->pages_order)
		free_pages((unsigned long)area->pages, area->pages_order - 1);
	else
		kfree(area->pages);
}

void *__vmalloc_caller(unsigned long size, gfp_t gfp, const void *caller)
{
	unsigned long nr = PFN_UP(size);
	unsigned int i = 0;
	struct vm_struct *area;

	if (!size || nr > (PAGE_SIZE << MAX_PAGE_ORDER) / sizeof(struct page *)) {
		pr_warn("vmalloc: refusing size %lu (caller %pS)\n", size, caller);
		return NULL;
	}
	area = get_vm_area_caller(nr << PAGE_SHIFT, VM_ALLOC, caller);
	if (!area)
		return NULL;
	area->pages = pages_array_alloc(area, nr);
	if (!area->pages)
		goto fail_area;
	for (; i < nr; i++) {
		/* Highmem is fine: mapped by pfn (a no-op zone hint on x86_64). */
		area->pages[i] = alloc_page(gfp | __GFP_HIGHMEM | __GFP_NOWARN);
		if (!area->pages[i])
			goto fail_pages;
	}
	area->nr_pages = nr;
	if (vmap_area_pages(area, PAGE_KERNEL))
		goto fail_pages;
	return (void *)area->addr;

fail_pages:
	pr_warn("vmalloc: allocation failure: %lu bytes, %u of %lu pages (caller %pS)\n",
		size, i, nr, caller);
	{
		struct vm_struct copy = *area;  /* free_vm_area recycles the descriptor */
		free_vm_area(area);             /* unmaps whatever was mapped, flushes */
		if (copy.pages)
			free_pages_array(&copy, i);
	}
	return NULL;
fail_area:
	free_vm_area(area);
	return NULL;
}

void *vmalloc(unsigned long size)
{
	return __vmalloc_caller(size, GFP_KERNEL, __builtin_return_address(0));
}

void *vzalloc(unsigned long size)
{
	return __vmalloc_caller(size, GFP_KERNEL | __GFP_ZERO, __builtin_return_address(0));
}

/* Remove the area at addr if it is of the given kind; report misuse by name. */
static bool remove_area_or_report(const void *addr, unsigned long kind, const char *fn,
				  const void *caller, struct vm_struct *removed)
{
	int err = remove_vm_area(addr, kind, removed);
	if (err) {
		printk(KERN_ERR "%s: %p is not the start of a %s area%s%s (caller %pS)\n", fn, addr,
		       kind == VM_ALLOC ? "vmalloc" : "vmap", err == -EINVAL ? ", it is " : "",
		       err == -EINVAL ? vm_area_kind(removed) : "", caller);
		WARN_ON(1);
	}
	return !err;
}

void vfree(const void *addr)
{
	struct vm_struct area;
	if (!addr)
		return;
	/* Unmapped first. Another CPU may still hold a stale TLB entry until
	 * the lazy purge, but only a use after free would follow it; the
	 * address is not mapped again before the purge (vmalloc_debug: no
	 * window at all). */
	if (remove_area_or_report(addr, VM_ALLOC, "vfree", __builtin_return_address(0), &area))
		free_pages_array(&area, area.nr_pages);
}

void *vmap(struct page **pages, unsigned int count, unsigned long flags, pteval_t prot)
{
	if (!count)
		return NULL;
	struct vm_struct *area = get_vm_area_caller((unsigned long)count << PAGE_SHIFT, VM_MAP | flags,
						    __builtin_return_address(0));
	if (!area)
		return NULL;
	area->pages = pages;
	area->nr_pages = count;
	if (vmap_area_pages(area, prot)) {
		free_vm_area(area);
		return NULL;
	}
	return (void *)area->addr;
}

void vunmap(const void *addr)
{
	struct vm_struct area;
	if (addr)
		remove_area_or_report(addr, VM_MAP, "vunmap", __builtin_return_address(0), &area);
}

struct page *vmalloc_to_page(const void *addr)
{
	unsigned long pfn = vmalloc_to_pfn(addr);
	return pfn && pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;
}

unsigned long vmalloc_to_pfn(const void *addr)
{
	struct pt_walk w;
	if (!is_vmalloc_addr(addr))
		return 0;
	pt_walk(swapper_pg_dir, (unsigned long)addr, &w);
	return w.present ? PFN_DOWN(w.phys) : 0;
}

void vmalloc_init(void)
{
	pgtable_use_page_allocator();
	int n = pt_prealloc_top_level(swapper_pg_dir, VMALLOC_START, VMALLOC_END);
	if (n < 0)
		panic("vmalloc: no memory for the region's page tables");
	pr_info("vmalloc: %p-%p (%lu MiB), %d %s tables preallocated and shared by every address space\n",
		(void *)VMALLOC_START, (void *)VMALLOC_END, (VMALLOC_END - VMALLOC_START) >> 20, n,
		pt_level_name(1));
}
