/*
 * ram0: a disk made of RAM pages, allocated on first write. It gives the
 * block layer a device to be tested against before (and beside) a real
 * controller, and its queue limits are deliberately small so that ordinary
 * requests get split: 32 KiB per request, 8 segments of at most 8 KiB,
 * none crossing a 64 KiB boundary.
 */
#include <pagoda/init.h>
#include <pagoda/blkdev.h>
#include <pagoda/cmdline.h>
#include <pagoda/errno.h>
#include <pagoda/highmem.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>

#define SECTORS_PER_PAGE (PAGE_SIZE >> SECTOR_SHIFT)

struct ramdisk {
	struct gendisk disk;
	struct page **pages;            /* one per PAGE_SIZE of disk, NULL until written */
	unsigned long nr_pages, allocated;
};

static unsigned long long ramdisk_bytes = 8 << 20;
static struct ramdisk ram0;

static int setup_ramdisk(const char *val)
{
	unsigned long long v;
	if (!val || parse_ulong(val, &v, true) || v % PAGE_SIZE || v > (1ULL << 30)) {
		pr_err("cmdline: ramdisk= takes a size in whole pages up to 1G (e.g. ramdisk=16M; 0 for none)\n");
		return -1;
	}
	ramdisk_bytes = v;
	return 0;
}
CMDLINE_OPTION(ramdisk, setup_ramdisk, "size of the RAM disk ram0, e.g. 16M (default 8M; 0: none)");

/* Copy one segment between the bio's pages and the disk's pages. A segment
 * may span several pages of a multi-page block, and any of them may be
 * highmem: each piece is copied through a kmap_local_page mapping of its
 * own bio page (no crossing of a bio page or a disk page within a piece). */
static int copy_segment(struct ramdisk *rd, struct bio_vec bv, sector_t sector, bool write)
{
	for (unsigned int done = 0; done < bv.bv_len;) {
		unsigned long idx = sector / SECTORS_PER_PAGE;
		unsigned int off = (sector % SECTORS_PER_PAGE) << SECTOR_SHIFT;
		unsigned int boff = (bv.bv_offset + done) & (PAGE_SIZE - 1);
		struct page *bpage = bv.bv_page + ((bv.bv_offset + done) >> PAGE_SHIFT);
		unsigned int n = bv.bv_len - done;
		if (n > PAGE_SIZE - off)
			n = PAGE_SIZE - off;
		if (n > PAGE_SIZE - boff)
			n = PAGE_SIZE - boff;
		if (write && !rd->pages[idx]) {
			rd->pages[idx] = alloc_page(GFP_KERNEL | __GFP_ZERO);
			if (!rd->pages[idx])
				return -ENOMEM;
			rd->allocated++;
		}
		char *disk = rd->pages[idx] ? (char *)page_address(rd->pages[idx]) + off : NULL;
		char *mem = kmap_local_page(bpage);
		if (write)
			memcpy(disk, mem + boff, n);
		else if (disk)
			memcpy(mem + boff, disk, n);
		else
			memset(mem + boff, 0, n);       /* never written: reads as zeros */
		kunmap_local(mem);
		done += n;
		sector += n >> SECTOR_SHIFT;
	}
	return 0;
}

static void ramdisk_submit_bio(struct bio *bio)
{
	struct ramdisk *rd = bio->bi_disk->private_data;
	bool write = bio->bi_op == REQ_OP_WRITE;
	struct bio_vec bv;
	struct bvec_iter iter;

	if (bio->bi_op == REQ_OP_FLUSH) {
		bio_endio(bio);                 /* RAM is as durable as it gets */
		return;
	}
	bio_for_each_segment(bv, bio, iter) {
		int err = copy_segment(rd, bv, iter.bi_sector, write);
		if (err) {
			bio->bi_status = err;
			__atomic_add_fetch(&rd->disk.errors, 1, __ATOMIC_RELAXED);
			break;
		}
	}
	/* ram0 runs in the submitter, on any CPU, without a lock: the
	 * counters must not lose an increment when two CPUs submit. */
	if (write) {
		__atomic_add_fetch(&rd->disk.writes, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&rd->disk.sectors_written, bio_sectors(bio), __ATOMIC_RELAXED);
	} else {
		__atomic_add_fetch(&rd->disk.reads, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&rd->disk.sectors_read, bio_sectors(bio), __ATOMIC_RELAXED);
	}
	bio_endio(bio);
}

static void ramdisk_describe(struct gendisk *disk, char *buf, size_t size)
{
	struct ramdisk *rd = disk->private_data;
	snprintf(buf, size, "RAM disk: %lu of %lu pages allocated", rd->allocated, rd->nr_pages);
}

static const struct block_device_operations ramdisk_fops = {
	.submit_bio = ramdisk_submit_bio,
	.describe = ramdisk_describe,
};

void ramdisk_init(void)
{
	if (!ramdisk_bytes)
		return;
	ram0.nr_pages = ramdisk_bytes / PAGE_SIZE;
	ram0.pages = kcalloc(ram0.nr_pages, sizeof(struct page *), GFP_KERNEL);
	if (!ram0.pages) {
		pr_err("ram0: no memory for %lu page pointers\n", ram0.nr_pages);
		return;
	}
	strlcpy(ram0.disk.disk_name, "ram0", DISK_NAME_LEN);
	ram0.disk.capacity = ramdisk_bytes >> SECTOR_SHIFT;
	ram0.disk.fops = &ramdisk_fops;
	ram0.disk.private_data = &ram0;
	blk_set_default_limits(&ram0.disk.limits);
	ram0.disk.limits.max_hw_sectors = 64;
	ram0.disk.limits.max_segments = 8;
	ram0.disk.limits.max_segment_size = 8192;
	ram0.disk.limits.seg_boundary_mask = 0xffff;
	ram0.disk.limits.dma_alignment = 511;
	add_disk(&ram0.disk);
}
