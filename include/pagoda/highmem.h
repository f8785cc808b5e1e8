/*
 * Highmem: borrowing a kernel mapping for a page that may have none.
 *
 * On i386 only the first 896 MiB of RAM sit in the direct map (lowmem);
 * a page above (ZONE_HIGHMEM, PageHighMem) has a struct page but no
 * permanent kernel address, so page_address() returns NULL. To touch its
 * bytes the kernel maps it for a while, in one of three ways:
 *
 *   kmap_local_page / kunmap_local   a per-CPU stack of fixmap slots. Cheap
 *       (one PTE write; one invlpg on unmap), strictly LIFO, valid on the
 *       CPU that made it, for as long as the caller keeps it (it may nest
 *       up to KM_MAX_IDX deep, interrupt handlers included). The default.
 *   kmap_atomic / kunmap_atomic      the same slots, and the caller promises
 *       not to block while it holds one: the per-CPU atomic depth
 *       (in_atomic(), <pagoda/preempt.h>) is raised, and might_sleep() on a
 *       blocking path (submit_bio_wait, the AHCI command wait) stops the
 *       kernel with "BUG: sleeping function called from invalid context".
 *   kmap / kunmap                    the pkmap pool: LAST_PKMAP page-table
 *       entries below the fixmap, shared by every CPU, reference counted,
 *       in any order, for long-lived mappings. Slower (a lock and a search).
 *       When every entry is in use kmap first flushes entries nobody holds
 *       any more (lazily, with one TLB flush for all of them); if all are
 *       still held it prints an error and returns NULL. It never sleeps
 *       (waiting for an entry, as Linux does, is left for later).
 *
 * A lowmem page is already mapped: every call returns page_address() and
 * uses no slot and no PTE (kmap_local still counts it on the stack so that
 * the order and depth checks work in both builds). On x86_64 every page is
 * lowmem, so common code calls these everywhere it might meet a highmem
 * page and pays almost nothing.
 *
 * Misuse stops the kernel with a report and a backtrace:
 *   "BUG: kunmap_local out of order: ..."   not the innermost mapping
 *   "BUG: kmap_local stack overflow ..."    more than KM_MAX_IDX nested
 *   "BUG: kunmap of ... which is not mapped"  never mapped, or twice
 */
#ifndef PAGODA_HIGHMEM_H
#define PAGODA_HIGHMEM_H

#include <pagoda/mm.h>
#include <pagoda/preempt.h>
#include <pagoda/smp.h>
#include <pagoda/types.h>
#include <asm/kmap_size.h>
#include <asm/layout.h>

/* KM_MAX_IDX (asm/kmap_size.h): nested kmap_local/kmap_atomic per CPU.
 * LAST_PKMAP (asm/layout_*.h): kmap's pool size, 0 on x86_64. */

/* Map page on this CPU; returns its kernel address (never NULL). The
 * address is valid on this CPU only, until the matching kunmap_local. Any
 * context, interrupt handlers included (they must unmap before returning). */
void *kmap_local_page(struct page *page);
/* Undo the innermost kmap_local_page of this CPU; addr may point anywhere
 * inside the mapped page. */
void kunmap_local(const void *addr);

/* kmap_local_page that also raises this CPU's atomic depth: no blocking
 * call until kunmap_atomic, which must undo the innermost mapping. */
void *kmap_atomic(struct page *page);
void kunmap_atomic(const void *addr);

/* A long-lived mapping from the pkmap pool (i386 highmem), or the direct
 * map address. NULL only when every pool entry is held (i386). Process
 * context or interrupts; does not sleep. kunmap takes the page, as in Linux. */
void *kmap(struct page *page);
void kunmap(struct page *page);

/* Copy len bytes to or from a page (highmem or not) through kmap_local_page;
 * offset + len must stay inside the page. Any context. */
void memcpy_to_page(struct page *page, size_t offset, const void *from, size_t len);
void memcpy_from_page(void *to, struct page *page, size_t offset, size_t len);

/* This CPU's kmap_local depth; pkmap entries held by at least one kmap
 * caller, and the pool size (0 on x86_64). Snapshots, any context (the
 * full view is <pagoda/highmem_stats.h>). */
int kmap_local_depth(void);
unsigned int pkmap_nr_used(void);
unsigned int pkmap_pool_size(void);

#endif
