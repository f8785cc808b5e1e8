/*
 * kmalloc on the running kernel: every size class and the sizes between,
 * ksize, alignment, physical contiguity checked through the page tables,
 * large requests through the buddy allocator, memory given back, krealloc,
 * overflow in kmalloc_array, kmalloc(0), GFP_DMA and __GFP_HIGHMEM.
 * Also run with slab_debug (tests/manifest.d/slab.ini).
 */
#include <pagoda/ktest.h>
#include "ktest_pages.h"
#include <pagoda/mm.h>
#include <pagoda/slab.h>
#include <asm/pgtable.h>

static const unsigned int classes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192 };

/* What ksize must say for a request of n bytes, worked out independently
 * of the allocator's own table. */
static size_t expected_ksize(size_t n)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(classes); i++)
		if (n <= classes[i])
			return classes[i];
	size_t pages = PAGE_SIZE;
	while (pages < n)
		pages <<= 1;
	return pages;
}

static size_t expected_align(size_t n)
{
	size_t k = expected_ksize(n);
	if (k & (k - 1))
		return 8;
	return k > PAGE_SIZE ? PAGE_SIZE : k;
}

static bool check_one_size(struct ktest *t, size_t n)
{
	u8 *p = kmalloc(n, GFP_KERNEL);
	if (!p) {
		ktest_fail_msg(t, __FILE__, __LINE__, "kmalloc(%zu) returned NULL", n);
		return false;
	}
	bool ok = true;
	if (ksize(p) != expected_ksize(n)) {
		ktest_fail_msg(t, __FILE__, __LINE__, "ksize(kmalloc(%zu)) = %zu, expected %zu", n, ksize(p),
			       expected_ksize(n));
		ok = false;
	}
	if ((unsigned long)p & (expected_align(n) - 1)) {
		ktest_fail_msg(t, __FILE__, __LINE__, "kmalloc(%zu) = %p, not aligned to %zu", n, p, expected_align(n));
		ok = false;
	}
	/* Every usable byte is ours to write. */
	memset(p, 0x5a, ksize(p));
	kfree(p);
	return ok;
}

static void every_size_class(struct ktest *t)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(classes); i++) {
		check_one_size(t, classes[i]);
		check_one_size(t, classes[i] - 1);
		check_one_size(t, classes[i] + 1);
	}
}

static void sizes_in_between(struct ktest *t)
{
	int bad = 0;
	for (size_t n = 1; n <= 512 && bad < 5; n++)
		bad += !check_one_size(t, n);
	for (size_t n = 513; n <= 3 * 8192 && bad < 5; n += 37)
		bad += !check_one_size(t, n);
	KTEST_EXPECT_EQ(t, bad, 0);
}

/* The hardware's view: walk the page tables for every page of the object
 * and check the physical addresses follow one another. */
static void expect_contiguous(struct ktest *t, const u8 *p, size_t len)
{
	struct pt_walk w;
	pt_walk(swapper_pg_dir, (unsigned long)p, &w);
	KTEST_ASSERT_TRUE(t, w.present);
	phys_addr_t first = w.phys;
	KTEST_EXPECT_EQ(t, first, __pa(p));
	unsigned long first_pfn = page_to_pfn(virt_to_page(p));
	for (size_t off = PAGE_SIZE - ((unsigned long)p & (PAGE_SIZE - 1)); off < len; off += PAGE_SIZE) {
		pt_walk(swapper_pg_dir, (unsigned long)(p + off), &w);
		if (!w.present || w.phys != first + off ||
		    page_to_pfn(virt_to_page(p + off)) != first_pfn + PFN_DOWN(((unsigned long)p & (PAGE_SIZE - 1)) + off)) {
			ktest_fail_msg(t, __FILE__, __LINE__, "byte %zu of %p: phys %#llx, expected %#llx", off, p,
				       (unsigned long long)w.phys, (unsigned long long)(first + off));
			return;
		}
	}
	pt_walk(swapper_pg_dir, (unsigned long)(p + len - 1), &w);
	KTEST_EXPECT_EQ(t, w.phys, first + len - 1);
}

static void physically_contiguous(struct ktest *t)
{
	static const size_t sizes[] = { 64, 2048, 4096, 8192, 8193, 65536, 150 * 1000, 1 << 20 };
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		u8 *p = kmalloc(sizes[i], GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, p);
		expect_contiguous(t, p, ksize(p));
		KTEST_EXPECT_FALSE(t, PageHighMem(virt_to_page(p)));
		kfree(p);
	}
}

static void object_reuse(struct ktest *t)
{
	void *p = kmalloc(64, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	kfree(p);
	/* The per-CPU stack is last in, first out: the object still warm in
	 * the CPU cache comes back first. */
	void *q = kmalloc(64, GFP_KERNEL);
	KTEST_EXPECT_PTR_EQ(t, q, p);
	void *r = kmalloc(64, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, r != q);
	kfree(r);
	kfree(q);
}

/* Many live objects never overlap and keep what was written into them. */
static void no_overlap(struct ktest *t)
{
	enum { N = 600 };
	static u8 *objs[N];
	static size_t lens[N];
	for (int i = 0; i < N; i++) {
		lens[i] = 1 + (size_t)(i * 37) % 700;
		objs[i] = kmalloc(lens[i], GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, objs[i]);
		memset(objs[i], i & 0xff, lens[i]);
	}
	int bad = 0;
	for (int i = 0; i < N; i++)
		for (size_t j = 0; j < lens[i]; j++)
			if (objs[i][j] != (u8)(i & 0xff)) {
				bad++;
				break;
			}
	KTEST_EXPECT_EQ(t, bad, 0);
	for (int i = 0; i < N; i++)
		kfree(objs[i]);
}

static void large_through_buddy(struct ktest *t)
{
	unsigned long before = ktest_settled_free_pages();
	u8 *p = kmalloc(150 * 1000, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	/* The question students ask: 150 KB reserves an order-6 block. */
	KTEST_EXPECT_EQ(t, ksize(p), 256 * 1024);
	KTEST_EXPECT_EQ(t, (unsigned long)p & (PAGE_SIZE - 1), 0);
	struct page *page = virt_to_page(p);
	KTEST_EXPECT_FALSE(t, PageSlab(page));
	KTEST_EXPECT_EQ(t, page->private, 6);
	KTEST_EXPECT_EQ(t, before - nr_free_pages(), 64);
	memset(p, 0xa5, ksize(p));
	kfree(p);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), before);

	p = kmalloc(8193, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 16384);
	kfree(p);
	KTEST_EXPECT_NULL(t, kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN));
}

static void memory_returns_to_buddy(struct ktest *t)
{
	enum { N = 3000 };
	static void *objs[N];
	unsigned long before = ktest_settled_free_pages();
	for (int i = 0; i < N; i++) {
		objs[i] = kmalloc(classes[i % ARRAY_SIZE(classes)] / 2 + 1, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, objs[i]);
	}
	KTEST_EXPECT_LT(t, nr_free_pages() + 100, before);
	for (int i = 0; i < N; i++)
		kfree(objs[N - 1 - i]);
	KTEST_EXPECT_EQ(t, ktest_settled_free_pages(), before);
}

static void krealloc_keeps_contents(struct ktest *t)
{
	u8 *p = kmalloc(16, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	for (int i = 0; i < 16; i++)
		p[i] = (u8)i;
	u8 *q = krealloc(p, 1000, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_GE(t, ksize(q), 1000);
	for (int i = 0; i < 16; i++)
		KTEST_EXPECT_EQ(t, q[i], i);
	for (int i = 0; i < 1000; i++)
		q[i] = (u8)(i * 7);
	u8 *r = krealloc(q, 40000, GFP_KERNEL);        /* into the buddy allocator */
	KTEST_ASSERT_NOT_NULL(t, r);
	KTEST_EXPECT_EQ(t, ksize(r), 65536);
	int bad = 0;
	for (int i = 0; i < 1000; i++)
		bad += r[i] != (u8)(i * 7);
	KTEST_EXPECT_EQ(t, bad, 0);
	/* Shrinking within the object stays put... */
	KTEST_EXPECT_PTR_EQ(t, krealloc(r, 50000, GFP_KERNEL), r);
	/* ...but far below a large block moves to a slab, contents kept. */
	u8 *s = krealloc(r, 100, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_EXPECT_EQ(t, ksize(s), 128);
	bad = 0;
	for (int i = 0; i < 100; i++)
		bad += s[i] != (u8)(i * 7);
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_PTR_EQ(t, krealloc(s, 64, GFP_KERNEL), s);
	KTEST_EXPECT_PTR_EQ(t, krealloc(s, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	void *n = krealloc(NULL, 24, GFP_KERNEL);
	KTEST_EXPECT_EQ(t, ksize(n), 32);
	kfree(n);
}

static void array_overflow(struct ktest *t)
{
	KTEST_EXPECT_NULL(t, kmalloc_array(SIZE_MAX / 2, 3, GFP_KERNEL));
	KTEST_EXPECT_NULL(t, kcalloc(2, SIZE_MAX / 2 + 1, GFP_KERNEL));
	KTEST_EXPECT_NULL(t, kmalloc_array((size_t)1 << (sizeof(size_t) * 4), (size_t)1 << (sizeof(size_t) * 4),
					   GFP_KERNEL));
	u8 *p = kmalloc(80, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	memset(p, 0xff, 80);
	kfree(p);
	/* kcalloc gets the same (dirty) object back, and must zero it. */
	u8 *q = kcalloc(10, 8, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_PTR_EQ(t, q, p);
	int nonzero = 0;
	for (int i = 0; i < 80; i++)
		nonzero += q[i] != 0;
	KTEST_EXPECT_EQ(t, nonzero, 0);
	kfree(q);
	void *r = kmalloc_array(10, 8, GFP_KERNEL);
	KTEST_EXPECT_GE(t, ksize(r), 80);
	kfree(r);
}

static void zero_size(struct ktest *t)
{
	void *p = kmalloc(0, GFP_KERNEL);
	KTEST_EXPECT_PTR_EQ(t, p, ZERO_SIZE_PTR);
	KTEST_EXPECT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, ksize(p), 0);
	KTEST_EXPECT_EQ(t, ksize(NULL), 0);
	kfree(p);
	kfree(NULL);
	/* Unmapped: touching it faults (oops case kmalloc_zero_touch). */
	struct pt_walk w;
	pt_walk(swapper_pg_dir, (unsigned long)p, &w);
	KTEST_EXPECT_FALSE(t, w.present);
	KTEST_EXPECT_PTR_EQ(t, kzalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
}

static void highmem_refused(struct ktest *t)
{
	KTEST_EXPECT_NULL(t, kmalloc(64, GFP_KERNEL | __GFP_HIGHMEM));
	KTEST_EXPECT_NULL(t, kmalloc(1 << 20, GFP_HIGHUSER));
	KTEST_EXPECT_NULL(t, kzalloc(8, GFP_HIGHUSER));
}

static void dma_zones(struct ktest *t)
{
	static const size_t sizes[] = { 8, 100, 4096, 8192, 65536 };
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *p = kmalloc(sizes[i], GFP_DMA);
		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_LT(t, __pa(p) + ksize(p), 16ULL << 20);
		kfree(p);
		p = kmalloc(sizes[i], GFP_DMA32);
		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_LE(t, __pa(p) + ksize(p), 4ULL << 30);
		kfree(p);
	}
}

static void zeroing_and_strdup(struct ktest *t)
{
	u8 *p = kmalloc(200, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	memset(p, 0x77, 200);
	kfree(p);
	u8 *q = kzalloc(200, GFP_KERNEL);
	KTEST_EXPECT_PTR_EQ(t, q, p);
	/* The 200 bytes asked for (under slab_debug the class's slack past
	 * them is red zone, not zeroes). */
	int nonzero = 0;
	for (int i = 0; i < 200; i++)
		nonzero += q[i] != 0;
	KTEST_EXPECT_EQ(t, nonzero, 0);
	kfree(q);
	char *s = kstrdup("pagoda heap", GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, s);
	KTEST_EXPECT_STREQ(t, s, "pagoda heap");
	KTEST_EXPECT_EQ(t, ksize(s), 16);
	kfree(s);
	KTEST_EXPECT_NULL(t, kstrdup(NULL, GFP_KERNEL));
}

static struct ktest_case kmalloc_cases[] = {
	KTEST_CASE(every_size_class),
	KTEST_CASE(sizes_in_between),
	KTEST_CASE(physically_contiguous),
	KTEST_CASE(object_reuse),
	KTEST_CASE(no_overlap),
	KTEST_CASE(large_through_buddy),
	KTEST_CASE(memory_returns_to_buddy),
	KTEST_CASE(krealloc_keeps_contents),
	KTEST_CASE(array_overflow),
	KTEST_CASE(zero_size),
	KTEST_CASE(highmem_refused),
	KTEST_CASE(dma_zones),
	KTEST_CASE(zeroing_and_strdup),
	{}
};
KTEST_SUITE(kmalloc, kmalloc_cases);
