/*
 * vmalloc: virtually contiguous kernel memory built from scattered pages.
 *
 * The region [VMALLOC_START, VMALLOC_END) is handed out in areas; each area
 * is followed by one unmapped guard page, so running off its end faults at
 * once with a report naming the area and who allocated it. vmalloc fills an
 * area with order-0 pages from the buddy allocator (highmem pages too on
 * i386: they are mapped by pfn, no direct-map address needed); vmap maps
 * pages the caller already has; ioremap (<pagoda/io.h>) maps device memory.
 *
 * Compared with kmalloc: vmalloc memory is not physically contiguous (no
 * DMA without a scatter list), costs page-table entries, a TLB entry per 4
 * KiB page and an area descriptor, and a TLB shootdown per batch of vfrees
 * (batched lazily; vmalloc_debug flushes at every vfree). Use it for
 * large buffers that only the CPU touches.
 *
 * Every function here may take a spinlock and allocate pages: process
 * context (or at least not interrupt context). vmalloc_to_page and
 * is_vmalloc_addr are fine anywhere.
 */
#ifndef PAGODA_VMALLOC_H
#define PAGODA_VMALLOC_H

#include <pagoda/gfp.h>
#include <pagoda/list.h>
#include <pagoda/types.h>
#include <asm/pgtable.h>

struct page;

/* What an area holds: the vmallocinfo kinds. */
#define VM_ALLOC   0x1          /* vmalloc: pages owned by the area */
#define VM_MAP     0x2          /* vmap: the caller's pages */
#define VM_IOREMAP 0x4          /* ioremap: device memory, no struct page */

struct vm_struct {
	struct list_head list;          /* in the address-sorted area list */
	unsigned long addr;             /* first mapped byte */
	unsigned long size;             /* mapped bytes; the guard page follows */
	unsigned long flags;            /* VM_* */
	struct page **pages;            /* VM_ALLOC, VM_MAP: nr_pages entries */
	unsigned int nr_pages;
	unsigned int pages_order;       /* VM_ALLOC: 0 kmalloc'd array, else its order + 1 */
	phys_addr_t phys_addr;          /* VM_IOREMAP: physical start */
	const void *caller;             /* who asked: for vmallocinfo and fault reports */
};

/* size bytes (rounded up to pages), mapped read-write, NX. NULL on failure
 * (size 0, no address range, no pages). */
void *vmalloc(unsigned long size);
/* The same, zero-filled. */
void *vzalloc(unsigned long size);
/* Unmap and free what vmalloc/vzalloc returned. The pages go back at once;
 * the address range is kept until a later batched TLB shootdown (see
 * vm_unmap_aliases), or shot down at once with the vmalloc_debug option.
 * vfree(NULL) does nothing. */
void vfree(const void *addr);
/* Shoot every lazily freed area's addresses out of every CPU's TLB now and
 * release them (Linux's name). After it returns, no CPU translates an
 * address that vfree, vunmap or iounmap gave back. May wait: process context. */
void vm_unmap_aliases(void);
/* The same with an explicit caller recorded (for wrappers). */
void *__vmalloc_caller(unsigned long size, gfp_t gfp, const void *caller);

/* Map count pages contiguously with prot (PAGE_KERNEL usually); the pages
 * stay the caller's. vunmap removes the mapping, leaving the pages. */
void *vmap(struct page **pages, unsigned int count, unsigned long flags, pteval_t prot);
void vunmap(const void *addr);

/* The page (pfn) behind a vmalloc/vmap address, NULL (0) if none. */
struct page *vmalloc_to_page(const void *addr);
unsigned long vmalloc_to_pfn(const void *addr);

static inline bool is_vmalloc_addr(const void *x)
{
	unsigned long a = (unsigned long)x;
	return a >= VMALLOC_START && a < VMALLOC_END;
}

/*
 * The address-range layer under vmalloc, vmap and ioremap: reserve size
 * bytes (a page multiple) plus a guard page; map nothing. free_vm_area
 * unmaps whatever was mapped in it and releases the range: at the next lazy
 * purge (at once with vmalloc_debug), like vfree.
 */
struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags, const void *caller);
void free_vm_area(struct vm_struct *area);
/* The area starting exactly at addr, or NULL. */
struct vm_struct *find_vm_area(const void *addr);
/* If an area of one of the kinds (VM_*) starts at addr: unmap it (this CPU's
 * TLB flushed; the others' at the next lazy purge, or at once with
 * vmalloc_debug), copy it to *removed and return 0. Otherwise
 * -ENOENT (no area starts there) or -EINVAL (an area of another kind, copied
 * to *removed for the report). The pages are the caller's business. */
int remove_vm_area(const void *addr, unsigned long kind, struct vm_struct *removed);
/* For the page-fault report: the area whose guard page holds addr, or whose
 * mapped range holds it. No lock, so only for reports (a fault on the way to
 * panic, the monitor's `pt`), never for decisions. */
const struct vm_struct *vm_area_lookup_fault(unsigned long addr, bool *in_guard);

/* "vmalloc", "vmap" or "ioremap". */
const char *vm_area_kind(const struct vm_struct *area);
/* Call fn on every area (vmalloc, vmap, ioremap) in address order, with
 * the area lock held: fn may printk but must not allocate, map or unmap
 * (the `vmallocinfo` command). */
void vm_area_for_each(void (*fn)(const struct vm_struct *area, void *arg), void *arg);
/* Call fn on every page of every vmalloc area (not vmap's, not ioremap's),
 * with the area lock held: fn must not allocate or take that lock. */
void vmalloc_for_each_page(void (*fn)(struct page *page, void *arg), void *arg);
/* The number of areas (vmalloc, vmap, ioremap) in use now (tests, benchmarks). */
unsigned long vmalloc_nr_areas(void);

/* The lazy purge's state (vmallocinfo, tests). */
struct vmalloc_lazy_stats {
	unsigned long pending_entries;  /* freed areas (neighbours merged), held until the purge */
	unsigned long pending_pages;
	unsigned long max_pages;        /* a purge runs when pending_pages passes this */
	unsigned long purges;           /* purges so far (each one shootdown) */
	unsigned long desc_pages;       /* area descriptor pages, kept for good */
	bool debug;                     /* vmalloc_debug: no lazy freeing */
};
void vmalloc_lazy_stats(struct vmalloc_lazy_stats *s);

#endif
