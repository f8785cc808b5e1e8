/*
 * Memory objects from the kernel side (<pagoda/memobj.h>): the contiguous
 * DMA allocation (contiguity, the mask, zeroing, every page given back),
 * handles to objects and the monitor's view of them (`handles`, `vmas`).
 * The system calls are tested from user space (usertests' umemobj suite).
 */
#include <pagoda/dma-mapping.h>
#include <pagoda/errno.h>
#include <pagoda/gfp.h>
#include <pagoda/highmem.h>
#include <pagoda/ktest.h>
#include <pagoda/memobj.h>
#include <pagoda/mm.h>
#include <pagoda/mm_user.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <uapi/pagoda/mman.h>
#include "ktest_observe.h"

static char out[2048];

static bool page_is_zero(struct page *page)
{
	const unsigned char *p = kmap_local_page(page);
	bool zero = true;
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		zero &= p[i] == 0;
	kunmap_local(p);
	return zero;
}

/* 5 pages: an order-3 block from the buddy allocator, its 3 spare pages
 * given back at once, the 5 at the object's release. */
static void contig_is_contiguous_zeroed_and_freed(struct ktest *t)
{
	unsigned long before = nr_free_pages_settled();
	struct memobj *mo = memobj_alloc_contig(5 * PAGE_SIZE - 10, DMA_BIT_MASK(32));
	KTEST_ASSERT_NOT_NULL(t, mo);
	KTEST_EXPECT_EQ(t, memobj_size(mo), 5 * PAGE_SIZE);
	phys_addr_t first = page_to_phys(memobj_page(mo, 0));
	for (unsigned long i = 0; i < 5; i++) {
		struct page *page = memobj_page(mo, i * PAGE_SIZE + 17);
		KTEST_EXPECT_EQ(t, page_to_phys(page), first + i * PAGE_SIZE);
		KTEST_EXPECT_TRUE(t, page_is_zero(page));
	}
	/* The object holds its 5 pages (and perhaps a slab page for itself). */
	unsigned long held = before - nr_free_pages_settled();
	KTEST_EXPECT_IN_RANGE(t, held, 5, 6);
	memobj_put(mo);
	KTEST_EXPECT_EQ(t, nr_free_pages_settled(), before);
}

/* Every page of every object ends below its mask, whatever zones the
 * machine has (run with 6 GiB: DMA32 and Normal, or highmem above 4 GiB). */
static void contig_below_mask(struct ktest *t)
{
	static const u64 masks[] = { DMA_BIT_MASK(24), DMA_BIT_MASK(30), DMA_BIT_MASK(32), ~0ULL };
	struct memobj *held[8];
	for (unsigned int m = 0; m < sizeof(masks) / sizeof(masks[0]); m++) {
		for (int i = 0; i < 8; i++) {
			held[i] = memobj_alloc_contig(16 * PAGE_SIZE, masks[m]);
			KTEST_ASSERT_NOT_NULL(t, held[i]);
			u64 last = (u64)page_to_phys(memobj_page(held[i], 15 * PAGE_SIZE)) + PAGE_SIZE - 1;
			KTEST_EXPECT_LE(t, last, masks[m]);
		}
		for (int i = 0; i < 8; i++)
			memobj_put(held[i]);
	}
}

static void contig_refuses_what_it_cannot(struct ktest *t)
{
	unsigned long before = nr_free_pages_settled();
	KTEST_EXPECT_NULL(t, memobj_alloc_contig(0, DMA_BIT_MASK(32)));
	KTEST_EXPECT_NULL(t, memobj_alloc_contig((PAGE_SIZE << MAX_PAGE_ORDER) + 1, DMA_BIT_MASK(32)));
	KTEST_EXPECT_NULL(t, memobj_alloc_contig(PAGE_SIZE, DMA_BIT_MASK(12)));   /* below any RAM */
	KTEST_EXPECT_EQ(t, nr_free_pages_settled(), before);
}

/* A handle to an object (the boot context is pid 1), its rights, and the
 * monitor's line for it. */
static void handles_and_monitor(struct ktest *t)
{
	unsigned int kobjs = nr_kobjs();
	struct memobj *mo = memobj_alloc_contig(2 * PAGE_SIZE, DMA_BIT_MASK(32));
	KTEST_ASSERT_NOT_NULL(t, mo);
	int h = memobj_install(mo, RIGHT_READ | RIGHT_TRANSFER);
	KTEST_ASSERT_GT(t, h, 0);
	long err = 0;
	KTEST_EXPECT_NULL(t, memobj_get(h, RIGHT_WRITE, &err));
	KTEST_EXPECT_EQ(t, err, -EPERM);
	KTEST_EXPECT_NULL(t, memobj_get(h + 1, RIGHT_READ, &err));
	KTEST_EXPECT_EQ(t, err, -EBADF);
	struct memobj *got = memobj_get(h, RIGHT_READ, &err);
	KTEST_EXPECT_PTR_EQ(t, got, mo);
	if (got)
		memobj_put(got);

	ktest_monitor(out, sizeof(out), "handles 1");
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "memory       ---tR-"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "8 kB in 2 pages, contiguous, from 0x"));
	KTEST_EXPECT_EQ(t, handle_close(h), 0);
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs);
}

/* A mapping holds the object: the handle's close leaves it alive, the
 * unmapping frees it; `vmas` marks the mapping shared. */
static void mapping_holds_object(struct ktest *t)
{
	unsigned int kobjs = nr_kobjs();
	struct mm_struct *mm = mm_alloc();
	KTEST_ASSERT_NOT_NULL(t, mm);
	struct memobj *mo = memobj_alloc_contig(4 * PAGE_SIZE, ~0ULL);
	KTEST_ASSERT_NOT_NULL(t, mo);
	unsigned long a = vm_map_memobj(mm, 0, 2 * PAGE_SIZE, PROT_READ, mo, 1, false, false);
	KTEST_ASSERT_FALSE(t, IS_ERR_VALUE(a));
	memobj_put(mo);                 /* the VMA's reference remains */
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs + 1);
	KTEST_EXPECT_EQ(t, vm_mprotect(mm, a, PAGE_SIZE, PROT_READ | PROT_WRITE), -EACCES);
	/* A fault maps the object's page (no copy, no allocation). */
	KTEST_EXPECT_EQ(t, handle_user_fault(mm, a + PAGE_SIZE, 0), 0);
	KTEST_EXPECT_EQ(t, mm->rss, 1);
	KTEST_EXPECT_EQ(t, handle_user_fault(mm, a, FAULT_FLAG_WRITE), VM_FAULT_SIGSEGV);

	console_capture_start(out, sizeof(out));
	show_vmas(mm);
	console_capture_stop();
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "r--s"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "[memobj]"));
	/* Split in two by an unmap of the first page: the second VMA still
	 * holds the object. */
	KTEST_EXPECT_EQ(t, vm_munmap(mm, a, PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs + 1);
	mmput(mm);
	KTEST_EXPECT_EQ(t, nr_kobjs(), kobjs);
}

static struct ktest_case memobj_cases[] = {
	KTEST_CASE(contig_is_contiguous_zeroed_and_freed),
	KTEST_CASE(contig_below_mask),
	KTEST_CASE(contig_refuses_what_it_cannot),
	KTEST_CASE(handles_and_monitor),
	KTEST_CASE(mapping_holds_object),
	{}
};
KTEST_SUITE(memobj, memobj_cases);
