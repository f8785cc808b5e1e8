/*
 * Memory objects (issue #15, docs/ipc.md "Memory objects"): a kernel object
 * (HANDLE_TYPE_MEMORY) holding a fixed array of pages. It is how bulk data
 * moves without a copy: mapped into several address spaces (shared
 * memory), lent to a server for one call (IPC_TAG_LEND), or handed to a
 * device (the kernel block back end builds bios on its pages; a user
 * driver learns their bus addresses with device_dma_addr).
 *
 * Guarantees: a memory object's pages are present from its creation to
 * its release, and neither move nor are freed while it lives (each page
 * holds a reference for the object; memobj_from_user's pages are the
 * caller's own, pinned). So a device may DMA into them for as long as the
 * holder keeps a reference, which a request in flight does. Pages may be
 * highmem on i386 (GFP_HIGHUSER): touch them with kmap_local_page.
 *
 * The exception is a pager's object (memobj_pager_create, kernel/ipc/
 * memobj_pager.c): its pages come one by one, when a server supplies them
 * after a fault asked, and may be missing. So it is never handed to a
 * device or a kernel service: memobj_from_kobj refuses it, and a driver
 * asking for bus addresses gets -EINVAL.
 *
 * Calling context: process context, may sleep, unless said otherwise.
 */
#ifndef PAGODA_MEMOBJ_H
#define PAGODA_MEMOBJ_H

#include <pagoda/ipc.h>
#include <pagoda/types.h>

struct page;
struct memobj;

/* MEMOBJ_MAX_SIZE, the biggest memory object, is in <uapi/pagoda/ipc.h>. */

/* The memory object handle h names in the caller's table, with a
 * reference (memobj_put it); NULL and *err = -EBADF or -EPERM (lacking
 * one of need) otherwise. */
struct memobj *memobj_get(int h, u32 need, long *err);
void memobj_put(struct memobj *mo);
/* One more reference on mo, which the caller holds already (a mapping of
 * it: mm/memobj_map.c). Any context. */
void memobj_ref(struct memobj *mo);
/* The memory object obj is, on the caller's reference to obj (how a
 * kernel-served endpoint reaches a lent one: struct kcall's hobj), or
 * NULL if obj is of another type or a pager's object (whose pages may be
 * missing). Any context. */
struct memobj *memobj_from_kobj(struct kobj *obj);
/* A pager's object: pages may be missing (memobj_page gives NULL). Any context. */
bool memobj_is_paged(const struct memobj *mo);
/* Its size in bytes (a whole number of pages). Any context. */
unsigned long memobj_size(const struct memobj *mo);
/* The page at byte offset off (< memobj_size), valid while mo is held;
 * NULL only in a pager's object, for a page not supplied yet. Any context. */
struct page *memobj_page(const struct memobj *mo, unsigned long off);

/* A memory object of physically contiguous pages whose bus addresses are
 * all below dma_mask (device_dma_alloc), zeroed, with one reference: NULL
 * if none could be found. At most 4 MiB (the buddy allocator's largest
 * block, MAX_PAGE_ORDER); a mask of all ones may give highmem pages. */
struct memobj *memobj_alloc_contig(unsigned long size, u64 dma_mask);
/* Give the caller a handle to mo with rights; the reference passes to the
 * handle. The handle, or -EMFILE. */
int memobj_install(struct memobj *mo, u32 rights);

/* A fault found off (< memobj_size) of the pager object mo missing: ask
 * the pager for it (once, however many wait) and wait until it is there.
 * 0: present now (fault again); -EINTR: the task was killed meanwhile;
 * -EPIPE: the pager's endpoint is dead, the page will never come;
 * -ENOMEM. Process context, no lock held: sleeps. */
long memobj_page_in(struct memobj *mo, unsigned long off);

#endif
