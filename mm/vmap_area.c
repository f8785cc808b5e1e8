/*
 * The vmalloc region's address-range allocator: every area (vmalloc, vmap,
 * ioremap) is a struct vm_struct on one list sorted by address; a new area
 * takes the first gap big enough for it plus its guard page ("first fit").
 * Finding a gap is O(areas), which is fine for the tens of areas a teaching
 * kernel has; Linux keeps the same information in red-black trees of busy
 * and free ranges to make it O(log n).
 *
 * The area descriptors themselves come from whole pages of the buddy
 * allocator, carved into descriptors and kept on a free list (vmalloc must
 * not depend on kmalloc, which sits above the page allocator beside it).
 * Those pages are never returned: a few KiB at most.
 */
#include <pagoda/vmalloc.h>
#include <pagoda/gfp.h>
#include <pagoda/errno.h>
#include <pagoda/mm.h>
#include <pagoda/panic.h>
#include <pagoda/preempt.h>
#include <pagoda/printk.h>
#include <pagoda/spinlock.h>
#include <pagoda/string.h>
#include "vmalloc_internal.h"

/*
 * The area list, the descriptors, the region's page tables. Taken with
 * interrupts on, and never in an interrupt handler: unmapping shoots the
 * TLB down on every CPU while holding it (mm/tlb.c), and a CPU spinning on
 * it with interrupts off could not answer that IPI. So every entry point
 * may wait (might_sleep): none may be called from an interrupt handler or
 * with a spinlock held.
 */
static DEFINE_SPINLOCK(vmap_lock);
static LIST_HEAD(vmap_areas);
static LIST_HEAD(free_descs);
static unsigned long nr_areas;

static struct vm_struct *desc_alloc(void)
{
	if (list_empty(&free_descs)) {
		struct vm_struct *d = (struct vm_struct *)__get_free_page(GFP_ATOMIC | __GFP_NOWARN);
		if (!d)
			return NULL;
		for (unsigned int i = 0; i < PAGE_SIZE / sizeof(*d); i++)
			list_add_tail(&d[i].list, &free_descs);
	}
	struct vm_struct *d = list_first_entry(&free_descs, struct vm_struct, list);
	list_del(&d->list);
	memset(d, 0, sizeof(*d));
	return d;
}

static void desc_free(struct vm_struct *d)
{
	list_add(&d->list, &free_descs);
}

struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags, const void *caller)
{
	struct vm_struct *area;

	might_sleep();
	size = PAGE_ALIGN(size);
	if (!size)
		return NULL;
	spin_lock(&vmap_lock);
	area = size <= VMALLOC_END - VMALLOC_START ? desc_alloc() : NULL;
	if (area) {
		area->size = size;
		area->flags = flags;
		area->caller = caller;
		if (vmap_insert_first_fit(&vmap_areas, area, VMALLOC_START, VMALLOC_END)) {
			desc_free(area);
			area = NULL;
		} else {
			nr_areas++;
		}
	}
	spin_unlock(&vmap_lock);
	if (!area)
		pr_warn("vmalloc: no room for %lu KiB in %p-%p (caller %pS)\n", size >> 10,
			(void *)VMALLOC_START, (void *)VMALLOC_END, caller);
	return area;
}

/* Unmap (flushing the TLB), unlink and recycle; vmap_lock held. */
static void __free_vm_area(struct vm_struct *area)
{
	unmap_pages(swapper_pg_dir, area->addr, area->size);
	list_del(&area->list);
	nr_areas--;
	desc_free(area);
}

void free_vm_area(struct vm_struct *area)
{
	spin_lock(&vmap_lock);
	__free_vm_area(area);
	spin_unlock(&vmap_lock);
}

int remove_vm_area(const void *addr, unsigned long kind, struct vm_struct *removed)
{
	struct vm_struct *a;
	int err = -ENOENT;

	might_sleep();          /* the shootdown waits for the other CPUs */
	/* Find and unlink under one lock hold, so that two CPUs freeing the
	 * same address cannot both succeed. */
	spin_lock(&vmap_lock);
	list_for_each_entry(a, &vmap_areas, list) {
		if (a->addr != (unsigned long)addr)
			continue;
		*removed = *a;
		if (a->flags & kind) {
			__free_vm_area(a);
			err = 0;
		} else {
			err = -EINVAL;
		}
		break;
	}
	spin_unlock(&vmap_lock);
	return err;
}

struct vm_struct *find_vm_area(const void *addr)
{
	struct vm_struct *a, *found = NULL;
	spin_lock(&vmap_lock);
	list_for_each_entry(a, &vmap_areas, list) {
		if (a->addr == (unsigned long)addr) {
			found = a;
			break;
		}
	}
	spin_unlock(&vmap_lock);
	return found;
}

/* One walk per page table, then consecutive slots: 512 (1024) PTEs per walk. */
static int map_area(struct vm_struct *area, phys_addr_t phys, pteval_t prot)
{
	/* LAB(4) BEGIN: write one PTE per page of the area into swapper_pg_dir */
	unsigned long addr = area->addr;
	pteval_t *pte = NULL;
	int err = 0;

	spin_lock(&vmap_lock);
	for (unsigned long i = 0; i < area->size >> PAGE_SHIFT; i++, addr += PAGE_SIZE) {
		if (!pte || pt_index(addr, PT_LEVELS - 1) == 0) {
			pte = pt_lookup_create(swapper_pg_dir, addr);
			if (!pte) {
				err = -ENOMEM;
				break;
			}
		} else {
			pte++;
		}
		phys_addr_t pa = area->pages ? page_to_phys(area->pages[i]) : phys + ((phys_addr_t)i << PAGE_SHIFT);
		set_pte(pte, ((pteval_t)pa | prot) & __supported_pte_mask);
	}
	spin_unlock(&vmap_lock);
	return err;
	/* LAB(4) STUB
	int err = -ENOSYS;

	spin_lock(&vmap_lock);
	spin_unlock(&vmap_lock);
	return err;
	*/
	/* LAB(4) END */
}

/*
 * map_area holds vmap_lock, a spinlock, while it may create page tables,
 * and a table page from the allocator is GFP_KERNEL: it may sleep, which no
 * spinlock holder may do (gfp.h). So tables come from this CPU's stash
 * (asm/pgtable.h), filled before the lock is taken. The first try uses
 * only the tables that exist, as almost every call can; if it lacked one,
 * the stash gets the most the area can need and map_area runs again (it
 * rewrites the same PTEs).
 */
static int map_area_prealloc(struct vm_struct *area, phys_addr_t phys, pteval_t prot)
{
	might_sleep();
	pgtable_stash_begin();
	int err = map_area(area, phys, prot);
	if (err == -ENOMEM && pgtable_stash_short()) {
		err = pgtable_stash_fill(pt_tables_spanned(area->addr, area->size));
		if (!err)
			err = map_area(area, phys, prot);
	}
	pgtable_stash_end();
	return err;
}

int vmap_area_pages(struct vm_struct *area, pteval_t prot)
{
	return map_area_prealloc(area, 0, prot);
}

int ioremap_page_range(struct vm_struct *area, phys_addr_t phys, pteval_t prot)
{
	area->phys_addr = phys;
	return map_area_prealloc(area, phys, prot);
}

const struct vm_struct *vm_area_lookup_fault(unsigned long addr, bool *in_guard)
{
	const struct vm_struct *a;
	list_for_each_entry(a, &vmap_areas, list) {
		if (addr - a->addr < a->size) {
			*in_guard = false;
			return a;
		}
		if (addr - a->addr - a->size < PAGE_SIZE) {
			*in_guard = true;
			return a;
		}
	}
	return NULL;
}

const char *vm_area_kind(const struct vm_struct *area)
{
	if (area->flags & VM_IOREMAP)
		return "ioremap";
	if (area->flags & VM_MAP)
		return "vmap";
	return "vmalloc";
}

unsigned long vmalloc_nr_areas(void)
{
	return nr_areas;
}

/* Every page of every vmalloc (VM_ALLOC) area, under the area lock (the
 * `memmap` picture of physical memory). fn must not allocate or print. */
void vmalloc_for_each_page(void (*fn)(struct page *page, void *arg), void *arg)
{
	const struct vm_struct *a;
	spin_lock(&vmap_lock);
	list_for_each_entry(a, &vmap_areas, list)
		if ((a->flags & VM_ALLOC) && a->pages)
			for (unsigned int i = 0; i < a->nr_pages; i++)
				fn(a->pages[i], arg);
	spin_unlock(&vmap_lock);
}

void vm_area_for_each(void (*fn)(const struct vm_struct *area, void *arg), void *arg)
{
	const struct vm_struct *a;
	spin_lock(&vmap_lock);
	list_for_each_entry(a, &vmap_areas, list)
		fn(a, arg);
	spin_unlock(&vmap_lock);
}
