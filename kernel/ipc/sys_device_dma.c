/*
 * DMA memory for user-space drivers (<uapi/pagoda/unistd.h> 131, 132).
 * Without an IOMMU a device sees physical addresses, and a descriptor
 * table or a command list is one address and a length: it must be
 * physically contiguous, and below what the device can address (a
 * 32-bit device: 4 GiB). device_dma_alloc makes such memory as a memory
 * object (memobj_alloc_contig); device_dma_addr tells a bus address only
 * of a memory object the caller holds, never of anything else. It does
 * not check the address against a mask: a driver that learns the address
 * of a lent buffer (memobj_from_user) checks it against its device's
 * reach itself and bounces what is above (docs/drivers-in-user-space.md).
 */
#include <pagoda/device.h>
#include <pagoda/errno.h>
#include <pagoda/memobj.h>
#include <pagoda/mm.h>
#include <pagoda/syscalls.h>
#include <pagoda/uaccess.h>
#include "device_internal.h"

#define DMA_MEMOBJ_RIGHTS (RIGHT_READ | RIGHT_WRITE | RIGHT_DUPLICATE | RIGHT_TRANSFER)

SYSCALL_DEFINE3(device_dma_alloc, int, dev, size_t, size, int, addr_bits)
{
	long err;
	struct device_obj *d = device_get(dev, RIGHT_WRITE, false, &err);
	if (!d)
		return err;
	kobj_put(&d->obj);
	if (!size || size > MEMOBJ_MAX_SIZE || (addr_bits != 32 && addr_bits != 64))
		return -EINVAL;
	struct memobj *mo = memobj_alloc_contig(PAGE_ALIGN(size), DMA_BIT_MASK(addr_bits));
	if (!mo)
		return -ENOMEM;
	return memobj_install(mo, DMA_MEMOBJ_RIGHTS);
}

SYSCALL_DEFINE4(device_dma_addr, int, dev, int, h, unsigned long, offset, struct dma_seg __user *, useg)
{
	long err;
	struct device_obj *d = device_get(dev, RIGHT_WRITE, false, &err);
	if (!d)
		return err;
	kobj_put(&d->obj);
	/* A device may do to the memory what the handle may: read it (a disk
	 * write) or write it (a disk read). Either right will do here. */
	struct memobj *mo = memobj_get(h, RIGHT_READ, &err);
	if (!mo && err == -EPERM)
		mo = memobj_get(h, RIGHT_WRITE, &err);
	if (!mo)
		return err;
	unsigned long size = memobj_size(mo);
	if (offset >= size || memobj_is_paged(mo)) {   /* a pager's pages may be missing */
		memobj_put(mo);
		return -EINVAL;
	}
	struct page *page = memobj_page(mo, offset & PAGE_MASK);
	u64 bus = (u64)page_to_phys(page) + (offset & ~PAGE_MASK);
	struct dma_seg seg = { .bus_addr = bus, .len = PAGE_SIZE - (offset & ~PAGE_MASK) };
	/* Further pages that follow in physical memory extend the stretch. */
	for (unsigned long o = (offset & PAGE_MASK) + PAGE_SIZE; o < size; o += PAGE_SIZE) {
		if ((u64)page_to_phys(memobj_page(mo, o)) != bus + seg.len)
			break;
		seg.len += PAGE_SIZE;
	}
	memobj_put(mo);
	return copy_to_user(useg, &seg, sizeof(seg)) ? -EFAULT : 0;
}
