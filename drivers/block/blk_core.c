/*
 * submit_bio: the block layer's front door. It refuses what no device
 * could do (past the end of the disk, misaligned buffers) before anything
 * is issued, offers the bio to the submitter's plug for merging
 * (blk_merge.c), splits what is too big for this device into pieces that
 * fit its queue limits, and hands each piece to the driver.
 */
#include <pagoda/blkdev.h>
#include <pagoda/errno.h>
#include <pagoda/printk.h>
#include "blk.h"

static void fail_bio(struct bio *bio, int err)
{
	bio->bi_status = err;
	bio_endio(bio);
}

/* Why the bio cannot go to its disk as it is, or NULL. */
static const char *check_bio(struct bio *bio, int *err)
{
	struct gendisk *disk = bio->bi_disk;
	const struct queue_limits *lim = &disk->limits;
	sector_t start = bio->bi_iter.bi_sector, n = bio_sectors(bio);

	*err = -EINVAL;
	if (bio->bi_op == REQ_OP_FLUSH)
		return bio->bi_iter.bi_size ? "a flush carries no data" : NULL;
	if (!bio->bi_iter.bi_size || bio->bi_iter.bi_size & (lim->logical_block_size - 1))
		return "size is not a multiple of the logical block size";
	if (start & ((lim->logical_block_size >> SECTOR_SHIFT) - 1))
		return "start sector is not aligned to the logical block size";
	for (unsigned int i = 0; i < bio->bi_vcnt; i++) {
		const struct bio_vec *bv = &bio->bi_io_vec[i];
		if ((bvec_phys(bv) | bv->bv_len) & lim->dma_alignment)
			return "a segment breaks the device's DMA alignment";
	}
	*err = -EIO;
	if (start > disk->capacity || n > disk->capacity - start)
		return "attempt to access beyond end of device";
	return NULL;
}

void submit_bio(struct bio *bio)
{
	struct gendisk *disk = bio->bi_disk;
	int err;
	const char *why = check_bio(bio, &err);
	if (why) {
		pr_err("%s: %s: %s of sector %llu + %u, capacity %llu\n", disk->disk_name, why,
		       bio->bi_op == REQ_OP_WRITE ? "write" : "read",
		       (unsigned long long)bio->bi_iter.bi_sector, bio_sectors(bio),
		       (unsigned long long)disk->capacity);
		__atomic_add_fetch(&disk->errors, 1, __ATOMIC_RELAXED);    /* any CPU may submit */
		fail_bio(bio, err);
		return;
	}
	if (blk_plug_add(bio))
		return;
	blk_dispatch(bio);
}

void blk_dispatch(struct bio *bio)
{
	struct gendisk *disk = bio->bi_disk;
	while (bio->bi_op != REQ_OP_FLUSH) {
		unsigned int bytes = bio_split_point(bio, &disk->limits);
		if (bytes == bio->bi_iter.bi_size)
			break;
		struct bio *part = bytes ? bio_split(bio, bytes >> SECTOR_SHIFT, GFP_KERNEL) : NULL;
		if (!part) {
			/* bytes == 0: one segment alone breaks the limits (tiny
			 * max_segment_size vs. block size); or no memory. */
			pr_err("%s: cannot split a bio to the queue limits\n", disk->disk_name);
			fail_bio(bio, bytes ? -ENOMEM : -EINVAL);
			return;
		}
		disk->fops->submit_bio(part);
	}
	disk->fops->submit_bio(bio);
}
