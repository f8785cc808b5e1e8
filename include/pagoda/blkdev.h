/*
 * Block devices: disks that read and write whole sectors. A driver fills a
 * struct gendisk (name, capacity, limits, submit function) and registers
 * it; the block layer checks each bio against the disk, splits it to the
 * limits the driver declared, and hands the pieces to the driver.
 */
#ifndef PAGODA_BLKDEV_H
#define PAGODA_BLKDEV_H

#include <pagoda/bio.h>
#include <pagoda/scatterlist.h>

/* What one request to the device may look like; the driver declares it. */
struct queue_limits {
	unsigned int logical_block_size;        /* bytes, a power of two >= 512 */
	unsigned int max_hw_sectors;            /* per request */
	unsigned short max_segments;            /* scatter-gather entries per request */
	unsigned int max_segment_size;          /* bytes per entry */
	u64 seg_boundary_mask;                  /* an entry may not cross mask+1 */
	unsigned int dma_alignment;             /* mask: segment address and length */
};

struct gendisk;

struct block_device_operations {
	/* Start the I/O for a bio that fits the limits; complete it with bio_endio. */
	void (*submit_bio)(struct bio *bio);
	/* Optional: one line about the device for `disks`. */
	void (*describe)(struct gendisk *disk, char *buf, size_t size);
};

#define DISK_NAME_LEN 16

struct gendisk {
	char disk_name[DISK_NAME_LEN];
	sector_t capacity;                      /* in 512-byte sectors */
	struct queue_limits limits;
	const struct block_device_operations *fops;
	void *private_data;                     /* the driver's */
	unsigned long reads, writes, sectors_read, sectors_written, errors;
	unsigned long merges;                   /* bios merged into another under a plug */
};

#define MAX_DISKS 8

/* Register a disk under its name ("sda", "ram0"). 0 or -EEXIST / -ENOSPC. */
int add_disk(struct gendisk *disk);
void del_gendisk(struct gendisk *disk);
struct gendisk *get_disk_by_name(const char *name);
int disk_count(void);
struct gendisk *disk_at(int index);
/* "sda", "sdb" ... for the n-th SATA disk. */
void sd_disk_name(char *buf, int index);

/* Read or write `bytes` at lba through one bio over the pages (each full
 * but the last), and wait for it: 0 or the bio's error. Process context;
 * halts until the I/O completes, so not with a lock held. */
int disk_rw_pages(struct gendisk *disk, enum req_op op, sector_t lba, struct page **pages, u64 bytes);

/* Default limits a driver starts from. */
void blk_set_default_limits(struct queue_limits *lim);

/*
 * Fill sg from the bio's remaining segments, merging physically contiguous
 * neighbours while the result stays within the limits. Returns the number
 * of entries (at most lim->max_segments for a bio the block layer split).
 */
int blk_bio_map_sg(const struct bio *bio, struct scatterlist *sg, int max, const struct queue_limits *lim);
/* Bytes from the bio's start that fit in one request under lim (a multiple
 * of the logical block size), or the whole bio. Pure; host-tested. */
unsigned int bio_split_point(const struct bio *bio, const struct queue_limits *lim);

#endif
