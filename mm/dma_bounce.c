/*
 * Bounce buffers: when memory lies above what a device can address (its
 * DMA mask), the device is given a copy in low memory instead. For a write
 * the data is copied in before the transfer; for a read it is copied back
 * out after. The cost is a copy per transfer, which is why a driver that
 * can do 64-bit DMA says so.
 */
#include <pagoda/dma-mapping.h>
#include <pagoda/highmem.h>
#include <pagoda/printk.h>
#include <pagoda/panic.h>
#include "dma_internal.h"

struct dma_stats dma_stats;

bool dma_reachable(const struct device *dev, phys_addr_t phys, size_t len)
{
	return len && phys + len - 1 <= dev->dma_mask;
}

/* The zone that satisfies a mask: ZONE_DMA below 16 MiB, DMA32 below 4 GiB. */
gfp_t dma_zone_gfp(const struct device *dev)
{
	if (dev->dma_mask < DMA_BIT_MASK(32))
		return GFP_DMA;
	if (dev->dma_mask < DMA_BIT_MASK(64))
		return GFP_DMA32;
	return 0;
}

/*
 * Copy between the caller's page (highmem possibly: through a kmap_local
 * slot, for as long as the copy takes) and the bounce buffer, which is
 * always lowmem (below the device's mask). A segment may run over several
 * pages of a compound block: one page at a time.
 */
static void bounce_copy(struct page *page, unsigned int offset, void *bounce, size_t len, bool to_bounce)
{
	page += offset >> PAGE_SHIFT;
	offset &= PAGE_SIZE - 1;
	while (len) {
		size_t n = PAGE_SIZE - offset < len ? PAGE_SIZE - offset : len;
		char *va = kmap_local_page(page);
		if (to_bounce)
			memcpy(bounce, va + offset, n);
		else
			memcpy(va + offset, bounce, n);
		kunmap_local(va);
		bounce = (char *)bounce + n;
		len -= n;
		offset = 0;
		page++;
	}
}

struct page *dma_bounce_alloc(const struct device *dev, struct page *page, unsigned int offset,
			      size_t len, enum dma_data_direction dir)
{
	struct page *b = alloc_pages(dma_zone_gfp(dev) | GFP_ATOMIC | __GFP_NOWARN, get_order(len));
	if (!b || !dma_reachable(dev, page_to_phys(b), len)) {
		if (b)
			__free_pages(b, get_order(len));
		pr_err("dma: %s: no memory below %#llx for a %zu-byte bounce buffer\n",
		       dev->name, (unsigned long long)dev->dma_mask, len);
		return NULL;
	}
	if (dir != DMA_FROM_DEVICE)
		bounce_copy(page, offset, page_address(b), len, true);
	dma_stats.bounced_now++;
	dma_stats.bounced_total++;
	return b;
}

void dma_bounce_free(struct page *bounce, struct page *page, unsigned int offset, size_t len,
		     enum dma_data_direction dir)
{
	if (dir != DMA_TO_DEVICE)
		bounce_copy(page, offset, page_address(bounce), len, false);
	__free_pages(bounce, get_order(len));
	dma_stats.bounced_now--;
}
