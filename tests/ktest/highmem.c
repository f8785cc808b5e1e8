/*
 * Highmem and temporary mappings (<pagoda/highmem.h>): kmap_local_page,
 * kmap_atomic and kmap on the machine itself. On i386 with RAM above
 * 896 MiB the mappings are real (fixmap slots, pkmap entries, page-table
 * walks checked); on x86_64 and small i386 machines the same cases run on
 * lowmem pages and check the API's contract (direct-map addresses, depth,
 * atomic context); the cases that need highmem say SKIP there.
 */
#include <pagoda/ktest.h>
#include <pagoda/bio.h>
#include <pagoda/blkdev.h>
#include <pagoda/gfp.h>
#include <pagoda/highmem.h>
#include <pagoda/list.h>
#include <pagoda/mm.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <asm/fixmap.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include "../../mm/internal.h"       /* white-box: arch_is_kmap_local_addr */

static unsigned long settled_free_pages(void)
{
	drain_all_pages();
	return nr_free_pages();
}

static bool have_free_highmem(struct ktest *t, unsigned long pages)
{
	drain_all_pages();
	if (zones[ZONE_HIGHMEM].free_pages >= pages)
		return true;
	ktest_skip(t, "not enough free high memory (x86_64, or i386 with <= 896 MiB)");
	return false;
}

/* A page for the tests: highmem when the machine has it, else lowmem. */
static struct page *test_page(void)
{
	return alloc_page(GFP_HIGHUSER | __GFP_NOWARN);
}

static u32 word_pattern(unsigned long pfn, unsigned long w)
{
	return (u32)(pfn * 0x9e3779b1u) ^ (u32)(w * 0x85ebca6bu) ^ 0xa5a50000u;
}

/* The leaf entry behind va in the kernel's page tables, 0 if none. */
static phys_addr_t mapped_phys(const void *va, bool *present)
{
	struct pt_walk w;
	pt_walk(swapper_pg_dir, (unsigned long)va, &w);
	*present = w.present;
	return w.phys;
}

/* A lowmem page is its direct-map address through all three calls. */
static void lowmem_is_page_address(struct ktest *t)
{
	struct page *p = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	int depth0 = kmap_local_depth();
	void *a = kmap_local_page(p);
	KTEST_EXPECT_PTR_EQ(t, a, page_address(p));
	KTEST_EXPECT_EQ(t, kmap_local_depth(), depth0 + 1);     /* counted even without a slot */
	kunmap_local((char *)a + 123);                          /* any address inside the page */
	KTEST_EXPECT_EQ(t, kmap_local_depth(), depth0);
	KTEST_EXPECT_PTR_EQ(t, kmap(p), page_address(p));
	kunmap(p);
	KTEST_EXPECT_EQ(t, pkmap_nr_used(), 0);
	__free_page(p);
}

/* A highmem page gets a fixmap slot whose PTE points at it; unmapping
 * clears the PTE; the data is in the page, not in the slot. */
static void highmem_local_maps_the_page(struct ktest *t)
{
	if (!have_free_highmem(t, 1))
		return;
	struct page *p = alloc_page(GFP_HIGHUSER);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_ASSERT_TRUE(t, PageHighMem(p));
	KTEST_EXPECT_NULL(t, page_address(p));
	u32 *a = kmap_local_page(p);
	bool present;
	KTEST_EXPECT_TRUE(t, arch_is_kmap_local_addr((unsigned long)a));
	KTEST_EXPECT_EQ(t, mapped_phys(a, &present), page_to_phys(p));
	KTEST_EXPECT_TRUE(t, present);
	for (unsigned long w = 0; w < PAGE_SIZE / 4; w++)
		a[w] = word_pattern(page_to_pfn(p), w);
	kunmap_local(a);
	mapped_phys(a, &present);
	KTEST_EXPECT_FALSE(t, present);

	/* Another page in the same slot, then the first again through kmap:
	 * each sees its own bytes (a stale TLB entry would show the other). */
	struct page *q = alloc_page(GFP_HIGHUSER);
	KTEST_ASSERT_NOT_NULL(t, q);
	u32 *b = kmap_local_page(q);
	KTEST_EXPECT_PTR_EQ(t, b, a);                           /* the same depth: the same slot */
	b[0] = 0x12345678;
	kunmap_local(b);
	u32 *c = kmap(p);
	KTEST_ASSERT_NOT_NULL(t, c);
	KTEST_EXPECT_NE(t, (unsigned long)c, (unsigned long)a);
	int bad = 0;
	for (unsigned long w = 0; w < PAGE_SIZE / 4; w++)
		bad += c[w] != word_pattern(page_to_pfn(p), w);
	KTEST_EXPECT_EQ(t, bad, 0);
	kunmap(p);
	__free_page(q);
	__free_page(p);
}

/* memcpy_to_page / memcpy_from_page land at the offset asked, nowhere else. */
static void memcpy_to_and_from_page(struct ktest *t)
{
	static const char msg[] = "highmem says hello";
	char back[sizeof(msg)];
	struct page *p = test_page();
	KTEST_ASSERT_NOT_NULL(t, p);
	u8 *v = kmap_local_page(p);
	memset(v, 0xcc, PAGE_SIZE);
	kunmap_local(v);
	memcpy_to_page(p, PAGE_SIZE - sizeof(msg), msg, sizeof(msg));
	memcpy_from_page(back, p, PAGE_SIZE - sizeof(msg), sizeof(msg));
	KTEST_EXPECT_STREQ(t, back, msg);
	v = kmap_local_page(p);
	KTEST_EXPECT_EQ(t, v[PAGE_SIZE - sizeof(msg) - 1], 0xcc);
	KTEST_EXPECT_EQ(t, v[0], 0xcc);
	kunmap_local(v);
	KTEST_EXPECT_EQ(t, kmap_local_depth(), 0);
	__free_page(p);
}

/* KM_MAX_IDX mappings at once, all live, each with its own bytes, undone
 * in reverse order. */
static void nested_depth_16(struct ktest *t)
{
	struct page *pg[KM_MAX_IDX];
	u32 *va[KM_MAX_IDX];
	for (int i = 0; i < KM_MAX_IDX; i++) {
		pg[i] = test_page();
		KTEST_ASSERT_NOT_NULL(t, pg[i]);
	}
	for (int i = 0; i < KM_MAX_IDX; i++) {
		va[i] = kmap_local_page(pg[i]);
		KTEST_EXPECT_EQ(t, kmap_local_depth(), i + 1);
		for (int j = 0; j < i; j++)
			KTEST_EXPECT_NE(t, (unsigned long)va[i], (unsigned long)va[j]);
		for (unsigned long w = 0; w < PAGE_SIZE / 4; w++)
			va[i][w] = word_pattern(page_to_pfn(pg[i]), w);
	}
	int bad = 0, high = 0;
	for (int i = 0; i < KM_MAX_IDX; i++) {
		high += PageHighMem(pg[i]);
		for (unsigned long w = 0; w < PAGE_SIZE / 4; w++)
			bad += va[i][w] != word_pattern(page_to_pfn(pg[i]), w);
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	for (int i = KM_MAX_IDX - 1; i >= 0; i--) {
		kunmap_local(va[i]);
		KTEST_EXPECT_EQ(t, kmap_local_depth(), i);
	}
	/* Every slot is clear again (highmem) and the data stayed in the pages. */
	for (int i = 0; i < KM_MAX_IDX; i++) {
		bool present;
		if (PageHighMem(pg[i])) {
			mapped_phys(va[i], &present);
			KTEST_EXPECT_FALSE(t, present);
		}
		u32 *v = kmap_local_page(pg[i]);
		KTEST_EXPECT_EQ(t, v[PAGE_SIZE / 4 - 1], word_pattern(page_to_pfn(pg[i]), PAGE_SIZE / 4 - 1));
		kunmap_local(v);
		__free_page(pg[i]);
	}
	printk("# %d nested kmap_local mappings, %d of them highmem\n", KM_MAX_IDX, high);
}

/* kmap_atomic raises the atomic depth for exactly as long as it is held. */
static void kmap_atomic_is_atomic(struct ktest *t)
{
	struct page *p = test_page(), *q = test_page();
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_FALSE(t, in_atomic());
	u32 *a = kmap_atomic(p);
	KTEST_EXPECT_TRUE(t, in_atomic());
	u32 *b = kmap_local_page(q);                    /* nests inside */
	*a = 1;
	*b = 2;
	KTEST_EXPECT_TRUE(t, in_atomic());
	kunmap_local(b);
	KTEST_EXPECT_TRUE(t, in_atomic());
	kunmap_atomic(a);
	KTEST_EXPECT_FALSE(t, in_atomic());
	KTEST_EXPECT_EQ(t, kmap_local_depth(), 0);
	might_sleep();                                  /* fine again */
	__free_page(p);
	__free_page(q);
}

/*
 * Fill the pkmap pool, see kmap fail with NULL (and say so), give one entry
 * back, see kmap succeed in exactly that entry once the lazy flush has run.
 */
static void pkmap_exhaustion_and_recovery(struct ktest *t)
{
	enum { MAXP = 1024 + 1 };                       /* the i386 pool, and one more */
	static struct page *pg[MAXP];
	static u32 *va[MAXP];
	const unsigned int n = pkmap_pool_size();
	if (!n) {
		ktest_skip(t, "no pkmap pool: every page is in the direct map (x86_64)");
		return;
	}
	KTEST_ASSERT_LE(t, n + 1, MAXP);
	if (!have_free_highmem(t, n + 2))
		return;
	KTEST_ASSERT_EQ(t, pkmap_nr_used(), 0);
	for (unsigned int i = 0; i < n + 1; i++) {
		pg[i] = alloc_page(GFP_HIGHUSER);
		KTEST_ASSERT_NOT_NULL(t, pg[i]);
		KTEST_ASSERT_TRUE(t, PageHighMem(pg[i]));
	}
	int outside = 0, bad = 0;
	for (unsigned int i = 0; i < n; i++) {
		va[i] = kmap(pg[i]);
		KTEST_ASSERT_NOT_NULL(t, va[i]);
		outside += (unsigned long)va[i] < VMALLOC_END || (unsigned long)va[i] >= FIXADDR_START;
		*va[i] = (u32)page_to_pfn(pg[i]);
	}
	KTEST_EXPECT_EQ(t, outside, 0);
	KTEST_EXPECT_EQ(t, pkmap_nr_used(), n);
	/* A second kmap of a mapped page is the same entry, one more reference. */
	KTEST_EXPECT_PTR_EQ(t, kmap(pg[7]), va[7]);
	kunmap(pg[7]);
	/* Pool full: NULL, with a report, and nothing changes. */
	KTEST_EXPECT_NULL(t, kmap(pg[n]));
	KTEST_EXPECT_EQ(t, pkmap_nr_used(), n);
	/* One entry back: the next kmap gets it (after flushing it). */
	kunmap(pg[5]);
	KTEST_EXPECT_EQ(t, pkmap_nr_used(), n - 1);
	u32 *x = kmap(pg[n]);
	KTEST_ASSERT_NOT_NULL(t, x);
	KTEST_EXPECT_PTR_EQ(t, x, va[5]);
	*x = 0xfeedf00d;
	/* Every page still holds its own marker: no entry points at another page. */
	for (unsigned int i = 0; i < n; i++)
		if (i != 5)
			bad += *va[i] != (u32)page_to_pfn(pg[i]);
	KTEST_EXPECT_EQ(t, bad, 0);
	u32 *v5 = kmap_local_page(pg[5]);
	KTEST_EXPECT_EQ(t, *v5, (u32)page_to_pfn(pg[5]));
	kunmap_local(v5);
	kunmap(pg[n]);
	for (unsigned int i = 0; i < n; i++)
		if (i != 5)
			kunmap(pg[i]);
	KTEST_EXPECT_EQ(t, pkmap_nr_used(), 0);
	/* Recovered: the whole pool can be used again. */
	for (unsigned int i = 0; i < n; i++) {
		va[i] = kmap(pg[i]);
		if (!va[i]) {
			KTEST_EXPECT_NOT_NULL(t, va[i]);
			break;
		}
		bad += *va[i] != (u32)page_to_pfn(pg[i]);
		kunmap(pg[i]);
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	for (unsigned int i = 0; i < n + 1; i++)
		__free_page(pg[i]);
}

/*
 * The pages every_highmem_page writes and checks: every page of each 2 MiB
 * frame range at a multiple of 64 MiB, and every page of the first 64 MiB
 * of highmem (896 MiB is a multiple of 64 MiB). A wrong mapping that sends
 * pfn to pfn ^ (1 << b) is seen whatever b is, because both pages are
 * written, each with its own pattern, and the one written second
 * overwrites the other: for b < 9 inside any 2 MiB range, for b >= 14
 * between the ranges at multiples of 64 MiB, for the bits in between
 * inside the first 64 MiB. That includes an address cut to 32 bits (pfn
 * and pfn + 4 GiB). A stale slot is seen too: the write goes through the
 * slot to the page written before. Whole 2 MiB ranges, because the host
 * backs guest memory in 2 MiB huge pages on first touch: on the CI machine
 * kind writing all 5 GiB of the 6 GiB PAE boot took 11 to 120 Gcycles,
 * and one page in 64 no less.
 */
static bool page_sampled(unsigned long pfn)
{
	unsigned long range = PFN_PHYS(pfn) >> 21, first = PFN_PHYS(zones[ZONE_HIGHMEM].zone_start_pfn) >> 21;
	return range % 32 == 0 || range - first < 32;
}

/*
 * The words of a sampled page: all of them on every WHOLE_EVERY-th, else
 * the first, the last and one that moves with the pfn (so across the
 * pages every offset is covered). Aliasing is per frame, so a few words
 * of a page show it (pfn and pfn + 4 GiB share the moving word too).
 */
#define WHOLE_EVERY 16

static void fill_page_words(u32 *v, unsigned long pfn, bool whole)
{
	if (whole) {
		for (unsigned long w = 0; w < PAGE_SIZE / 4; w++)
			v[w] = word_pattern(pfn, w);
		return;
	}
	unsigned long mid = pfn % (PAGE_SIZE / 4);
	v[0] = word_pattern(pfn, 0);
	v[mid] = word_pattern(pfn, mid);
	v[PAGE_SIZE / 4 - 1] = word_pattern(pfn, PAGE_SIZE / 4 - 1);
}

static unsigned long bad_page_words(const u32 *v, unsigned long pfn, bool whole)
{
	unsigned long bad = 0;
	if (whole) {
		for (unsigned long w = 0; w < PAGE_SIZE / 4; w++)
			bad += v[w] != word_pattern(pfn, w);
		return bad;
	}
	unsigned long mid = pfn % (PAGE_SIZE / 4);
	bad += v[0] != word_pattern(pfn, 0);
	bad += v[mid] != word_pattern(pfn, mid);
	bad += v[PAGE_SIZE / 4 - 1] != word_pattern(pfn, PAGE_SIZE / 4 - 1);
	return bad;
}

/*
 * Every free highmem page: allocate them all (GFP_HIGHUSER until a lowmem
 * page comes back), write a pattern derived from the pfn into the sampled
 * ones (page_sampled) through kmap_local_page, then read those back. Two
 * pages sharing a frame (say an address cut to 32 bits, aliasing pfn and
 * pfn + 4 GiB), a stale TLB entry or a slot pointing at the wrong page
 * would show as a mismatch; a page missing from the count as a difference
 * from the zone's free count. With PAE and RAM above 4 GiB, pages up there
 * must be among them, written ones too. Then everything goes back.
 */
static void every_highmem_page(struct ktest *t)
{
	if (!have_free_highmem(t, 1))
		return;
	LIST_HEAD(held);
	unsigned long before = settled_free_pages();
	unsigned long high_free = zones[ZONE_HIGHMEM].free_pages, n = 0, above4g = 0, bad_pages = 0;
	unsigned long written = 0, written_above4g = 0;
	u64 t0 = rdtsc();
	for (;;) {
		struct page *p = alloc_page(GFP_HIGHUSER | __GFP_NOWARN);
		if (!p)
			break;
		if (!PageHighMem(p)) {
			__free_page(p);
			break;
		}
		list_add(&p->lru, &held);
		n++;
		above4g += page_to_phys(p) >= (1ULL << 32);
	}
	KTEST_EXPECT_EQ(t, n, high_free);
	KTEST_EXPECT_EQ(t, zones[ZONE_HIGHMEM].free_pages, 0);
	if (PFN_PHYS(max_pfn) > (1ULL << 32) && ARCH_MAX_PHYS_ADDR > (1ULL << 32))
		KTEST_EXPECT_GT(t, above4g, 0);
	u64 t1 = rdtsc();
	struct page *p;
	unsigned long i = 0;
	list_for_each_entry(p, &held, lru) {
		unsigned long pfn = page_to_pfn(p);
		if (!page_sampled(pfn))
			continue;
		u32 *v = kmap_local_page(p);
		fill_page_words(v, pfn, i++ % WHOLE_EVERY == 0);
		kunmap_local(v);
		written++;
		written_above4g += page_to_phys(p) >= (1ULL << 32);
	}
	u64 t2 = rdtsc();
	i = 0;
	list_for_each_entry(p, &held, lru) {
		unsigned long pfn = page_to_pfn(p);
		if (!page_sampled(pfn))
			continue;
		const u32 *v = kmap_local_page(p);
		unsigned long bad = bad_page_words(v, pfn, i++ % WHOLE_EVERY == 0);
		kunmap_local(v);
		if (bad && bad_pages++ < 5)
			printk("# pfn %#lx: %lu words wrong\n", pfn, bad);
	}
	u64 t3 = rdtsc();
	KTEST_EXPECT_EQ(t, bad_pages, 0);
	KTEST_EXPECT_GT(t, written, n / 40);
	KTEST_EXPECT_EQ(t, above4g > 0, written_above4g > 0);
	KTEST_EXPECT_EQ(t, kmap_local_depth(), 0);
	while (!list_empty(&held)) {
		p = list_first_entry(&held, struct page, lru);
		list_del(&p->lru);
		__free_page(p);
	}
	KTEST_EXPECT_EQ(t, settled_free_pages(), before);
	printk("# every highmem page: %lu pages (%lu MiB, %lu MiB above 4 GiB) allocated, %lu written and checked "
	       "(%lu above 4 GiB; every word of 1 in %d); Mcycles: allocate %llu, write %llu, verify %llu\n", n, n >> 8,
	       above4g >> 8, written, written_above4g, WHOLE_EVERY,
	       (unsigned long long)((t1 - t0) >> 20), (unsigned long long)((t2 - t1) >> 20),
	       (unsigned long long)((t3 - t2) >> 20));
}

/* ram0 writes from and reads into highmem pages (copied through kmap_local),
 * with a kmap_local mapping held across the waits: allowed, unlike kmap_atomic. */
static void ramdisk_round_trip_highmem(struct ktest *t)
{
	enum { N = 12 };
	struct gendisk *d = get_disk_by_name("ram0");
	if (!d) {
		ktest_skip(t, "no ram0 (ramdisk=0?)");
		return;
	}
	if (!have_free_highmem(t, 2 * N))
		return;
	struct page *wp[N], *rp[N];
	for (int i = 0; i < N; i++) {
		wp[i] = alloc_page(GFP_HIGHUSER);
		rp[i] = alloc_page(GFP_HIGHUSER);
		KTEST_ASSERT_NOT_NULL(t, wp[i]);
		KTEST_ASSERT_NOT_NULL(t, rp[i]);
		KTEST_ASSERT_TRUE(t, PageHighMem(wp[i]) && PageHighMem(rp[i]));
		u32 *v = kmap_local_page(wp[i]);
		for (unsigned long w = 0; w < PAGE_SIZE / 4; w++)
			v[w] = word_pattern(i + 1000, w);
		kunmap_local(v);
		v = kmap_local_page(rp[i]);
		memset(v, 0xee, PAGE_SIZE);
		kunmap_local(v);
	}
	struct bio *w = bio_alloc(d, N, REQ_OP_WRITE, GFP_KERNEL);
	struct bio *r = bio_alloc(d, N, REQ_OP_READ, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, w);
	KTEST_ASSERT_NOT_NULL(t, r);
	for (int i = 0; i < N; i++) {
		KTEST_EXPECT_EQ(t, bio_add_page(w, wp[i], PAGE_SIZE, 0), PAGE_SIZE);
		KTEST_EXPECT_EQ(t, bio_add_page(r, rp[i], PAGE_SIZE - 1024, 512), PAGE_SIZE - 1024);
	}
	w->bi_iter.bi_sector = 2048;
	r->bi_iter.bi_sector = 2049;            /* one sector on: offsets differ on both sides */
	void *held = kmap_local_page(wp[0]);
	unsigned long errors0 = d->errors;
	KTEST_EXPECT_EQ(t, submit_bio_wait(w), 0);
	KTEST_EXPECT_EQ(t, submit_bio_wait(r), 0);
	kunmap_local(held);
	KTEST_EXPECT_EQ(t, d->errors, errors0);
	/* Read piece i came from disk byte 512 + i * 3072 on, written from page
	 * (512 + i*3072) / 4096 at the same offset within it. */
	int bad = 0, outside = 0;
	for (int i = 0; i < N; i++) {
		const u8 *v = kmap_local_page(rp[i]);
		for (unsigned int b = 0; b < PAGE_SIZE - 1024; b += 4) {
			unsigned long disk = 512 + (unsigned long)i * (PAGE_SIZE - 1024) + b;
			u32 want = word_pattern(disk / PAGE_SIZE + 1000, (disk % PAGE_SIZE) / 4);
			bad += *(const u32 *)(v + 512 + b) != want;
		}
		outside += v[511] != 0xee || v[PAGE_SIZE - 512] != 0xee;
		kunmap_local(v);
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, outside, 0);
	bio_put(w);
	bio_put(r);
	for (int i = 0; i < N; i++) {
		__free_page(wp[i]);
		__free_page(rp[i]);
	}
}

/* The cycles bench_kmap printed after label, or 0 if the row is missing. */
static unsigned long long bench_row(const char *out, const char *label)
{
	const char *p = strstr(out, label);
	unsigned long long v = 0;
	if (!p)
		return 0;
	for (p += strlen(label); *p == ' '; p++)
		;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (unsigned long long)(*p - '0');
	return v;
}

/* The figures for docs/highmem.md, from the `bench_kmap` command. Timings
 * are never asserted (TCG on a shared machine makes any ordering flaky);
 * what is checked is that the bench measured every row and left no mapping
 * behind. */
static void bench_kmap_pairs(struct ktest *t)
{
	static char out[2048];
	console_capture_start(out, sizeof(out));
	int ret = monitor_exec("bench_kmap");
	console_capture_stop();
	KTEST_ASSERT_EQ(t, ret, 0);
	KTEST_EXPECT_NE(t, bench_row(out, "kmap_local_page+kunmap_local low"), 0);
	KTEST_EXPECT_NE(t, bench_row(out, "kmap+kunmap, same page"), 0);
	KTEST_EXPECT_NE(t, bench_row(out, "kmap+kunmap, a new page each time"), 0);
	KTEST_EXPECT_EQ(t, kmap_local_depth(), 0);
	KTEST_EXPECT_EQ(t, pkmap_nr_used(), 0);
}

/* ---- misuse: each must stop the kernel with its own report ------------- */

static void kunmap_local_out_of_order(struct ktest *t)
{
	struct page *p = test_page(), *q = test_page();
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_ASSERT_NOT_NULL(t, q);
	void *a = kmap_local_page(p);
	void *b = kmap_local_page(q);
	kunmap_local(a);                        /* b is the innermost */
	kunmap_local(b);
}

static void kmap_local_overflow(struct ktest *t)
{
	struct page *p = test_page();
	KTEST_ASSERT_NOT_NULL(t, p);
	for (int i = 0; i <= KM_MAX_IDX; i++)
		kmap_local_page(p);             /* never unmapped */
}

static void kunmap_local_not_mapped(struct ktest *t)
{
	struct page *p = test_page();
	KTEST_ASSERT_NOT_NULL(t, p);
	void *a = kmap_local_page(p);
	kunmap_local(a);
	kunmap_local(a);                        /* twice */
	KTEST_EXPECT_EQ(t, kmap_local_depth(), 0);      /* not reached (and no tail call) */
}

static void kunmap_not_mapped(struct ktest *t)
{
	struct page *p = alloc_page(GFP_HIGHUSER);
	KTEST_ASSERT_NOT_NULL(t, p);
	if (!PageHighMem(p))
		printk("# no highmem: kunmap of a lowmem page does nothing, no panic expected\n");
	kunmap(p);                              /* never kmapped */
	__free_page(p);                         /* reached only without highmem */
}

/* i386 highmem: the slot is clear after kunmap_local, so a stale pointer
 * faults, and the report names the kmap_local slots. */
static void use_after_kunmap_local(struct ktest *t)
{
	struct page *p = test_page();
	KTEST_ASSERT_NOT_NULL(t, p);
	volatile u32 *a = kmap_local_page(p);
	*a = 1;
	kunmap_local((void *)a);
	if (!PageHighMem(p))
		printk("# no highmem: the address stays in the direct map, no fault expected\n");
	KTEST_EXPECT_EQ(t, *a, 1u);             /* faults on highmem */
}

static void sleep_in_atomic(struct ktest *t)
{
	struct gendisk *d = get_disk_by_name("ram0");
	struct page *p = test_page(), *buf = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, d);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_ASSERT_NOT_NULL(t, buf);
	struct bio *r = bio_alloc(d, 1, REQ_OP_READ, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, r);
	bio_add_page(r, buf, PAGE_SIZE, 0);
	void *a = kmap_atomic(p);
	submit_bio_wait(r);                     /* blocks while atomic */
	kunmap_atomic(a);
}

static struct ktest_case highmem_cases[] = {
	KTEST_CASE(lowmem_is_page_address),
	KTEST_CASE(highmem_local_maps_the_page),
	KTEST_CASE(memcpy_to_and_from_page),
	KTEST_CASE(nested_depth_16),
	KTEST_CASE(kmap_atomic_is_atomic),
	KTEST_CASE(pkmap_exhaustion_and_recovery),
	KTEST_CASE(every_highmem_page),
	KTEST_CASE(ramdisk_round_trip_highmem),
	KTEST_CASE(bench_kmap_pairs),
	KTEST_PANIC_CASE(kunmap_local_out_of_order, "BUG: kunmap_local out of order"),
	KTEST_PANIC_CASE(kmap_local_overflow, "BUG: kmap_local stack overflow"),
	KTEST_PANIC_CASE(kunmap_local_not_mapped, "which is not mapped"),
	KTEST_PANIC_CASE(kunmap_not_mapped, "BUG: kunmap of page pfn"),
	KTEST_PANIC_CASE(use_after_kunmap_local, "not mapped (the kmap_local slots of the fixmap)"),
	KTEST_PANIC_CASE(sleep_in_atomic, "BUG: sleeping function called from invalid context"),
	{}
};
KTEST_SUITE(highmem, highmem_cases);
