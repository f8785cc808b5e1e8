/*
 * The DMA mapping layer: what may be mapped, how scatter lists merge, and
 * bounce buffers for memory beyond a device's DMA mask, with a pretend
 * device that reads and writes through the bus addresses it was given.
 */
#include <pagoda/ktest.h>
#include <pagoda/dma-mapping.h>
#include <pagoda/highmem.h>
#include <pagoda/slab.h>
#include <pagoda/sections.h>
#include "ktest_pages.h"

static struct device dev64 = {
	.name = "test64", .dma_mask = DMA_BIT_MASK(64), .max_segment_size = 65536,
	.seg_boundary_mask = 0xffffffff,
};

static void map_single_accepts_only_the_direct_map(struct ktest *t)
{
	char on_stack[64];
	static char in_image[64];
	void *heap = kmalloc(64, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, heap);

	dma_addr_t a = dma_map_single(&dev64, heap, 64, DMA_TO_DEVICE);
	KTEST_EXPECT_FALSE(t, dma_mapping_error(&dev64, a));
	KTEST_EXPECT_EQ(t, a, __pa(heap));
	dma_unmap_single(&dev64, a, 64, DMA_TO_DEVICE);

	KTEST_EXPECT_TRUE(t, dma_mapping_error(&dev64, dma_map_single(&dev64, on_stack, 64, DMA_TO_DEVICE)));
	KTEST_EXPECT_TRUE(t, dma_mapping_error(&dev64, dma_map_single(&dev64, in_image, 64, DMA_TO_DEVICE)));
	KTEST_EXPECT_TRUE(t, dma_mapping_error(&dev64,
		dma_map_single(&dev64, (void *)(VMALLOC_START + PAGE_SIZE), 64, DMA_TO_DEVICE)));
	kfree(heap);
}

static void map_sg_merges_contiguous(struct ktest *t)
{
	struct page *block = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_NOT_NULL(t, block);
	struct scatterlist sg[4];
	sg_init_table(sg, 4);
	for (int i = 0; i < 4; i++)
		sg_set_page(&sg[i], block + i, PAGE_SIZE, 0);
	unsigned long merged0 = dma_stats.merged_segments;
	int n = dma_map_sg(&dev64, sg, 4, DMA_FROM_DEVICE);
	KTEST_EXPECT_EQ(t, n, 1);
	KTEST_EXPECT_EQ(t, sg_dma_address(&sg[0]), page_to_phys(block));
	KTEST_EXPECT_EQ(t, sg_dma_len(&sg[0]), 4 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, dma_stats.merged_segments - merged0, 3);
	dma_unmap_sg(&dev64, sg, 4, DMA_FROM_DEVICE);

	/* The same pages under an 8 KiB segment limit: two segments. */
	struct device small = dev64;
	small.max_segment_size = 8192;
	n = dma_map_sg(&small, sg, 4, DMA_FROM_DEVICE);
	KTEST_EXPECT_EQ(t, n, 2);
	KTEST_EXPECT_EQ(t, sg_dma_len(&sg[1]), 8192);
	dma_unmap_sg(&small, sg, 4, DMA_FROM_DEVICE);

	/* An entry bigger than the limit alone is refused: 0 segments. */
	sg_init_table(sg, 1);
	sg_set_page(&sg[0], block, 4 * PAGE_SIZE, 0);
	KTEST_EXPECT_EQ(t, dma_map_sg(&small, sg, 1, DMA_FROM_DEVICE), 0);
	__free_pages(block, 2);
}

/* A page somewhere above `limit`, or NULL (the machine has no RAM there). */
static struct page *page_above(phys_addr_t limit, struct page **spare, int nspare)
{
	struct page *found = NULL;
	for (int i = 0; i < nspare; i++) {
		spare[i] = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		if (spare[i] && !found && page_to_phys(spare[i]) > limit) {
			found = spare[i];
			spare[i] = NULL;
		}
	}
	for (int i = 0; i < nspare; i++)
		if (spare[i])
			__free_page(spare[i]);
	return found;
}

static void bounce_for_a_low_mask(struct ktest *t)
{
	struct page *spare[64];
	struct device dev24 = dev64;
	dev24.name = "isa-like";
	dev24.dma_mask = DMA_BIT_MASK(24);              /* 16 MiB, like ISA DMA */
	struct page *pg = page_above(DMA_BIT_MASK(24), spare, 64);
	KTEST_ASSERT_NOT_NULL(t, pg);
	u8 *mem = page_address(pg);
	memset(mem, 0x11, PAGE_SIZE);

	struct scatterlist sg[1];
	sg_init_table(sg, 1);
	sg_set_page(&sg[0], pg, 2048, 1024);
	unsigned long now0 = dma_stats.bounced_now;
	KTEST_ASSERT_EQ(t, dma_map_sg(&dev24, sg, 1, DMA_FROM_DEVICE), 1);
	dma_addr_t bus = sg_dma_address(&sg[0]);
	KTEST_EXPECT_LE(t, bus + 2048 - 1, DMA_BIT_MASK(24));
	KTEST_EXPECT_NE(t, bus, page_to_phys(pg) + 1024);
	KTEST_EXPECT_EQ(t, dma_stats.bounced_now, now0 + 1);
	/* The "device" writes where it was told to; the CPU sees it after unmap. */
	memset(__va(bus), 0x5a, 2048);
	KTEST_EXPECT_EQ(t, mem[1024], 0x11);
	dma_unmap_sg(&dev24, sg, 1, DMA_FROM_DEVICE);
	KTEST_EXPECT_EQ(t, mem[1024], 0x5a);
	KTEST_EXPECT_EQ(t, mem[1024 + 2047], 0x5a);
	KTEST_EXPECT_EQ(t, mem[1023], 0x11);
	KTEST_EXPECT_EQ(t, mem[1024 + 2048], 0x11);
	KTEST_EXPECT_EQ(t, dma_stats.bounced_now, now0);

	/* A write goes the other way: the bounce buffer holds the data first. */
	dma_addr_t b = dma_map_single(&dev24, mem, 512, DMA_TO_DEVICE);
	KTEST_ASSERT_FALSE(t, dma_mapping_error(&dev24, b));
	KTEST_EXPECT_LE(t, b, DMA_BIT_MASK(24));
	KTEST_EXPECT_EQ(t, ((u8 *)__va(b))[0], 0x11);
	dma_unmap_single(&dev24, b, 512, DMA_TO_DEVICE);
	__free_page(pg);
}

/* With RAM above 4 GiB (q35 6G: x86_64 ZONE_NORMAL, PAE highmem), a 32-bit
 * device bounces such pages, both ways, through kmap_local on PAE. */
static void bounce_above_4g(struct ktest *t)
{
	struct device dev32 = dev64;
	dev32.dma_mask = DMA_BIT_MASK(32);
	if (!ktest_ram_above(1ULL << 32)) {
		ktest_skip(t, "no RAM above 4 GiB");
		return;
	}
	struct page *pg;
	KTEST_ASSERT_EQ(t, ktest_alloc_pages_above(1ULL << 32, GFP_HIGHUSER, &pg, 1), 1);
	u8 *mem = kmap_local_page(pg);
	memset(mem, 0x3c, PAGE_SIZE);
	kunmap_local(mem);
	struct scatterlist sg[1];
	sg_init_table(sg, 1);
	sg_set_page(&sg[0], pg, PAGE_SIZE, 0);
	KTEST_ASSERT_EQ(t, dma_map_sg(&dev32, sg, 1, DMA_BIDIRECTIONAL), 1);
	KTEST_EXPECT_LE(t, sg_dma_address(&sg[0]) + PAGE_SIZE - 1, DMA_BIT_MASK(32));
	KTEST_EXPECT_NOT_NULL(t, sg[0].bounce);
	/* The pretend device sees the data in the bounce copy, and writes it. */
	u8 *bus = kmap_local_page(sg[0].bounce);
	KTEST_EXPECT_EQ(t, bus[PAGE_SIZE - 1], 0x3c);
	memset(bus, 0xc3, 100);
	kunmap_local(bus);
	dma_unmap_sg(&dev32, sg, 1, DMA_BIDIRECTIONAL);
	KTEST_EXPECT_NULL(t, sg[0].bounce);
	mem = kmap_local_page(pg);
	KTEST_EXPECT_EQ(t, mem[99], 0xc3);
	KTEST_EXPECT_EQ(t, mem[100], 0x3c);
	kunmap_local(mem);
	/* The same page for a 64-bit device: no bounce. */
	KTEST_ASSERT_EQ(t, dma_map_sg(&dev64, sg, 1, DMA_TO_DEVICE), 1);
	KTEST_EXPECT_EQ(t, sg_dma_address(&sg[0]), page_to_phys(pg));
	dma_unmap_sg(&dev64, sg, 1, DMA_TO_DEVICE);
	__free_page(pg);
}

/* i386 highmem: a 24-bit device maps a page with no kernel address; the
 * bounce copies go through kmap_local_page, both ways. */
static void bounce_highmem_page(struct ktest *t)
{
	struct device dev24 = dev64;
	dev24.name = "isa-like";
	dev24.dma_mask = DMA_BIT_MASK(24);
	struct page *pg = alloc_page(GFP_HIGHUSER | __GFP_NOWARN);
	KTEST_ASSERT_NOT_NULL(t, pg);
	if (!PageHighMem(pg)) {
		__free_page(pg);
		ktest_skip(t, "no highmem (x86_64, or i386 with <= 896 MiB)");
		return;
	}
	u8 *mem = kmap_local_page(pg);
	memset(mem, 0x11, PAGE_SIZE);
	memset(mem + 3000, 0x77, 1000);
	kunmap_local(mem);

	struct scatterlist sg[1];
	sg_init_table(sg, 1);
	sg_set_page(&sg[0], pg, 1000, 3000);
	KTEST_ASSERT_EQ(t, dma_map_sg(&dev24, sg, 1, DMA_TO_DEVICE), 1);
	dma_addr_t bus = sg_dma_address(&sg[0]);
	KTEST_EXPECT_LE(t, bus + 1000 - 1, DMA_BIT_MASK(24));
	KTEST_EXPECT_EQ(t, ((u8 *)__va(bus))[0], 0x77);         /* copied in through a kmap */
	KTEST_EXPECT_EQ(t, ((u8 *)__va(bus))[999], 0x77);
	dma_unmap_sg(&dev24, sg, 1, DMA_TO_DEVICE);

	KTEST_ASSERT_EQ(t, dma_map_sg(&dev24, sg, 1, DMA_FROM_DEVICE), 1);
	bus = sg_dma_address(&sg[0]);
	memset(__va(bus), 0x5a, 1000);                          /* the "device" writes */
	dma_unmap_sg(&dev24, sg, 1, DMA_FROM_DEVICE);
	mem = kmap_local_page(pg);
	KTEST_EXPECT_EQ(t, mem[2999], 0x11);
	KTEST_EXPECT_EQ(t, mem[3000], 0x5a);
	KTEST_EXPECT_EQ(t, mem[3999], 0x5a);
	KTEST_EXPECT_EQ(t, mem[4000], 0x11);
	kunmap_local(mem);
	KTEST_EXPECT_EQ(t, kmap_local_depth(), 0);
	__free_page(pg);
}

static void coherent_below_mask_and_zeroed(struct ktest *t)
{
	struct device dev24 = dev64;
	dev24.dma_mask = DMA_BIT_MASK(24);
	dma_addr_t handle;
	u8 *p = dma_alloc_coherent(&dev24, 3 * PAGE_SIZE, &handle, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_LE(t, handle + 4 * PAGE_SIZE - 1, DMA_BIT_MASK(24));
	KTEST_EXPECT_EQ(t, handle, __pa(p));
	bool zero = true;
	for (unsigned int i = 0; i < 3 * PAGE_SIZE; i++)
		zero &= p[i] == 0;
	KTEST_EXPECT_TRUE(t, zero);
	dma_free_coherent(&dev24, 3 * PAGE_SIZE, p, handle);
}

static struct ktest_case dma_cases[] = {
	KTEST_CASE(map_single_accepts_only_the_direct_map),
	KTEST_CASE(map_sg_merges_contiguous),
	KTEST_CASE(bounce_for_a_low_mask),
	KTEST_CASE(bounce_above_4g),
	KTEST_CASE(bounce_highmem_page),
	KTEST_CASE(coherent_below_mask_and_zeroed),
	{}
};
KTEST_SUITE(dma, dma_cases);
