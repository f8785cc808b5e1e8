/*
 * The AHCI driver against QEMU's controller and a disk image the runner
 * made with the documented pattern (tools/disk_pattern.py, seed 0): every
 * read is checked word by word or by CRC against the pattern.
 */
#include <pagoda/ktest.h>
#include <pagoda/blkdev.h>
#include <pagoda/scattered_pages.h>
#include <pagoda/sprintf.h>
#include <pagoda/crc32.h>
#include <pagoda/diskpattern.h>
#include <pagoda/bitops.h>
#include <pagoda/errno.h>
#include <pagoda/slab.h>
#include <pagoda/vmalloc.h>
#include <pagoda/highmem.h>
#include <pagoda/dma-mapping.h>
#include <pagoda/monitor.h>
#include <pagoda/pci.h>
#include <pagoda/string.h>
#include <asm/processor.h>
#include "../../drivers/ahci/ahci.h"
#include "ktest_pages.h"

static struct gendisk *sda(struct ktest *t)
{
	struct gendisk *d = get_disk_by_name("sda");
	if (!d)
		ktest_fail_msg(t, __FILE__, __LINE__, "no sda: is a disk attached?");
	return d;
}

/* Check `bytes` at buf hold the seed-0 pattern of the sectors from lba. */
static bool pattern_ok(struct ktest *t, const void *buf, sector_t lba, unsigned int bytes)
{
	const u32 *w = buf;
	for (unsigned int i = 0; i < bytes / 4; i++) {
		u32 want = disk_pattern_word(lba + i / 128, i % 128, 0);
		if (w[i] != want) {
			ktest_fail_msg(t, __FILE__, __LINE__, "sector %llu word %u: %#x, want %#x",
				       (unsigned long long)(lba + i / 128), i % 128, w[i], want);
			return false;
		}
	}
	return true;
}

static void identify(struct ktest *t)
{
	struct gendisk *d = sda(t);
	if (!d)
		return;
	struct ahci_port *port = d->private_data;
	KTEST_EXPECT_EQ(t, d->capacity, 32768);         /* the runner's 16 MiB image */
	KTEST_EXPECT_STREQ(t, port->model, "QEMU HARDDISK");
	KTEST_EXPECT_TRUE(t, port->lba48);
	KTEST_EXPECT_EQ(t, d->limits.max_segment_size, 4u << 20);
	KTEST_EXPECT_EQ(t, d->limits.max_segments, AHCI_MAX_PRD);
}

/* One bio over scattered pages, odd offsets, lengths not page multiples. */
static void read_scattered_odd(struct ktest *t)
{
	struct gendisk *d = sda(t);
	if (!d)
		return;
	struct page **pages = alloc_scattered_pages(10);
	KTEST_ASSERT_NOT_NULL(t, pages);
	struct bio *bio = bio_alloc(d, 10, REQ_OP_READ, GFP_KERNEL);
	bio->bi_iter.bi_sector = 777;
	for (int i = 0; i < 10; i++)
		bio_add_page(bio, pages[i], (i % 3 + 1) * 512, 512 * (i % 4));
	unsigned long reads0 = d->reads;
	KTEST_ASSERT_EQ(t, submit_bio_wait(bio), 0);
	KTEST_EXPECT_EQ(t, d->reads - reads0, 1);       /* 10 segments: one command */
	/* The command the mode calls for: PIO, NCQ, or READ DMA EXT. */
	struct ahci_port *port = d->private_data;
	const u8 *fis = port->tables[port->last_slot]->cfis;
	KTEST_EXPECT_EQ(t, fis[2], port->host->pio ? ATA_CMD_READ_PIO_EXT :
			port->qdepth ? ATA_CMD_READ_FPDMA : ATA_CMD_READ_DMA_EXT);
	if (port->qdepth)
		KTEST_EXPECT_EQ(t, fis[3] | fis[11] << 8, 19);  /* NCQ: the count in features */
	else
		KTEST_EXPECT_EQ(t, fis[12] | fis[13] << 8, 19);
	sector_t lba = 777;
	for (int i = 0; i < 10; i++) {
		unsigned int len = (i % 3 + 1) * 512;
		pattern_ok(t, (u8 *)page_address(pages[i]) + 512 * (i % 4), lba, len);
		lba += len / 512;
	}
	bio_put(bio);
	free_scattered_pages(pages, 10);
}

/* More segments than one PRD table holds: the bio goes as two commands. */
static void big_bio_split_across_commands(struct ktest *t)
{
	struct gendisk *d = sda(t);
	if (!d)
		return;
	const unsigned int n = AHCI_MAX_PRD + 52;       /* 300 scattered pages */
	struct page **pages = alloc_scattered_pages(n);
	KTEST_ASSERT_NOT_NULL(t, pages);
	unsigned long reads0 = d->reads;
	KTEST_ASSERT_EQ(t, disk_rw_pages(d, REQ_OP_READ, 2048, pages, (u64)n * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, d->reads - reads0, 2);
	bool ok = true;
	for (unsigned int i = 0; i < n && ok; i++)
		ok = pattern_ok(t, page_address(pages[i]), 2048 + i * 8, PAGE_SIZE);
	free_scattered_pages(pages, n);
}

/* 8 MiB in one command: two 4 MiB blocks, one PRD entry each. */
static void eight_mib_one_command(struct ktest *t)
{
	struct gendisk *d = sda(t);
	if (!d)
		return;
	struct page *a = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 10), *b = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 10);
	if (!a || !b) {
		if (a) __free_pages(a, 10);
		if (b) __free_pages(b, 10);
		ktest_skip(t, "no two free 4 MiB blocks");
		return;
	}
	struct bio *bio = bio_alloc(d, 2, REQ_OP_READ, GFP_KERNEL);
	bio_add_page(bio, a, 4u << 20, 0);
	bio_add_page(bio, b, 4u << 20, 0);
	bio->bi_iter.bi_sector = 0;
	unsigned long reads0 = d->reads;
	KTEST_ASSERT_EQ(t, submit_bio_wait(bio), 0);
	KTEST_EXPECT_EQ(t, d->reads - reads0, 1);
	pattern_ok(t, page_address(a), 0, 4u << 20);
	pattern_ok(t, page_address(b), 8192, 4u << 20);
	bio_put(bio);
	__free_pages(a, 10);
	__free_pages(b, 10);
}

/* A vmalloc buffer is not physically contiguous: it goes in by its pages. */
static void vmalloc_buffer_by_pages(struct ktest *t)
{
	struct gendisk *d = sda(t);
	if (!d)
		return;
	const unsigned int n = 16;
	u8 *buf = vmalloc(n * PAGE_SIZE);
	KTEST_ASSERT_NOT_NULL(t, buf);
	struct bio *bio = bio_alloc(d, n, REQ_OP_READ, GFP_KERNEL);
	for (unsigned int i = 0; i < n; i++)
		bio_add_page(bio, vmalloc_to_page(buf + i * PAGE_SIZE), PAGE_SIZE, 0);
	bio->bi_iter.bi_sector = 4000;
	KTEST_ASSERT_EQ(t, submit_bio_wait(bio), 0);
	pattern_ok(t, buf, 4000, n * PAGE_SIZE);        /* read back through the vmalloc address */
	bio_put(bio);
	vfree(buf);
}

/* i386 with more than 896 MiB: the disk DMAs straight into highmem pages,
 * which the CPU then reads through temporary mappings. */
static void read_into_highmem_pages(struct ktest *t)
{
	struct gendisk *d = sda(t);
	if (!d)
		return;
	enum { N = 8, TRIES = 4096 };
	static struct page *got[TRIES];
	struct page *high[N];
	int nhigh = 0, n = 0;
	while (nhigh < N && n < TRIES) {
		struct page *p = alloc_page(GFP_HIGHUSER | __GFP_NOWARN);
		if (!p)
			break;
		got[n++] = p;
		if (PageHighMem(p))
			high[nhigh++] = p;
	}
	if (nhigh < N) {
		for (int i = 0; i < n; i++)
			__free_page(got[i]);
		ktest_skip(t, "no highmem on this machine");
		return;
	}
	KTEST_EXPECT_NULL(t, page_address(high[0]));
	struct bio *bio = bio_alloc(d, N, REQ_OP_READ, GFP_KERNEL);
	for (int i = 0; i < N; i++)
		bio_add_page(bio, high[i], PAGE_SIZE, 0);
	bio->bi_iter.bi_sector = 6000;
	KTEST_EXPECT_EQ(t, submit_bio_wait(bio), 0);
	for (int i = 0; i < N; i++) {
		void *va = kmap_local_page(high[i]);
		pattern_ok(t, va, 6000 + i * 8, PAGE_SIZE);
		kunmap_local(va);
	}
	bio_put(bio);
	for (int i = 0; i < n; i++)
		__free_page(got[i]);
}

/*
 * RAM above 4 GiB (PAE or x86_64 with 6 GiB): the disk reads into and
 * writes from pages there. With a 64-bit DMA mask (CAP.S64A, as QEMU
 * offers) the PRD entries point at them directly: no bounce buffer, and
 * the upper address word (DBAU) is not 0. With a 32-bit mask (the
 * ahci_dma32 option) every segment bounces through a copy below 4 GiB. The
 * data must be right both ways: the reads are checked here, the writes
 * (sectors 5000-5063, seed 78) by the runner on the host image (`after`)
 * and by reading them back.
 */
static void above_4g_direct_or_bounced(struct ktest *t)
{
	enum { N = 8, LBA_R = 6000, LBA_W = 5000, SEED_W = 78 };
	struct gendisk *d = sda(t);
	if (!d)
		return;
	if (!ktest_ram_above(1ULL << 32)) {
		ktest_skip(t, "no RAM above 4 GiB");
		return;
	}
	struct ahci_port *port = d->private_data;
	bool dma64 = port->host->dev.dma_mask == DMA_BIT_MASK(64);
	/* Every other page of 2N: scattered, so no two segments merge. */
	struct page *all[2 * N], *pg[N];
	unsigned int got = ktest_alloc_pages_above(1ULL << 32, GFP_HIGHUSER, all, 2 * N);
	for (unsigned int i = 0; i < got; i++) {
		if (got == 2 * N && i % 2)
			pg[i / 2] = all[i];
		else
			__free_page(all[i]);
	}
	if (got < 2 * N) {
		ktest_fail_msg(t, __FILE__, __LINE__, "fewer than %d free pages above 4 GiB", 2 * N);
		return;
	}

	unsigned long b0 = dma_stats.bounced_total;
	KTEST_ASSERT_EQ(t, disk_rw_pages(d, REQ_OP_READ, LBA_R, pg, N * PAGE_SIZE), 0);
	unsigned long read_bounces = dma_stats.bounced_total - b0;
	u32 read_dbau = port->tables[port->last_slot]->prdt[0].dbau;
	for (int i = 0; i < N; i++) {
		void *va = kmap_local_page(pg[i]);
		pattern_ok(t, va, LBA_R + i * 8, PAGE_SIZE);
		kunmap_local(va);
	}

	for (int i = 0; i < N; i++) {
		u8 *va = kmap_local_page(pg[i]);
		for (int s = 0; s < 8; s++)
			disk_pattern_sector((u32 *)(va + s * 512), LBA_W + i * 8 + s, SEED_W);
		kunmap_local(va);
	}
	b0 = dma_stats.bounced_total;
	KTEST_ASSERT_EQ(t, disk_rw_pages(d, REQ_OP_WRITE, LBA_W, pg, N * PAGE_SIZE), 0);
	unsigned long write_bounces = dma_stats.bounced_total - b0;
	u32 write_dbau = port->tables[port->last_slot]->prdt[0].dbau;
	struct bio *flush = bio_alloc(d, 0, REQ_OP_FLUSH, GFP_KERNEL);
	KTEST_EXPECT_EQ(t, submit_bio_wait(flush), 0);
	bio_put(flush);

	/* Read back into lowmem pages: the disk holds what was written. */
	struct page **back = alloc_scattered_pages(N);
	KTEST_ASSERT_NOT_NULL(t, back);
	KTEST_ASSERT_EQ(t, disk_rw_pages(d, REQ_OP_READ, LBA_W, back, N * PAGE_SIZE), 0);
	int bad = 0;
	for (int i = 0; i < N; i++) {
		const u8 *va = kmap_local_page(pg[i]);
		bad += memcmp(page_address(back[i]), va, PAGE_SIZE) != 0;
		kunmap_local(va);
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	free_scattered_pages(back, N);

	printk("# above 4 GiB: %d pages from pfn %#lx, %s DMA mask: read bounced %lu segments, "
	       "write %lu; PRD upper address words %#x / %#x\n", N, page_to_pfn(pg[0]),
	       dma64 ? "64-bit" : "32-bit", read_bounces, write_bounces, read_dbau, write_dbau);
	if (dma64) {
		KTEST_EXPECT_EQ(t, read_bounces, 0);
		KTEST_EXPECT_EQ(t, write_bounces, 0);
		KTEST_EXPECT_NE(t, read_dbau, 0);
		KTEST_EXPECT_NE(t, write_dbau, 0);
	} else {
		KTEST_EXPECT_GT(t, read_bounces, 0);
		KTEST_EXPECT_GT(t, write_bounces, 0);
		KTEST_EXPECT_EQ(t, read_dbau, 0);
		KTEST_EXPECT_EQ(t, write_dbau, 0);
	}
	KTEST_EXPECT_EQ(t, dma_stats.bounced_now, 0);
	for (int i = 0; i < N; i++)
		__free_page(pg[i]);
}

/* Written here, checked by the runner on the host image (the `after` key). */
static void write_pattern_and_flush(struct ktest *t)
{
	struct gendisk *d = sda(t);
	if (!d)
		return;
	struct page **pages = alloc_scattered_pages(8);
	KTEST_ASSERT_NOT_NULL(t, pages);
	for (unsigned int s = 0; s < 64; s++)
		disk_pattern_sector((u32 *)((u8 *)page_address(pages[s / 8]) + (s % 8) * 512), 4096 + s, 77);
	KTEST_ASSERT_EQ(t, disk_rw_pages(d, REQ_OP_WRITE, 4096, pages, 64 * 512), 0);
	struct bio *flush = bio_alloc(d, 0, REQ_OP_FLUSH, GFP_KERNEL);
	KTEST_EXPECT_EQ(t, submit_bio_wait(flush), 0);
	bio_put(flush);
	/* And read it back through different pages. */
	struct page **back = alloc_scattered_pages(8);
	KTEST_ASSERT_NOT_NULL(t, back);
	KTEST_ASSERT_EQ(t, disk_rw_pages(d, REQ_OP_READ, 4096, back, 64 * 512), 0);
	for (int i = 0; i < 8; i++)
		KTEST_EXPECT_MEMEQ(t, page_address(back[i]), page_address(pages[i]), PAGE_SIZE);
	free_scattered_pages(pages, 8);
	free_scattered_pages(back, 8);
}

static void beyond_end_refused(struct ktest *t)
{
	struct gendisk *d = sda(t);
	if (!d)
		return;
	struct page **pages = alloc_scattered_pages(1);
	KTEST_ASSERT_NOT_NULL(t, pages);
	unsigned long reads0 = d->reads;
	KTEST_EXPECT_EQ(t, disk_rw_pages(d, REQ_OP_READ, d->capacity - 4, pages, PAGE_SIZE), -EIO);
	KTEST_EXPECT_EQ(t, d->reads, reads0);
	free_scattered_pages(pages, 1);
}

/* An ATA command the device does not know: it answers ERR/ABRT, the driver
 * reports -EIO, recovers the port, and the next read works. */
static void device_error_then_recovery(struct ktest *t)
{
	struct gendisk *d = sda(t);
	if (!d)
		return;
	struct ahci_port *port = d->private_data;
	unsigned long rec0 = port->recoveries;
	KTEST_EXPECT_EQ(t, ahci_exec_internal(port, 0xff, 0, 0, NULL, 0, DMA_TO_DEVICE), -EIO);
	KTEST_EXPECT_EQ(t, port->recoveries, rec0 + 1);
	KTEST_EXPECT_TRUE(t, port->present);
	struct page **pages = alloc_scattered_pages(1);
	KTEST_ASSERT_NOT_NULL(t, pages);
	KTEST_EXPECT_EQ(t, disk_rw_pages(d, REQ_OP_READ, 100, pages, PAGE_SIZE), 0);
	pattern_ok(t, page_address(pages[0]), 100, PAGE_SIZE);
	free_scattered_pages(pages, 1);
}

/* Bios submitted together and waited for together (completions held back
 * while submitting, so none can complete before the last is issued). */
struct batch {
	volatile unsigned int done;
};

/* The completions of one batch may run on two CPUs at once (the MSI's CPU
 * and CPU 0's timeout tick, or a polling loop): the count is atomic. */
static void batch_end_io(struct bio *bio)
{
	struct batch *b = bio->bi_private;
	__atomic_fetch_add(&b->done, 1, __ATOMIC_RELEASE);
}

/* One single-page read bio per page, all completing into b; the sector of
 * bio i is sector_of(i). Returns false (after failing t) if out of memory. */
static bool batch_read_bios(struct ktest *t, struct gendisk *d, struct bio **bios, struct page **pages,
			    int n, sector_t (*sector_of)(int i), struct batch *b)
{
	for (int i = 0; i < n; i++) {
		bios[i] = bio_alloc(d, 1, REQ_OP_READ, GFP_KERNEL);
		if (!bios[i]) {
			ktest_fail_msg(t, __FILE__, __LINE__, "bio_alloc failed for bio %d of %d", i, n);
			while (i--)
				bio_put(bios[i]);
			return false;
		}
		bios[i]->bi_iter.bi_sector = sector_of(i);
		bio_add_page(bios[i], pages[i], PAGE_SIZE, 0);
		bios[i]->bi_end_io = batch_end_io;
		bios[i]->bi_private = b;
	}
	return true;
}

/*
 * Submit with the HBA's interrupt held back (GHC.IE clear) as well as this
 * CPU's: the MSI may be aimed at another CPU (ahci_msi_cpu), which would
 * finish commands while this one is still submitting. Setting IE again
 * makes the HBA raise the interrupt for whatever completed meanwhile (QEMU
 * checks its interrupt state on every GHC write).
 */
static unsigned long hold_completions(struct ahci_port *port)
{
	unsigned long flags = local_irq_save();
	if (!port->host->polling)
		hba_write(port->host, HOST_GHC, hba_read(port->host, HOST_GHC) & ~GHC_IE);
	return flags;
}

static void release_completions(struct ahci_port *port, unsigned long flags)
{
	if (!port->host->polling)
		hba_write(port->host, HOST_GHC, hba_read(port->host, HOST_GHC) | GHC_IE);
	local_irq_restore(flags);
}

/* Wait for n completions; the driver's own 5 s timeout bounds this. */
static void batch_wait(struct batch *b, unsigned int n)
{
	bio_wait_count(&b->done, n);
}

/* Not adjacent: so that no two reads could be one command. */
static sector_t scattered_sector(int i)
{
	return (sector_t)((i * 37) % 32) * 512 + i * 8;
}

/*
 * 32 reads of 4 KiB at scattered places, all submitted before any can
 * complete: with NCQ they are 32 queued commands (tags 0-31, PxSACT all
 * ones); with ahci_noncq, one command in PxCI and 31 bios waiting in the
 * driver's pending list. Every buffer is
 * checked against the pattern, so a completion reported for the wrong tag
 * or data landing in the wrong slot's pages shows.
 */
static void many_in_flight(struct ktest *t)
{
	struct gendisk *d = sda(t);
	if (!d)
		return;
	struct ahci_port *port = d->private_data;
	enum { N = 32 };
	struct page **pages = alloc_scattered_pages(N);
	KTEST_ASSERT_NOT_NULL(t, pages);
	struct bio *bios[N];
	struct batch b = { 0 };
	if (!batch_read_bios(t, d, bios, pages, N, scattered_sector, &b)) {
		free_scattered_pages(pages, N);
		return;
	}
	int peak = 0, queued = 0;
	unsigned long flags = hold_completions(port);
	for (int i = 0; i < N; i++)
		submit_bio(bios[i]);
	if (!port->host->polling) {
		peak = hweight32(READ_ONCE(port->busy));
		queued = hweight32(READ_ONCE(port->queued));
		KTEST_EXPECT_EQ(t, b.done, 0);          /* nothing completed yet */
	}
	release_completions(port, flags);
	batch_wait(&b, N);
	if (!port->host->polling) {
		/* Without NCQ one command at a time; the rest wait in the driver. */
		int want = port->qdepth ? (N < port->qdepth ? N : port->qdepth) : 1;
		KTEST_EXPECT_EQ(t, peak, want);
		KTEST_EXPECT_EQ(t, queued, port->qdepth ? want : 0);
		KTEST_EXPECT_GE(t, port->peak_inflight, want);
	}
	for (int i = 0; i < N; i++) {
		KTEST_EXPECT_EQ(t, bios[i]->bi_status, 0);
		pattern_ok(t, page_address(pages[i]), bios[i]->bi_iter.bi_sector, PAGE_SIZE);
		bio_put(bios[i]);
	}
	free_scattered_pages(pages, N);
}

static sector_t spaced_sector(int i)
{
	return 9000 + (sector_t)i * 16;
}

/*
 * A device error in the middle of a full queue: one of 12 reads asks for
 * sectors past the end of the disk (sent straight to the driver, past the
 * block layer's own check, as a bad command would reach a real disk). With
 * NCQ the device cannot say which tag failed; the driver retries the
 * outstanding commands without NCQ, and exactly the bad one fails. The
 * good ones must all come back with the right data, and the port must
 * work afterwards.
 */
static void queue_error_then_recovery(struct ktest *t)
{
	struct gendisk *d = sda(t);
	if (!d)
		return;
	struct ahci_port *port = d->private_data;
	enum { N = 12, BAD = 5 };
	struct page **pages = alloc_scattered_pages(N);
	KTEST_ASSERT_NOT_NULL(t, pages);
	struct bio *bios[N];
	struct batch b = { 0 };
	if (!batch_read_bios(t, d, bios, pages, N, spaced_sector, &b)) {
		free_scattered_pages(pages, N);
		return;
	}
	bios[BAD]->bi_iter.bi_sector = d->capacity + 64;
	unsigned long rec0 = port->recoveries, ncq0 = port->ncq_errors, err0 = port->errors;
	unsigned long flags = hold_completions(port);
	for (int i = 0; i < N; i++)
		d->fops->submit_bio(bios[i]);
	release_completions(port, flags);
	batch_wait(&b, N);
	for (int i = 0; i < N; i++) {
		if (i == BAD) {
			KTEST_EXPECT_EQ(t, bios[i]->bi_status, -EIO);
			continue;
		}
		KTEST_EXPECT_EQ(t, bios[i]->bi_status, 0);
		pattern_ok(t, page_address(pages[i]), bios[i]->bi_iter.bi_sector, PAGE_SIZE);
	}
	KTEST_EXPECT_EQ(t, port->errors, err0 + 1);             /* only the bad one failed */
	KTEST_EXPECT_GE(t, port->recoveries, rec0 + 1);
	if (port->qdepth)
		KTEST_EXPECT_EQ(t, port->ncq_errors, ncq0 + 1);
	else
		KTEST_EXPECT_EQ(t, port->ncq_errors, ncq0);
	KTEST_EXPECT_TRUE(t, port->present);
	KTEST_EXPECT_EQ(t, port->busy, 0);
	for (int i = 0; i < N; i++)
		bio_put(bios[i]);
	/* And the port is back: a queued read works. */
	KTEST_EXPECT_EQ(t, disk_rw_pages(d, REQ_OP_READ, 300, pages, 2 * PAGE_SIZE), 0);
	pattern_ok(t, page_address(pages[0]), 300, PAGE_SIZE);
	pattern_ok(t, page_address(pages[1]), 308, PAGE_SIZE);
	free_scattered_pages(pages, N);
}

static sector_t adjacent_sector(int i)
{
	return 9000 + (sector_t)i * 8;
}

/* 32 adjacent 4 KiB reads under a plug reach the disk as ONE command
 * with 32 PRD entries (the pages are scattered), and each bio gets its
 * own part of the data. */
static void plug_merges_into_one_command(struct ktest *t)
{
	struct gendisk *d = sda(t);
	if (!d)
		return;
	struct ahci_port *port = d->private_data;
	enum { N = 32 };
	struct page **pages = alloc_scattered_pages(N);
	KTEST_ASSERT_NOT_NULL(t, pages);
	struct bio *bios[N];
	struct batch b = { 0 };
	if (!batch_read_bios(t, d, bios, pages, N, adjacent_sector, &b)) {
		free_scattered_pages(pages, N);
		return;
	}
	unsigned long merges0 = d->merges, reads0 = d->reads;
	struct blk_plug plug;
	blk_start_plug(&plug);
	for (int i = 0; i < N; i++)
		submit_bio(bios[i]);
	KTEST_EXPECT_EQ(t, plug.count, 1);
	blk_finish_plug(&plug);
	batch_wait(&b, N);
	KTEST_EXPECT_EQ(t, d->merges - merges0, N - 1);
	KTEST_EXPECT_EQ(t, d->reads - reads0, 1);
	KTEST_EXPECT_EQ(t, port->cmd_list[port->last_slot].opts >> 16, N);    /* PRDTL */
	for (int i = 0; i < N; i++) {
		KTEST_EXPECT_EQ(t, bios[i]->bi_status, 0);
		pattern_ok(t, page_address(pages[i]), 9000 + i * 8, PAGE_SIZE);
		bio_put(bios[i]);
	}
	free_scattered_pages(pages, N);
}

/* Whether the first host's completions run on this CPU (its MSI aims here,
 * or INTx, which goes to CPU 0, and this is CPU 0). */
static bool completions_here(void)
{
	bool msi;
	int irq = ahci_host_irq(0, &msi);
	int cpu = irq < 0 ? smp_processor_id() : msi ? pci_msi_cpu(irq) : 0;
	return cpu == smp_processor_id();
}

/*
 * dbench at queue depth 32 runs, and with NCQ really has 32 in flight.
 * dbench submits its first 32 reads with interrupts off here; that holds
 * every completion back only when the interrupt comes to this CPU. With
 * the MSI aimed elsewhere, reads finish while others are still being
 * submitted, and all that is certain is that more than one was queued.
 */
static void dbench_queue_depth_32(struct ktest *t)
{
	static char out[256];
	struct gendisk *d = sda(t);
	if (!d)
		return;
	struct ahci_port *port = d->private_data;
	port->peak_inflight = 0;
	console_capture_start(out, sizeof(out));
	monitor_exec("dbench sda 1M 4096 32");
	console_capture_stop();
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "with 4096-byte reads, queue depth 32: "));
	KTEST_EXPECT_NULL(t, strstr(out, "error"));
	if (port->host->polling)
		return;
	if (completions_here() || !port->qdepth)
		KTEST_EXPECT_EQ(t, port->peak_inflight, port->qdepth ? 32 : 1);
	else
		KTEST_EXPECT_GT(t, port->peak_inflight, 1);
}

static void empty_port_refuses(struct ktest *t)
{
	if (!ahci_nhosts) {
		ktest_fail_msg(t, __FILE__, __LINE__, "no AHCI host");
		return;
	}
	struct ahci_host *h = ahci_hosts[0];
	monitor_exec("ahci");   /* each port without a disk says why: the manifest checks the log */
	for (int p = 0; p < 32; p++) {
		if ((h->pi & (1u << p)) && !h->ports[p].present) {
			KTEST_EXPECT_NOT_NULL(t, h->ports[p].absent);
			KTEST_EXPECT_EQ(t, ahci_exec_internal(&h->ports[p], ATA_CMD_IDENTIFY, 0, 0, NULL, 0,
							      DMA_FROM_DEVICE), -ENODEV);
			return;
		}
	}
	ktest_skip(t, "every port has a disk");
}

/* `ahci last` decodes the command the port issued last: a read of 3
 * scattered pages at LBA 700 is one command with 3 PRD entries. */
static void ahci_last_decodes_command(struct ktest *t)
{
	static char out[1024];
	char want[48];
	struct gendisk *d = sda(t);
	if (!d)
		return;
	struct page **pages = alloc_scattered_pages(3);
	KTEST_ASSERT_NOT_NULL(t, pages);
	KTEST_ASSERT_EQ(t, disk_rw_pages(d, REQ_OP_READ, 700, pages, 3 * PAGE_SIZE), 0);
	console_capture_start(out, sizeof(out));
	KTEST_EXPECT_EQ(t, monitor_exec("ahci last"), 0);
	console_capture_stop();
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "LBA 700, count 24"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "(Register H2D)"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "PRDTL 3 entries"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "DBC 4095 (4096 bytes)"));
	snprintf(want, sizeof(want), "PRD[2]: DBA %#llx,", (unsigned long long)page_to_phys(pages[2]));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, want));
	KTEST_EXPECT_NULL(t, strstr(out, "PRD[3]"));
	free_scattered_pages(pages, 3);
}

static sector_t inflight_sector(int i)
{
	return 3000 + (sector_t)i * 64;
}

/*
 * `ahci inflight` while commands are in flight (completions held back, as
 * many_in_flight does): three reads of two scattered pages each. With NCQ
 * all three are issued; without, one is and two wait in the driver. Each
 * issued one shows its bio (sector, bytes, the two segments by physical
 * address) and the PRD entries the driver made of those same pages.
 */
static void ahci_inflight_shows_bios(struct ktest *t)
{
	static char out[4096];
	char want[96];
	struct gendisk *d = sda(t);
	if (!d)
		return;
	struct ahci_port *port = d->private_data;
	if (port->host->polling) {
		ktest_skip(t, "a polled HBA completes commands while they are listed");
		return;
	}
	enum { N = 3 };
	struct page **pages = alloc_scattered_pages(2 * N);
	KTEST_ASSERT_NOT_NULL(t, pages);
	struct bio *bios[N];
	struct batch b = { 0 };
	for (int i = 0; i < N; i++) {
		bios[i] = bio_alloc(d, 2, REQ_OP_READ, GFP_KERNEL);
		KTEST_ASSERT_NOT_NULL(t, bios[i]);
		bios[i]->bi_iter.bi_sector = inflight_sector(i);
		bio_add_page(bios[i], pages[2 * i], PAGE_SIZE, 0);
		bio_add_page(bios[i], pages[2 * i + 1], PAGE_SIZE, 0);
		bios[i]->bi_end_io = batch_end_io;
		bios[i]->bi_private = &b;
	}
	unsigned long flags = hold_completions(port);
	for (int i = 0; i < N; i++)
		submit_bio(bios[i]);
	console_capture_start(out, sizeof(out));
	int ret = monitor_exec("ahci inflight");
	console_capture_stop();
	unsigned int done_before = b.done;
	release_completions(port, flags);
	batch_wait(&b, N);
	KTEST_EXPECT_EQ(t, ret, 0);
	KTEST_EXPECT_EQ(t, done_before, 0);
	int issued = port->qdepth ? N : 1;
	snprintf(want, sizeof(want), "(sda): %d commands in flight", issued);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, want));
	for (int i = 0; i < issued; i++) {
		snprintf(want, sizeof(want), "bio read sector %llu, 8192 bytes, 2 segments: [%#llx +0, 4096]",
			 (unsigned long long)inflight_sector(i), (unsigned long long)page_to_phys(pages[2 * i]));
		KTEST_EXPECT_NOT_NULL(t, strstr(out, want));
		snprintf(want, sizeof(want), "LBA %llu, count 16", (unsigned long long)inflight_sector(i));
		KTEST_EXPECT_NOT_NULL(t, strstr(out, want));
		snprintf(want, sizeof(want), "DBA %#llx,", (unsigned long long)page_to_phys(pages[2 * i + 1]));
		KTEST_EXPECT_NOT_NULL(t, strstr(out, want));
	}
	if (issued < N) {       /* the waiting ones are the driver's, not the HBA's yet */
		snprintf(want, sizeof(want), "sector %llu,", (unsigned long long)inflight_sector(N - 1));
		KTEST_EXPECT_NULL(t, strstr(out, want));
	}
	for (int i = 0; i < N; i++) {
		KTEST_EXPECT_EQ(t, bios[i]->bi_status, 0);
		bio_put(bios[i]);
	}
	free_scattered_pages(pages, 2 * N);
}

/*
 * What does a device see of memory the CPU changes while a write is in
 * flight? (The seed question on one-sided RDMA reads, and lab 6's "in
 * flight".) The device reads the buffer in its own order and at its own
 * pace, between the command's issue and its completion, with no lock the
 * CPU could take: here CPU stores rewrite a 64 KiB buffer, pass after pass,
 * while the disk writes it, and the sectors on disk are then compared with
 * what was stored. Each 32-bit word holds its pass number twice (v << 16 |
 * v): a word is stored by one instruction, so it must come back whole, from
 * some pass that really ran. Nothing bigger is promised: how many passes,
 * cache lines and pages came back mixed is printed, not asserted (with
 * TCG, QEMU's I/O thread copies guest memory while the vCPU runs; on real
 * hardware a device reads whole cache lines, but still nothing makes a
 * buffer of many lines one snapshot). That is why the DMA API forbids the
 * CPU to touch a buffer between dma_map and dma_unmap.
 */
enum { TEAR_PAGES = 16, TEAR_LBA = 30000, TEAR_MAX_PASS = 0xffff };

static void tear_fill(struct page **pages, u32 v)
{
	for (int i = 0; i < TEAR_PAGES; i++) {
		volatile u32 *w = page_address(pages[i]);
		for (unsigned int j = 0; j < PAGE_SIZE / 4; j++)
			w[j] = v << 16 | v;
	}
}

/* Do the 16 words of one 64-byte cache line hold the same pass? */
static bool line_whole(const u32 *line)
{
	for (int k = 1; k < 16; k++)
		if (line[k] != line[0])
			return false;
	return true;
}

static void dma_reads_memory_in_flight(struct ktest *t)
{
	struct gendisk *d = sda(t);
	if (!d)
		return;
	struct ahci_port *port = d->private_data;
	if (port->host->polling) {
		ktest_skip(t, "a polled HBA completes only when this CPU waits");
		return;
	}
	struct page **pages = alloc_scattered_pages(TEAR_PAGES);
	KTEST_ASSERT_NOT_NULL(t, pages);
	struct bio *bio = bio_alloc(d, TEAR_PAGES, REQ_OP_WRITE, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, bio);
	bio->bi_iter.bi_sector = TEAR_LBA;
	for (int i = 0; i < TEAR_PAGES; i++)
		bio_add_page(bio, pages[i], PAGE_SIZE, 0);
	struct batch b = { 0 };
	bio->bi_end_io = batch_end_io;
	bio->bi_private = &b;
	u32 v = 1;
	tear_fill(pages, v);
	submit_bio(bio);
	while (!__atomic_load_n(&b.done, __ATOMIC_ACQUIRE) && v < TEAR_MAX_PASS)
		tear_fill(pages, ++v);
	batch_wait(&b, 1);
	KTEST_EXPECT_EQ(t, bio->bi_status, 0);
	bio_put(bio);

	struct page **back = alloc_scattered_pages(TEAR_PAGES);
	KTEST_ASSERT_NOT_NULL(t, back);
	KTEST_ASSERT_EQ(t, disk_rw_pages(d, REQ_OP_READ, TEAR_LBA, back, TEAR_PAGES * PAGE_SIZE), 0);
	unsigned int bad = 0, torn_lines = 0, mixed_pages = 0, changes = 0;
	u32 lo = v, hi = 0, prev = 0;
	for (int i = 0; i < TEAR_PAGES; i++) {
		const u32 *w = page_address(back[i]);
		u32 first = w[0] & 0xffff;
		bool mixed = false;
		for (unsigned int j = 0; j < PAGE_SIZE / 4; j++) {
			u32 pass = w[j] & 0xffff;
			if (w[j] >> 16 != pass || pass < 1 || pass > v) {
				if (!bad++)
					ktest_fail_msg(t, __FILE__, __LINE__, "sector %u word %u: %#x is no pass's word "
						       "(passes 1..%u)", TEAR_LBA + i * 8 + j / 128, j % 128, w[j], v);
				continue;
			}
			if (j % 16 == 15 && !line_whole(w + j - 15))
				torn_lines++;
			mixed |= pass != first;
			changes += (i || j) && pass != prev;
			prev = pass;
			lo = pass < lo ? pass : lo;
			hi = pass > hi ? pass : hi;
		}
		mixed_pages += mixed;
	}
	KTEST_EXPECT_EQ(t, bad, 0);
	printk("# dma_reads_memory_in_flight: the CPU stored pass 1..%u while the disk wrote 64 KiB; "
	       "on disk: passes %u..%u, %u changes of pass, %u of %u cache lines torn, %u of %u pages mixed\n",
	       v, lo, hi, changes, torn_lines, TEAR_PAGES * (unsigned int)PAGE_SIZE / 64, mixed_pages, TEAR_PAGES);
	free_scattered_pages(back, TEAR_PAGES);
	free_scattered_pages(pages, TEAR_PAGES);
}

static void second_disk(struct ktest *t)
{
	struct gendisk *d = get_disk_by_name("sdb");
	if (!d) {
		ktest_skip(t, "one disk attached");
		return;
	}
	struct page **pages = alloc_scattered_pages(2);
	KTEST_ASSERT_NOT_NULL(t, pages);
	KTEST_EXPECT_EQ(t, disk_rw_pages(d, REQ_OP_READ, 50, pages, 2 * PAGE_SIZE), 0);
	pattern_ok(t, page_address(pages[0]), 50, PAGE_SIZE);
	free_scattered_pages(pages, 2);
}

/* PRD rules, checked on the builder alone. */
static void prd_table_rules(struct ktest *t)
{
	struct ahci_prd prd[4];
	struct scatterlist sg[3];
	sg_init_table(sg, 3);
	sg[0].dma_address = 0x123456000ULL; sg[0].dma_length = 4096;
	sg[1].dma_address = 0x200000; sg[1].dma_length = 4u << 20;
	sg[2].dma_address = 0x1000; sg[2].dma_length = 512;
	KTEST_ASSERT_EQ(t, ahci_build_prdt(prd, 4, sg, 3), 3);
	KTEST_EXPECT_EQ(t, prd[0].dba, 0x23456000);
	KTEST_EXPECT_EQ(t, prd[0].dbau, 0x1);
	KTEST_EXPECT_EQ(t, prd[0].flags_dbc, 4095);             /* count minus one, no I bit */
	KTEST_EXPECT_EQ(t, prd[1].flags_dbc, (4u << 20) - 1);
	KTEST_EXPECT_EQ(t, prd[2].flags_dbc, PRD_INTR | 511);   /* interrupt on the last */
	sg[2].dma_length = 511;                                 /* odd count */
	KTEST_EXPECT_EQ(t, ahci_build_prdt(prd, 4, sg, 3), -EINVAL);
	sg[2].dma_length = 512; sg[2].dma_address = 0x1001;     /* odd address */
	KTEST_EXPECT_EQ(t, ahci_build_prdt(prd, 4, sg, 3), -EINVAL);
	sg[2].dma_address = 0x1000; sg[1].dma_length = (4u << 20) + 2;     /* over 4 MiB */
	KTEST_EXPECT_EQ(t, ahci_build_prdt(prd, 4, sg, 3), -EINVAL);
	KTEST_EXPECT_EQ(t, ahci_build_prdt(prd, 2, sg, 3), -EINVAL);       /* too many */
}

static struct ktest_case ahci_cases[] = {
	KTEST_CASE(identify),
	KTEST_CASE(prd_table_rules),
	KTEST_CASE(read_scattered_odd),
	KTEST_CASE(big_bio_split_across_commands),
	KTEST_CASE(eight_mib_one_command),
	KTEST_CASE(vmalloc_buffer_by_pages),
	KTEST_CASE(read_into_highmem_pages),
	KTEST_CASE(write_pattern_and_flush),
	KTEST_CASE(above_4g_direct_or_bounced),
	KTEST_CASE(beyond_end_refused),
	KTEST_CASE(device_error_then_recovery),
	KTEST_CASE(many_in_flight),
	KTEST_CASE(queue_error_then_recovery),
	KTEST_CASE(plug_merges_into_one_command),
	KTEST_CASE(dbench_queue_depth_32),
	KTEST_CASE(empty_port_refuses),
	KTEST_CASE(ahci_last_decodes_command),
	KTEST_CASE(ahci_inflight_shows_bios),
	KTEST_CASE(dma_reads_memory_in_flight),
	KTEST_CASE(second_disk),
	{}
};
KTEST_SUITE(ahci, ahci_cases);
