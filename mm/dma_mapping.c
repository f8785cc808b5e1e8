/*
 * dma_map_single / dma_map_sg / dma_alloc_coherent (see dma-mapping.h).
 * The bus address of memory is its physical address on x86; the work here
 * is the checks, the merging, and the bounce buffers (mm/dma_bounce.c).
 */
#include <pagoda/dma-mapping.h>
#include <pagoda/printk.h>
#include <pagoda/sections.h>
#include <pagoda/stacks.h>
#include <asm/pgtable.h>
#include "dma_internal.h"

/* Why addr is not DMA-able memory, or NULL if it is in the direct map. */
static const char *not_direct_map(unsigned long addr, size_t size)
{
	unsigned long end = PAGE_OFFSET + (unsigned long)((u64)max_pfn << PAGE_SHIFT < direct_map_limit() ?
							  (u64)max_pfn << PAGE_SHIFT : direct_map_limit());
	if (addr >= VMALLOC_START && addr < VMALLOC_END)
		return "a vmalloc address (virtually contiguous only)";
	if (stack_lookup(addr))
		return "on a kernel stack";
	if (addr >= (unsigned long)_text && addr < (unsigned long)_end)
		return "in the kernel image";
	if (addr < PAGE_OFFSET || addr + size > end || addr + size < addr)
		return "not in the direct map";
	return NULL;
}

/* Single mappings that needed a bounce buffer, found again at unmap time. */
#define MAX_SINGLE_BOUNCES 16
static struct {
	dma_addr_t dma;
	struct page *bounce, *page;
	unsigned int offset;
	size_t size;
} single_bounces[MAX_SINGLE_BOUNCES];

dma_addr_t dma_map_single(struct device *dev, void *cpu_addr, size_t size, enum dma_data_direction dir)
{
	unsigned long addr = (unsigned long)cpu_addr;
	const char *why = not_direct_map(addr, size);
	if (why || !size) {
		pr_err("dma_map_single(%s): %p (%zu bytes) is %s; map its pages with a scatter list\n",
		       dev->name, cpu_addr, size, why ? why : "empty");
		return DMA_MAPPING_ERROR;
	}
	phys_addr_t phys = __pa(addr);
	if (dma_reachable(dev, phys, size))
		return phys;

	for (int i = 0; i < MAX_SINGLE_BOUNCES; i++) {
		if (single_bounces[i].bounce)
			continue;
		struct page *page = virt_to_page(cpu_addr);
		unsigned int offset = addr & (PAGE_SIZE - 1);
		struct page *b = dma_bounce_alloc(dev, page, offset, size, dir);
		if (!b)
			return DMA_MAPPING_ERROR;
		single_bounces[i].dma = page_to_phys(b);
		single_bounces[i].bounce = b;
		single_bounces[i].page = page;
		single_bounces[i].offset = offset;
		single_bounces[i].size = size;
		return single_bounces[i].dma;
	}
	pr_err("dma_map_single(%s): too many bounced single mappings in flight\n", dev->name);
	return DMA_MAPPING_ERROR;
}

void dma_unmap_single(struct device *dev, dma_addr_t dma, size_t size, enum dma_data_direction dir)
{
	for (int i = 0; i < MAX_SINGLE_BOUNCES; i++) {
		if (single_bounces[i].bounce && single_bounces[i].dma == dma) {
			dma_bounce_free(single_bounces[i].bounce, single_bounces[i].page,
					single_bounces[i].offset, single_bounces[i].size, dir);
			single_bounces[i].bounce = NULL;
			return;
		}
	}
}

static bool crosses_boundary(const struct device *dev, dma_addr_t start, u64 len)
{
	return (start & ~dev->seg_boundary_mask) != ((start + len - 1) & ~dev->seg_boundary_mask);
}

int dma_map_sg(struct device *dev, struct scatterlist *sg, int nents, enum dma_data_direction dir)
{
	int out = -1;

	for (int i = 0; i < nents; i++) {
		struct scatterlist *s = &sg[i];
		dma_addr_t dma = sg_phys(s);
		if (!s->length || s->length > dev->max_segment_size || crosses_boundary(dev, dma, s->length)) {
			pr_err("dma_map_sg(%s): entry %d (%#llx, %u bytes) breaks the device's segment limits "
			       "(max %u bytes, boundary %#llx); the block layer should have split it\n",
			       dev->name, i, (unsigned long long)dma, s->length, dev->max_segment_size,
			       (unsigned long long)dev->seg_boundary_mask + 1);
			dma_unmap_sg(dev, sg, i, dir);
			return 0;
		}
		s->bounce = NULL;
		if (!dma_reachable(dev, dma, s->length)) {
			s->bounce = dma_bounce_alloc(dev, s->page, s->offset, s->length, dir);
			if (!s->bounce) {
				dma_unmap_sg(dev, sg, i, dir);
				return 0;
			}
			dma = page_to_phys(s->bounce);
		}
		/* Entry i's own address is read before entry out (<= i) is written. */
		struct scatterlist *prev = out >= 0 ? &sg[out] : NULL;
		if (prev && prev->dma_address + prev->dma_length == dma &&
		    (u64)prev->dma_length + s->length <= dev->max_segment_size &&
		    !crosses_boundary(dev, prev->dma_address, (u64)prev->dma_length + s->length)) {
			prev->dma_length += s->length;
			dma_stats.merged_segments++;
			continue;
		}
		out++;
		sg[out].dma_address = dma;
		sg[out].dma_length = s->length;
	}
	dma_stats.mapped_sg++;
	return out + 1;
}

void dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents, enum dma_data_direction dir)
{
	for (int i = 0; i < nents; i++) {
		if (sg[i].bounce) {
			dma_bounce_free(sg[i].bounce, sg[i].page, sg[i].offset, sg[i].length, dir);
			sg[i].bounce = NULL;
		}
	}
}

void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp)
{
	unsigned int order = get_order(size);
	struct page *page = alloc_pages((gfp & ~__GFP_HIGHMEM) | dma_zone_gfp(dev) | __GFP_ZERO, order);
	if (!page)
		return NULL;
	if (!dma_reachable(dev, page_to_phys(page), PAGE_SIZE << order)) {
		__free_pages(page, order);
		pr_err("dma_alloc_coherent(%s): no memory below %#llx\n", dev->name,
		       (unsigned long long)dev->dma_mask);
		return NULL;
	}
	*handle = page_to_phys(page);
	return page_address(page);
}

void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr, dma_addr_t handle)
{
	if (cpu_addr)
		__free_pages(virt_to_page(cpu_addr), get_order(size));
}
