/*
 * Monitor commands for exploring disks by hand:
 *   dread  <disk> <lba> [count]        hex dump of sectors
 *   dcrc   <disk> <lba> <count>        CRC-32 of sectors, read as ONE bio whose
 *                                       segments are scattered pages
 *   dplug  <disk> <lba> <count>        the same CRC, read as one bio per page
 *                                       under a plug (the block layer merges them)
 *   dwrite <disk> <lba> <count> <seed> write the test pattern (disk_pattern_word)
 *   dbench <disk> <bytes> <io-size> [qd]  sequential read throughput, qd reads in flight
 */
#include <pagoda/blkdev.h>
#include <pagoda/crc32.h>
#include <pagoda/diskpattern.h>
#include <pagoda/errno.h>
#include <pagoda/gfp.h>
#include <pagoda/monitor.h>
#include <pagoda/monitor_args.h>
#include <pagoda/printk.h>
#include <pagoda/scattered_pages.h>
#include <pagoda/slab.h>
#include <pagoda/string.h>
#include <pagoda/time.h>
#include <asm/processor.h>
#include "monitor_internal.h"

#define MAX_CMD_SECTORS (16u << 11)     /* 16 MiB per command */

static int no_memory(void)
{
	printk("%s: out of memory for the buffers\n", monitor_current());
	return MON_FAILED;
}

/* <disk> <lba> <count> [third]: numbers first, so a mistyped number is
 * reported even for a disk that does not exist. */
static int parse_args(char **argv, unsigned long long max_count, struct gendisk **disk, unsigned long long *v)
{
	if (mon_arg_num("lba", argv[2], 0, ~0ULL, &v[0]) ||
	    (argv[3] && mon_arg_num("count", argv[3], 1, max_count, &v[1])))
		return MON_USAGE;
	*disk = get_disk_by_name(argv[1]);
	if (!*disk) {
		printk("%s: no disk '%s' (see 'disks')\n", monitor_current(), argv[1]);
		return MON_FAILED;
	}
	return MON_OK;
}

/* zlib's CRC-32 of a `bytes`-long buffer spread over pages. */
static u32 pages_crc32(struct page **pages, u64 bytes)
{
	u32 crc = 0, n = PFN_UP(bytes);
	for (unsigned int i = 0; i < n; i++)
		crc = crc32(crc, page_address(pages[i]), page_array_chunk(bytes, i));
	return crc;
}

static int cmd_dread(int argc, char **argv)
{
	struct gendisk *disk;
	unsigned long long v[3] = { 0, 1, 0 };
	int status = parse_args(argv, 8, &disk, v);
	if (status)
		return status;
	struct page **pages = alloc_scattered_pages(PFN_UP(v[1] << SECTOR_SHIFT));
	if (!pages)
		return no_memory();
	int err = disk_rw_pages(disk, REQ_OP_READ, v[0], pages, v[1] << SECTOR_SHIFT);
	if (err)
		printk("dread: error %d\n", err);
	for (unsigned long long off = 0; !err && off < v[1] << SECTOR_SHIFT; off += 16) {
		const u8 *p = (const u8 *)page_address(pages[off / PAGE_SIZE]) + off % PAGE_SIZE;
		printk("%08llx:", (v[0] << SECTOR_SHIFT) + off);
		for (int i = 0; i < 16; i++)
			printk(KERN_CONT "%s%02x", i == 8 ? "  " : " ", p[i]);
		printk(KERN_CONT "  |");
		for (int i = 0; i < 16; i++)
			printk(KERN_CONT "%c", p[i] >= 32 && p[i] < 127 ? p[i] : '.');
		printk(KERN_CONT "|\n");
	}
	free_scattered_pages(pages, PFN_UP(v[1] << SECTOR_SHIFT));
	return err ? MON_FAILED : MON_OK;
}
MONITOR_CMD(dread, cmd_dread, "<disk> <lba> [count<=8]", "hex dump of sectors");

static int cmd_dcrc(int argc, char **argv)
{
	struct gendisk *disk;
	unsigned long long v[3] = { 0 };
	int status = parse_args(argv, MAX_CMD_SECTORS, &disk, v);
	if (status)
		return status;
	u64 bytes = v[1] << SECTOR_SHIFT;
	unsigned int n = PFN_UP(bytes);
	struct page **pages = alloc_scattered_pages(n);
	if (!pages)
		return no_memory();
	int err = disk_rw_pages(disk, REQ_OP_READ, v[0], pages, bytes);
	u32 crc = err ? 0 : pages_crc32(pages, bytes);
	if (err)
		printk("dcrc: %s: error %d\n", disk->disk_name, err);
	else
		printk("dcrc %s %llu %llu: crc32 %08x (%u scattered pages, one bio)\n", disk->disk_name,
		       v[0], v[1], crc, n);
	free_scattered_pages(pages, n);
	return err ? MON_FAILED : MON_OK;
}
MONITOR_CMD(dcrc, cmd_dcrc, "<disk> <lba> <count>", "CRC-32 (zlib) of sectors read as one scattered bio");

/* Completions may run on several CPUs at once (an MSI aimed elsewhere): atomic. */
static void dplug_end_io(struct bio *bio)
{
	__atomic_fetch_add((unsigned int *)bio->bi_private, 1, __ATOMIC_RELEASE);
}

/* dcrc's sectors again, but as one bio per page under a plug: the block
 * layer merges them back into as few requests as the queue limits allow. */
static int cmd_dplug(int argc, char **argv)
{
	struct gendisk *disk;
	unsigned long long v[3] = { 0 };
	int status = parse_args(argv, MAX_CMD_SECTORS, &disk, v);
	if (status)
		return status;
	u64 bytes = v[1] << SECTOR_SHIFT;
	unsigned int n = PFN_UP(bytes);
	struct page **pages = alloc_scattered_pages(n);
	struct bio **bios = kcalloc(n, sizeof(*bios), GFP_KERNEL);
	volatile unsigned int done = 0;
	int err = pages && bios ? 0 : -ENOMEM;
	for (unsigned int i = 0; !err && i < n; i++) {
		bios[i] = bio_alloc(disk, 1, REQ_OP_READ, GFP_KERNEL);
		if (!bios[i]) {
			err = -ENOMEM;
			break;
		}
		bios[i]->bi_iter.bi_sector = v[0] + (sector_t)i * (PAGE_SIZE >> SECTOR_SHIFT);
		bio_add_page(bios[i], pages[i], page_array_chunk(bytes, i), 0);
		bios[i]->bi_end_io = dplug_end_io;
		bios[i]->bi_private = (void *)&done;
	}
	unsigned long merges0 = disk->merges, reads0 = disk->reads;
	if (!err) {
		struct blk_plug plug;
		blk_start_plug(&plug);
		for (unsigned int i = 0; i < n; i++)
			submit_bio(bios[i]);
		blk_finish_plug(&plug);
		bio_wait_count(&done, n);       /* the completion interrupts count up */
	}
	for (unsigned int i = 0; !err && i < n; i++)
		err = bios[i]->bi_status;
	u32 crc = err ? 0 : pages_crc32(pages, bytes);
	if (err)
		printk("dplug: %s: error %d\n", disk->disk_name, err);
	else
		printk("dplug %s %llu %llu: crc32 %08x (%u bios under a plug: %lu merged, %lu request%s)\n",
		       disk->disk_name, v[0], v[1], crc, n, disk->merges - merges0, disk->reads - reads0,
		       disk->reads - reads0 == 1 ? "" : "s");
	for (unsigned int i = 0; bios && i < n; i++)
		if (bios[i])
			bio_put(bios[i]);
	kfree(bios);
	free_scattered_pages(pages, n);
	return err ? MON_FAILED : MON_OK;
}
MONITOR_CMD(dplug, cmd_dplug, "<disk> <lba> <count>",
	    "dcrc's read as one bio per page under a plug: shows the block layer merging them");

static int cmd_dwrite(int argc, char **argv)
{
	struct gendisk *disk;
	unsigned long long v[3] = { 0 };
	if (mon_arg_num("seed", argv[4], 0, 0xffffffffu, &v[2]))
		return MON_USAGE;
	int status = parse_args(argv, MAX_CMD_SECTORS, &disk, v);
	if (status)
		return status;
	u64 bytes = v[1] << SECTOR_SHIFT;
	unsigned int n = PFN_UP(bytes);
	struct page **pages = alloc_scattered_pages(n);
	if (!pages)
		return no_memory();
	for (u64 s = 0; s < v[1]; s++) {
		u32 *w = (u32 *)((u8 *)page_address(pages[s / 8]) + (s % 8) * SECTOR_SIZE);
		disk_pattern_sector(w, v[0] + s, (u32)v[2]);
	}
	int err = disk_rw_pages(disk, REQ_OP_WRITE, v[0], pages, bytes);
	printk("dwrite %s %llu %llu seed %llu: %s\n", disk->disk_name, v[0], v[1], v[2],
	       err ? errname(err) : "ok");
	free_scattered_pages(pages, n);
	return err ? MON_FAILED : MON_OK;
}
MONITOR_CMD(dwrite, cmd_dwrite, "<disk> <lba> <count> <seed>", "write the documented test pattern");

/*
 * dbench's reader: up to `qd` bios in flight at once, each over its own
 * scattered pages, reading the disk sequentially (wrapping at the end).
 * Completions only mark a request done (interrupt context); this loop, in
 * process context, collects them, prepares the next reads in their place,
 * and submits the prepared ones together with interrupts off, so the first
 * qd reads really are all in flight before any completes.
 */
enum bench_state { BENCH_IDLE, BENCH_READY, BENCH_BUSY, BENCH_DONE };

struct bench_req {
	struct page **pages;
	struct bio *bio;
	volatile enum bench_state state;
};

static void bench_end_io(struct bio *bio)
{
	((struct bench_req *)bio->bi_private)->state = BENCH_DONE;
}

static int bench_reads(struct gendisk *disk, u64 total, unsigned int size, unsigned int qd, u64 *done,
		       unsigned int *peak)
{
	struct bench_req *req = kcalloc(qd, sizeof(*req), GFP_KERNEL);
	unsigned int n = PFN_UP(size), busy = 0;
	sector_t lba = 0;
	u64 issued = 0;
	int err = req ? 0 : -ENOMEM;
	for (unsigned int i = 0; !err && i < qd; i++)
		if (!(req[i].pages = alloc_scattered_pages(n)))
			err = -ENOMEM;
	*done = 0;
	*peak = 0;
	while (!err && *done < total) {
		for (unsigned int i = 0; i < qd && !err; i++) {
			struct bench_req *r = &req[i];
			if (r->state == BENCH_DONE) {
				err = r->bio->bi_status;
				*done += size;
				bio_put(r->bio);
				r->bio = NULL;
				r->state = BENCH_IDLE;
				busy--;
			}
			if (r->state != BENCH_IDLE || err || issued >= total)
				continue;
			if (lba + (size >> SECTOR_SHIFT) > disk->capacity)
				lba = 0;
			r->bio = bio_alloc(disk, n, REQ_OP_READ, GFP_KERNEL);
			if (!r->bio) {
				err = -ENOMEM;
				break;
			}
			r->bio->bi_iter.bi_sector = lba;
			for (unsigned int p = 0; p < n; p++)
				bio_add_page(r->bio, r->pages[p], page_array_chunk(size, p), 0);
			r->bio->bi_end_io = bench_end_io;
			r->bio->bi_private = r;
			r->state = BENCH_READY;
			lba += size >> SECTOR_SHIFT;
			issued += size;
		}
		/* Submit what is ready at once; then sleep until a completion. */
		local_irq_disable();
		for (unsigned int i = 0; i < qd; i++) {
			if (req[i].state != BENCH_READY)
				continue;
			req[i].state = BENCH_BUSY;
			busy++;
			submit_bio(req[i].bio);
		}
		unsigned int now = 0;
		bool any_done = false;
		for (unsigned int i = 0; i < qd; i++) {
			now += req[i].state == BENCH_BUSY;
			any_done |= req[i].state == BENCH_DONE;
		}
		if (now > *peak)
			*peak = now;
		if (!any_done && busy)
			safe_halt();            /* enables interrupts and waits for one */
		local_irq_enable();
	}
	for (unsigned int i = 0; req && i < qd; i++) {
		while (req[i].state == BENCH_BUSY)      /* after an error: let the rest finish */
			cpu_relax();
		if (req[i].bio)
			bio_put(req[i].bio);
		free_scattered_pages(req[i].pages, n);
	}
	kfree(req);
	return err;
}

static int cmd_dbench(int argc, char **argv)
{
	struct gendisk *disk;
	unsigned long long v[2], qd = 1;
	if (mon_arg_size("bytes", argv[2], SECTOR_SIZE, 4ULL << 30, &v[0]) ||
	    mon_arg_size("io-size", argv[3], SECTOR_SIZE, 16u << 20, &v[1]) ||
	    (argc == 5 && mon_arg_num("queue-depth", argv[4], 1, 64, &qd)))
		return MON_USAGE;
	if (v[1] % SECTOR_SIZE || v[0] < v[1]) {
		printk("dbench: io-size must be a multiple of %u and at most bytes\n", SECTOR_SIZE);
		return MON_USAGE;
	}
	if (!(disk = get_disk_by_name(argv[1]))) {
		printk("dbench: no disk '%s' (see 'disks')\n", argv[1]);
		return MON_FAILED;
	}
	u64 t0 = rdtsc(), done = 0;
	unsigned int peak;
	int err = bench_reads(disk, v[0], (unsigned int)v[1], (unsigned int)qd, &done, &peak);
	u64 ns = tsc_to_ns(rdtsc() - t0);
	if (err)
		printk("dbench: %s: error %d\n", disk->disk_name, err);
	else
		printk("dbench %s: %llu bytes in %llu.%03llu ms with %llu-byte reads, queue depth %llu: "
		       "%llu.%02llu MB/s, %llu IOPS (at most %u in flight)\n",
		       disk->disk_name, done, ns / 1000000, ns / 1000 % 1000, v[1], qd,
		       done * 1000 / (ns ? ns : 1), done * 100000 / (ns ? ns : 1) % 100,
		       (done / v[1]) * 1000000000ULL / (ns ? ns : 1), peak);
	return err ? MON_FAILED : MON_OK;
}
MONITOR_CMD(dbench, cmd_dbench, "<disk> <bytes> <io-size> [queue-depth]",
	    "sequential read throughput (MB/s, IOPS), queue depth 1-64 (default 1)");
