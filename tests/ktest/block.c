/*
 * The block layer on ram0: bios over scattered pages, splitting to the
 * queue limits, the scatter-list mapping, refusals, and data integrity
 * checked against the documented test pattern and zlib's CRC-32.
 */
#include <pagoda/ktest.h>
#include <pagoda/blkdev.h>
#include <pagoda/scattered_pages.h>
#include <pagoda/crc32.h>
#include <pagoda/diskpattern.h>
#include <pagoda/errno.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/smp.h>
#include <pagoda/sprintf.h>

static struct gendisk *ram0(struct ktest *t)
{
	struct gendisk *d = get_disk_by_name("ram0");
	if (!d)
		ktest_skip(t, "no ram0 (ramdisk=0?)");
	return d;
}

static const struct queue_limits test_limits = {
	.logical_block_size = 512, .max_hw_sectors = 64, .max_segments = 4,
	.max_segment_size = 8192, .seg_boundary_mask = 0xffff, .dma_alignment = 511,
};

static bool pfn_neighbours(struct page *a, struct page *b)
{
	return page_to_pfn(a) + 1 == page_to_pfn(b) || page_to_pfn(b) + 1 == page_to_pfn(a);
}

/*
 * alloc_scattered_pages keeps its promise whatever order the allocator
 * hands pages out in. Arrange this CPU's page cache (LIFO) so that the
 * next allocations return x, A+1, y, A with A and A+1 adjacent: a buffer
 * that kept every other page would put A and A+1 side by side.
 */
static void scattered_pages_never_adjacent(struct ktest *t)
{
	enum { POOL = 64 };
	struct page *pool[POOL];
	free_scattered_pages(alloc_scattered_pages(4), 4);     /* warm kmalloc's caches */
	for (int i = 0; i < POOL; i++) {
		pool[i] = alloc_page(GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, pool[i]);
	}
	int a = -1, a1 = -1;
	for (int i = 0; i < POOL && a < 0; i++)
		for (int j = 0; j < POOL; j++)
			if (page_to_pfn(pool[i]) + 1 == page_to_pfn(pool[j])) {
				a = i;
				a1 = j;
				break;
			}
	if (a < 0) {
		for (int i = 0; i < POOL; i++)
			__free_page(pool[i]);
		ktest_skip(t, "no two adjacent pages among 64 fresh ones");
		return;
	}
	int x = -1, y = -1;
	for (int i = 0; i < POOL; i++) {
		if (i == a || i == a1)
			continue;
		if (x < 0 && !pfn_neighbours(pool[i], pool[a]) && !pfn_neighbours(pool[i], pool[a1]))
			x = i;
		else if (y < 0 && i != x && !pfn_neighbours(pool[i], pool[a]) && !pfn_neighbours(pool[i], pool[a1]))
			y = i;
	}
	KTEST_ASSERT_TRUE(t, x >= 0 && y >= 0);
	for (int i = 0; i < POOL; i++)
		if (i != a && i != a1 && i != x && i != y)
			__free_page(pool[i]);
	/* Freed last, taken first. */
	__free_page(pool[a]);
	__free_page(pool[y]);
	__free_page(pool[a1]);
	__free_page(pool[x]);

	struct page **pages = alloc_scattered_pages(4);
	KTEST_ASSERT_NOT_NULL(t, pages);
	for (int i = 0; i + 1 < 4; i++)
		KTEST_EXPECT_FALSE(t, pfn_neighbours(pages[i], pages[i + 1]));
	free_scattered_pages(pages, 4);
}

/* Four scattered pages: four entries, nothing merges; a fifth page needs a split. */
static void split_at_max_segments(struct ktest *t)
{
	struct page **pages = alloc_scattered_pages(5);
	KTEST_ASSERT_NOT_NULL(t, pages);
	struct bio *bio = bio_alloc(NULL, 5, REQ_OP_READ, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, bio);
	for (int i = 0; i < 5; i++)
		KTEST_EXPECT_EQ(t, bio_add_page(bio, pages[i], PAGE_SIZE, 0), PAGE_SIZE);
	KTEST_EXPECT_EQ(t, bio->bi_iter.bi_size, 5 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, bio_split_point(bio, &test_limits), 4 * PAGE_SIZE);

	struct scatterlist sg[8];
	KTEST_EXPECT_EQ(t, blk_bio_map_sg(bio, sg, 8, &test_limits), 4);
	for (int i = 0; i < 4; i++) {
		KTEST_EXPECT_EQ(t, sg[i].length, PAGE_SIZE);
		KTEST_EXPECT_EQ(t, sg_phys(&sg[i]), page_to_phys(pages[i]));
	}
	bio_put(bio);
	free_scattered_pages(pages, 5);
}

/* A physically contiguous block merges into entries of max_segment_size. */
static void contiguous_pages_merge(struct ktest *t)
{
	struct page *block = alloc_pages(GFP_KERNEL, 3);        /* 32 KiB */
	KTEST_ASSERT_NOT_NULL(t, block);
	struct bio *bio = bio_alloc(NULL, 8, REQ_OP_READ, GFP_KERNEL);
	for (int i = 0; i < 8; i++)
		bio_add_page(bio, block + i, PAGE_SIZE, 0);
	struct scatterlist sg[8];
	int n = blk_bio_map_sg(bio, sg, 8, &test_limits);
	KTEST_EXPECT_EQ(t, n, 4);                               /* 32 KiB / 8 KiB */
	for (int i = 0; i < n; i++) {
		KTEST_EXPECT_EQ(t, sg[i].length, 8192);
		KTEST_EXPECT_EQ(t, sg_phys(&sg[i]), page_to_phys(block) + i * 8192);
	}
	KTEST_EXPECT_EQ(t, bio_split_point(bio, &test_limits), 32768);
	bio_put(bio);
	__free_pages(block, 3);
}

/* An entry may not cross the segment boundary even when contiguous. */
static void boundary_splits_entries(struct ktest *t)
{
	struct queue_limits lim = test_limits;
	lim.seg_boundary_mask = 0x1fff;                         /* 8 KiB windows */
	lim.max_segment_size = 65536;
	struct page *block = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_NOT_NULL(t, block);
	struct bio *bio = bio_alloc(NULL, 1, REQ_OP_READ, GFP_KERNEL);
	bio_add_page(bio, block, 3 * PAGE_SIZE, 2048);          /* starts mid-window */
	struct scatterlist sg[8];
	int n = blk_bio_map_sg(bio, sg, 8, &lim);
	KTEST_EXPECT_EQ(t, n, 2);
	KTEST_EXPECT_EQ(t, sg[0].length, 8192 - 2048);
	KTEST_EXPECT_EQ(t, sg[1].length, 3 * PAGE_SIZE - (8192 - 2048));
	for (int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, (sg_phys(&sg[i]) & ~0x1fffULL),
				((sg_phys(&sg[i]) + sg[i].length - 1) & ~0x1fffULL));
	bio_put(bio);
	__free_pages(block, 2);
}

/* Write through one layout of scattered pages, read back through another:
 * odd offsets and lengths that are sector but not page multiples. */
static void ram0_round_trip_split(struct ktest *t)
{
	struct gendisk *d = ram0(t);
	if (!d)
		return;
	const unsigned int pieces = 24, bytes_per = 3 * 512;
	struct page **wp = alloc_scattered_pages(pieces), **rp = alloc_scattered_pages(pieces);
	KTEST_ASSERT_NOT_NULL(t, wp);
	KTEST_ASSERT_NOT_NULL(t, rp);
	struct bio *w = bio_alloc(d, pieces, REQ_OP_WRITE, GFP_KERNEL);
	struct bio *r = bio_alloc(d, pieces, REQ_OP_READ, GFP_KERNEL);
	for (unsigned int i = 0; i < pieces; i++) {
		u8 *p = (u8 *)page_address(wp[i]) + 512;
		for (unsigned int b = 0; b < bytes_per; b++)
			p[b] = (u8)(i * 7 + b);
		bio_add_page(w, wp[i], bytes_per, 512);
		memset(page_address(rp[i]), 0xee, PAGE_SIZE);
		bio_add_page(r, rp[i], bytes_per, 1024);
	}
	w->bi_iter.bi_sector = r->bi_iter.bi_sector = 100;
	unsigned long writes0 = d->writes, reads0 = d->reads;
	KTEST_EXPECT_EQ(t, submit_bio_wait(w), 0);
	KTEST_EXPECT_EQ(t, submit_bio_wait(r), 0);
	/* 24 pieces on separate pages are 24 entries; ram0 takes 8 per request. */
	KTEST_EXPECT_EQ(t, d->writes - writes0, 3);
	KTEST_EXPECT_EQ(t, d->reads - reads0, 3);
	for (unsigned int i = 0; i < pieces; i++) {
		const u8 *p = (const u8 *)page_address(rp[i]);
		KTEST_EXPECT_MEMEQ(t, p + 1024, (const u8 *)page_address(wp[i]) + 512, bytes_per);
		KTEST_EXPECT_EQ(t, p[1023], 0xee);               /* nothing outside the segment */
		KTEST_EXPECT_EQ(t, p[1024 + bytes_per], 0xee);
	}
	bio_put(w);
	bio_put(r);
	free_scattered_pages(wp, pieces);
	free_scattered_pages(rp, pieces);
}

static void refused_before_issue(struct ktest *t)
{
	struct gendisk *d = ram0(t);
	if (!d)
		return;
	struct page *pg = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, pg);
	unsigned long reads0 = d->reads;

	struct bio *b = bio_alloc(d, 1, REQ_OP_READ, GFP_KERNEL);
	bio_add_page(b, pg, 1024, 0);
	b->bi_iter.bi_sector = d->capacity - 1;                 /* one sector too far */
	KTEST_EXPECT_EQ(t, submit_bio_wait(b), -EIO);
	bio_put(b);

	b = bio_alloc(d, 1, REQ_OP_READ, GFP_KERNEL);
	bio_add_page(b, pg, 100, 0);                            /* not a whole sector */
	KTEST_EXPECT_EQ(t, submit_bio_wait(b), -EINVAL);
	bio_put(b);

	b = bio_alloc(d, 1, REQ_OP_READ, GFP_KERNEL);
	bio_add_page(b, pg, 512, 3);                            /* misaligned for DMA */
	KTEST_EXPECT_EQ(t, submit_bio_wait(b), -EINVAL);
	bio_put(b);

	KTEST_EXPECT_EQ(t, d->reads, reads0);                   /* none reached the driver */
	__free_page(pg);
}

/* dwrite then dcrc, compared with the CRC of the pattern computed here. */
static void dwrite_dcrc_agree(struct ktest *t)
{
	static char out[512];
	if (!ram0(t))
		return;
	u32 want = 0, words[128];
	for (u64 s = 0; s < 40; s++) {
		disk_pattern_sector(words, 1000 + s, 99);
		want = crc32(want, words, sizeof(words));
	}
	console_capture_start(out, sizeof(out));
	monitor_exec("dwrite ram0 1000 40 99");
	monitor_exec("dcrc ram0 1000 40");
	console_capture_stop();
	char expect[64];
	snprintf(expect, sizeof(expect), "crc32 %08x", want);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "seed 99: ok"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, expect));
}

/* Atomic: a driver may complete bios on another CPU than the submitter's. */
static void count_end_io(struct bio *bio)
{
	__atomic_fetch_add((int *)bio->bi_private, 1, __ATOMIC_RELEASE);
}

/* One-sector bio over its own page: `sector` with the seed's pattern when writing. */
static struct bio *sector_bio(struct gendisk *d, enum req_op op, sector_t sector, struct page *pg,
			      volatile int *done)
{
	struct bio *b = bio_alloc(d, 1, op, GFP_KERNEL);
	if (!b)
		return NULL;
	if (op == REQ_OP_WRITE)
		disk_pattern_sector(page_address(pg), sector, 5);
	b->bi_iter.bi_sector = sector;
	bio_add_page(b, pg, 512, 0);
	b->bi_end_io = count_end_io;
	b->bi_private = (void *)done;
	return b;
}

/*
 * 16 one-sector writes under a plug: 2004..2015 in order (back merges),
 * then 2003..2000 downwards (front merges). ram0 takes 8 segments per
 * request, so they become 3 requests: 2004-2011, 2012-2015, 2000-2003 --
 * 13 merges, 3 writes reaching the driver, and nothing before the plug
 * is finished. The sectors read back through one bio hold the pattern.
 */
static void plug_merges_adjacent(struct ktest *t)
{
	struct gendisk *d = ram0(t);
	if (!d)
		return;
	enum { N = 16 };
	struct page **pages = alloc_scattered_pages(N);
	KTEST_ASSERT_NOT_NULL(t, pages);
	struct bio *bios[N];
	volatile int done = 0;
	for (int i = 0; i < N; i++) {
		sector_t sector = i < 12 ? 2004 + i : 2003 - (i - 12);
		bios[i] = sector_bio(d, REQ_OP_WRITE, sector, pages[i], &done);
		KTEST_ASSERT_NOT_NULL(t, bios[i]);
	}
	unsigned long merges0 = d->merges, writes0 = d->writes;
	struct blk_plug plug;
	blk_start_plug(&plug);
	for (int i = 0; i < N; i++)
		submit_bio(bios[i]);
	KTEST_EXPECT_EQ(t, done, 0);                    /* held by the plug */
	KTEST_EXPECT_EQ(t, d->writes, writes0);
	KTEST_EXPECT_EQ(t, plug.count, 3);
	blk_finish_plug(&plug);
	KTEST_EXPECT_EQ(t, done, N);                    /* ram0 completes at once */
	KTEST_EXPECT_EQ(t, d->merges - merges0, 13);
	KTEST_EXPECT_EQ(t, d->writes - writes0, 3);
	for (int i = 0; i < N; i++) {
		KTEST_EXPECT_EQ(t, bios[i]->bi_status, 0);
		KTEST_EXPECT_NULL(t, bios[i]->bi_next);
		bio_put(bios[i]);
	}
	struct page **back = alloc_scattered_pages(2);
	KTEST_ASSERT_NOT_NULL(t, back);
	KTEST_ASSERT_EQ(t, disk_rw_pages(d, REQ_OP_READ, 2000, back, N * 512), 0);
	u32 want[128];
	for (int s = 0; s < N; s++) {
		disk_pattern_sector(want, 2000 + s, 5);
		KTEST_EXPECT_MEMEQ(t, (u8 *)page_address(back[s / 8]) + (s % 8) * 512, want, 512);
	}
	free_scattered_pages(back, 2);
	free_scattered_pages(pages, N);
}

/* What must not merge: a different operation, a gap, another disk's bio
 * (none here), and a flush, which also dispatches what the plug holds. */
static void plug_no_merge(struct ktest *t)
{
	struct gendisk *d = ram0(t);
	if (!d)
		return;
	struct page **pages = alloc_scattered_pages(3);
	KTEST_ASSERT_NOT_NULL(t, pages);
	volatile int done = 0;
	struct bio *w0 = sector_bio(d, REQ_OP_WRITE, 3000, pages[0], &done);
	struct bio *r1 = sector_bio(d, REQ_OP_READ, 3001, pages[1], &done);
	struct bio *w2 = sector_bio(d, REQ_OP_WRITE, 3002, pages[2], &done);
	struct bio *fl = bio_alloc(d, 0, REQ_OP_FLUSH, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, fl);
	fl->bi_end_io = count_end_io;
	fl->bi_private = (void *)&done;
	unsigned long merges0 = d->merges;
	struct blk_plug plug;
	blk_start_plug(&plug);
	submit_bio(w0);
	submit_bio(r1);
	submit_bio(w2);
	KTEST_EXPECT_EQ(t, plug.count, 3);
	KTEST_EXPECT_EQ(t, done, 0);
	submit_bio(fl);                                 /* dispatches the three first */
	KTEST_EXPECT_EQ(t, done, 4);
	KTEST_EXPECT_EQ(t, plug.count, 0);
	blk_finish_plug(&plug);
	KTEST_EXPECT_EQ(t, d->merges, merges0);
	KTEST_EXPECT_EQ(t, w0->bi_status, 0);
	KTEST_EXPECT_EQ(t, r1->bi_status, 0);
	bio_put(w0);
	bio_put(r1);
	bio_put(w2);
	bio_put(fl);
	free_scattered_pages(pages, 3);
}

/* A plug holds at most BLK_PLUG_MAX requests: the next one dispatches
 * those first (in order), and it is held itself. */
static void plug_full_dispatches(struct ktest *t)
{
	struct gendisk *d = ram0(t);
	if (!d)
		return;
	enum { N = BLK_PLUG_MAX + 4 };
	struct page **pages = alloc_scattered_pages(N);
	KTEST_ASSERT_NOT_NULL(t, pages);
	struct bio *bios[N];
	volatile int done = 0;
	for (int i = 0; i < N; i++) {
		bios[i] = sector_bio(d, REQ_OP_READ, 6000 + 2 * i, pages[i], &done);     /* gaps: no merges */
		KTEST_ASSERT_NOT_NULL(t, bios[i]);
	}
	struct blk_plug plug;
	blk_start_plug(&plug);
	for (int i = 0; i < BLK_PLUG_MAX; i++)
		submit_bio(bios[i]);
	KTEST_EXPECT_EQ(t, done, 0);
	KTEST_EXPECT_EQ(t, plug.count, BLK_PLUG_MAX);
	submit_bio(bios[BLK_PLUG_MAX]);
	KTEST_EXPECT_EQ(t, done, BLK_PLUG_MAX);
	KTEST_EXPECT_EQ(t, plug.count, 1);
	for (int i = BLK_PLUG_MAX + 1; i < N; i++)
		submit_bio(bios[i]);
	blk_finish_plug(&plug);
	KTEST_EXPECT_EQ(t, done, N);
	for (int i = 0; i < N; i++) {
		KTEST_EXPECT_EQ(t, bios[i]->bi_status, 0);
		bio_put(bios[i]);
	}
	free_scattered_pages(pages, N);
}

/* dplug reads what dcrc reads, one bio per page, merged under a plug:
 * 24 pages on ram0 (8 segments per request) are 3 requests, 21 merges. */
static void dplug_merges_and_agrees(struct ktest *t)
{
	static char out[512];
	if (!ram0(t))
		return;
	u32 want = 0, words[128];
	for (u64 s = 0; s < 192; s++) {
		disk_pattern_sector(words, 4000 + s, 3);
		want = crc32(want, words, sizeof(words));
	}
	console_capture_start(out, sizeof(out));
	monitor_exec("dwrite ram0 4000 192 3");
	monitor_exec("dplug ram0 4000 192");
	console_capture_stop();
	char expect[96];
	snprintf(expect, sizeof(expect), "crc32 %08x (24 bios under a plug: 21 merged, 3 requests)", want);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, expect));
}

/* dbench with a queue depth: the loop keeps that many bios in flight. */
static void dbench_queue_depth(struct ktest *t)
{
	static char out[512];
	if (!ram0(t))
		return;
	console_capture_start(out, sizeof(out));
	monitor_exec("dbench ram0 256K 4096 8");
	monitor_exec("dbench ram0 256K 4096 0");
	console_capture_stop();
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "dbench ram0: 262144 bytes in "));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "with 4096-byte reads, queue depth 8: "));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "dbench: queue-depth '0': out of range (1 to 64)"));
	KTEST_EXPECT_NULL(t, strstr(out, "error"));
}

static void crc32_known_values(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, crc32(0, "123456789", 9), 0xcbf43926);       /* the standard check */
	KTEST_EXPECT_EQ(t, crc32(0, "", 0), 0);
	KTEST_EXPECT_EQ(t, crc32(crc32(0, "1234", 4), "56789", 5), 0xcbf43926);
}

/*
 * Every CPU at once writes and reads back its own sectors of ram0. ram0
 * runs in the submitter with no lock, so the data must stay each CPU's
 * own and the disk's counters must count every request (they are updated
 * atomically; plain ++ from two CPUs loses increments).
 */
struct ram0_storm {
	struct gendisk *d;
	int rounds;
	volatile int bad[NR_CPUS];
};

static void ram0_storm_cpu(void *arg, int cpu)
{
	struct ram0_storm *st = arg;
	struct page *page = alloc_page(GFP_KERNEL);
	if (!page) {
		st->bad[cpu]++;
		return;
	}
	u32 *w = page_address(page);
	sector_t lba = 2048 + (sector_t)cpu * 8;
	for (int r = 0; r < st->rounds; r++) {
		for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
			w[i] = (u32)cpu << 24 | (u32)r << 12 | i;
		if (disk_rw_pages(st->d, REQ_OP_WRITE, lba, &page, PAGE_SIZE))
			st->bad[cpu]++;
		memset(w, 0, PAGE_SIZE);
		if (disk_rw_pages(st->d, REQ_OP_READ, lba, &page, PAGE_SIZE))
			st->bad[cpu]++;
		for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
			if (w[i] != ((u32)cpu << 24 | (u32)r << 12 | i)) {
				st->bad[cpu]++;
				break;
			}
	}
	__free_page(page);
}

static void ram0_from_every_cpu(struct ktest *t)
{
	struct gendisk *d = ram0(t);
	if (!d)
		return;
	struct ram0_storm st = { .d = d, .rounds = 200 };
	unsigned long reads0 = d->reads, writes0 = d->writes;
	smp_run_on_all_cpus(ram0_storm_cpu, &st);
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		KTEST_EXPECT_EQ(t, st.bad[cpu], 0);
	unsigned long want = (unsigned long)num_online_cpus() * st.rounds;
	KTEST_EXPECT_EQ(t, d->reads - reads0, want);
	KTEST_EXPECT_EQ(t, d->writes - writes0, want);
}

static struct ktest_case block_cases[] = {
	KTEST_CASE(scattered_pages_never_adjacent),
	KTEST_CASE(split_at_max_segments),
	KTEST_CASE(contiguous_pages_merge),
	KTEST_CASE(boundary_splits_entries),
	KTEST_CASE(ram0_round_trip_split),
	KTEST_CASE(refused_before_issue),
	KTEST_CASE(dwrite_dcrc_agree),
	KTEST_CASE(plug_merges_adjacent),
	KTEST_CASE(plug_no_merge),
	KTEST_CASE(plug_full_dispatches),
	KTEST_CASE(dplug_merges_and_agrees),
	KTEST_CASE(dbench_queue_depth),
	KTEST_CASE(crc32_known_values),
	KTEST_CASE(ram0_from_every_cpu),
	{}
};
KTEST_SUITE(block, block_cases);
