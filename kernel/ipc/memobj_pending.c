/*
 * Stand-ins for <pagoda/memobj.h> until the memory objects (branch
 * `memobj`) are merged: weak, so the real definitions replace them at
 * link time; delete this file at that merge. Until then device_dma_alloc
 * finds no memory (-ENOMEM) and device_dma_addr no memory object (-EBADF).
 */
#include <pagoda/compiler.h>
#include <pagoda/errno.h>
#include <pagoda/memobj.h>

__weak struct memobj *memobj_get(int h, u32 need, long *err)
{
	(void)h;
	(void)need;
	*err = -EBADF;
	return NULL;
}
__weak void memobj_put(struct memobj *mo) { (void)mo; }
__weak unsigned long memobj_size(const struct memobj *mo) { (void)mo; return 0; }
__weak struct page *memobj_page(const struct memobj *mo, unsigned long off)
{
	(void)mo;
	(void)off;
	return NULL;
}
__weak struct memobj *memobj_alloc_contig(unsigned long size, u64 dma_mask)
{
	(void)size;
	(void)dma_mask;
	return NULL;
}
__weak int memobj_install(struct memobj *mo, u32 rights)
{
	(void)mo;
	(void)rights;
	return -ENOMEM;
}
