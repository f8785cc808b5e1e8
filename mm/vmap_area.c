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
#include <pagoda/cmdline.h>
#include <pagoda/tlbflush.h>
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
static unsigned long nr_areas, desc_pages;
static unsigned long lazy_pages, lazy_entries, nr_purges;        /* see purge_lazy */
static void purge_lazy(void);

static struct vm_struct *desc_alloc(void)
{
	if (list_empty(&free_descs)) {
		struct vm_struct *d = (struct vm_struct *)__get_free_page(GFP_ATOMIC | __GFP_NOWARN);
		if (!d)
			return NULL;
		desc_pages++;
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
		int err = vmap_insert_first_fit(&vmap_areas, area, VMALLOC_START, VMALLOC_END);
		if (err && lazy_entries) {
			purge_lazy();   /* short of room: the pending addresses first */
			err = vmap_insert_first_fit(&vmap_areas, area, VMALLOC_START, VMALLOC_END);
		}
		if (err) {
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

/*
 * Lazy freeing, as Linux does it. An area being freed has its PTEs cleared
 * at once, but no TLB is flushed: the area stays on the list as
 * VM_LAZY_FREE, holding its addresses so that nothing new is mapped there
 * while a CPU may still translate them. When the pending pages pass a
 * threshold (Linux's lazy_max_pages), or first fit finds no room, one
 * shootdown covers every pending area and their addresses are free again.
 * The region's page tables are never freed: the next areas reuse them.
 *
 * The window this leaves: until the purge, a CPU (the freeing one too) that
 * still has an entry cached can reach the freed pages through the old
 * address. Only a use after free does that; vmalloc_debug closes the window
 * (a shootdown at every free, and no reuse of a stale address is possible
 * either way).
 *
 * Pending areas next to each other are merged into one list entry (the
 * guard page between them included), so first fit, which walks the list,
 * does not slow down with every vfree; the entries that stay apart are
 * bounded by LAZY_MAX_ENTRIES.
 */
#define VM_LAZY_FREE 0x100
#define LAZY_MAX_ENTRIES 32

bool vmalloc_debug;
CMDLINE_FLAG(vmalloc_debug, vmalloc_debug,
	     "vfree/vunmap/iounmap shoot every CPU's TLB down at once instead of lazily (docs/vm.md)");

/* Linux allows 32 MiB (times log2 of the CPUs); i386's 112 MiB region
 * cannot spare that much, so at most an eighth of the region. */
static unsigned long lazy_max_pages(void)
{
	unsigned long eighth = (VMALLOC_END - VMALLOC_START) >> (PAGE_SHIFT + 3);
	unsigned long linux_max = (32UL << 20) >> PAGE_SHIFT;
	return eighth < linux_max ? eighth : linux_max;
}

/* One shootdown over the span of every pending area, then release them;
 * vmap_lock held. */
static void purge_lazy(void)
{
	unsigned long start = ~0UL, end = 0;
	struct vm_struct *a, *n;

	if (!lazy_entries)
		return;
	list_for_each_entry(a, &vmap_areas, list) {
		if (!(a->flags & VM_LAZY_FREE))
			continue;
		if (a->addr < start)
			start = a->addr;
		if (a->addr + a->size > end)
			end = a->addr + a->size;
	}
	/* Only now may the addresses be mapped again: no CPU still holds them. */
	flush_tlb_kernel_range(start, end);
	list_for_each_entry_safe(a, n, &vmap_areas, list) {
		if (a->flags & VM_LAZY_FREE) {
			list_del(&a->list);
			desc_free(a);
		}
	}
	lazy_pages = lazy_entries = 0;
	nr_purges++;
}

/* If a pending area ends (with its guard page) where b starts, make it
 * cover b too and recycle b's descriptor. */
static bool lazy_merge(struct vm_struct *a, struct vm_struct *b)
{
	if (!(a->flags & b->flags & VM_LAZY_FREE) || a->addr + a->size + PAGE_SIZE != b->addr)
		return false;
	a->size += PAGE_SIZE + b->size;
	list_del(&b->list);
	desc_free(b);
	lazy_entries--;
	return true;
}

/* Unmap, then either flush every CPU and recycle (vmalloc_debug) or leave
 * the area pending for the next purge; vmap_lock held. */
static void __free_vm_area(struct vm_struct *area)
{
	unmap_pages_noflush(swapper_pg_dir, area->addr, area->size);
	nr_areas--;
	if (vmalloc_debug) {
		flush_tlb_kernel_range(area->addr, area->addr + area->size);
		list_del(&area->list);
		desc_free(area);
		return;
	}
	area->flags = VM_LAZY_FREE;
	area->pages = NULL;
	area->nr_pages = 0;
	lazy_pages += area->size >> PAGE_SHIFT;
	lazy_entries++;
	if (area->list.prev != &vmap_areas) {
		struct vm_struct *prev = list_entry(area->list.prev, struct vm_struct, list);
		if (lazy_merge(prev, area))
			area = prev;
	}
	if (area->list.next != &vmap_areas)
		lazy_merge(area, list_entry(area->list.next, struct vm_struct, list));
	if (lazy_entries > LAZY_MAX_ENTRIES || lazy_pages > lazy_max_pages())
		purge_lazy();
}

void free_vm_area(struct vm_struct *area)
{
	spin_lock(&vmap_lock);
	__free_vm_area(area);
	spin_unlock(&vmap_lock);
}

void vm_unmap_aliases(void)
{
	might_sleep();
	spin_lock(&vmap_lock);
	purge_lazy();
	spin_unlock(&vmap_lock);
}

void vmalloc_lazy_stats(struct vmalloc_lazy_stats *s)
{
	spin_lock(&vmap_lock);
	s->pending_entries = lazy_entries;
	s->pending_pages = lazy_pages;
	s->max_pages = lazy_max_pages();
	s->purges = nr_purges;
	s->desc_pages = desc_pages;
	s->debug = vmalloc_debug;
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
		if (a->addr != (unsigned long)addr || (a->flags & VM_LAZY_FREE))
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
		if (a->addr == (unsigned long)addr && !(a->flags & VM_LAZY_FREE)) {
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
		if (a->flags & VM_LAZY_FREE)
			continue;
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
		if (!(a->flags & VM_LAZY_FREE))
			fn(a, arg);
	spin_unlock(&vmap_lock);
}
