/*
 * The block layer on ram0: bios over scattered pages, splitting to the
 * queue limits, the scatter-list mapping, refusals, and data integrity
 * checked against the documented test pattern and zlib's CRC-32.
 */
#include <pagoda/ktest.h>
#include <pagoda/blkdev.h>
#include <pagoda/crc32.h>
#include <pagoda/diskpattern.h>
#include <pagoda/errno.h>
#include <pagoda/monitor.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
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

static void crc32_known_values(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, crc32(0, "123456789", 9), 0xcbf43926);       /* the standard check */
	KTEST_EXPECT_EQ(t, crc32(0, "", 0), 0);
	KTEST_EXPECT_EQ(t, crc32(crc32(0, "1234", 4), "56789", 5), 0xcbf43926);
}

static struct ktest_case block_cases[] = {
	KTEST_CASE(split_at_max_segments),
	KTEST_CASE(contiguous_pages_merge),
	KTEST_CASE(boundary_splits_entries),
	KTEST_CASE(ram0_round_trip_split),
	KTEST_CASE(refused_before_issue),
	KTEST_CASE(dwrite_dcrc_agree),
	KTEST_CASE(crc32_known_values),
	{}
};
KTEST_SUITE(block, block_cases);
