/*
 * struct bio: one block I/O request "in flight" -- issued, not yet complete.
 * It names a starting sector on a disk and a list of segments (bio_vec):
 * pieces of pages, each contiguous in physical memory, the pieces not
 * contiguous with each other. That list is what lets one request read a
 * disk range into memory scattered over many pages (scatter-gather I/O).
 *
 * The segment array never changes once built; progress is kept in an
 * iterator (bi_iter), so a bio can be split without copying: the front part
 * becomes a clone that shares the array with its own iterator, and the
 * parent completes only when every part has.
 */
#ifndef PAGODA_BIO_H
#define PAGODA_BIO_H

#include <pagoda/mm.h>
#include <pagoda/gfp.h>
#include <pagoda/panic.h>

#define SECTOR_SHIFT 9
#define SECTOR_SIZE  512

typedef u64 sector_t;

enum req_op {
	REQ_OP_READ,
	REQ_OP_WRITE,
	REQ_OP_FLUSH,           /* make earlier writes durable; carries no data */
};

struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;         /* may exceed PAGE_SIZE inside a multi-page block */
};

struct bvec_iter {
	sector_t bi_sector;             /* the disk sector the remaining data starts at */
	unsigned int bi_size;           /* bytes left */
	unsigned int bi_idx;            /* current bio_vec */
	unsigned int bi_bvec_done;      /* bytes of it already done */
};

struct bio;
typedef void bio_end_io_t(struct bio *bio);

struct bio {
	struct gendisk *bi_disk;
	enum req_op bi_op;
	int bi_status;                  /* 0 or -errno once complete */
	struct bvec_iter bi_iter;
	unsigned short bi_vcnt;         /* bio_vecs in use */
	unsigned short bi_max_vecs;
	struct bio_vec *bi_io_vec;      /* own inline array, or the parent's when split */
	bio_end_io_t *bi_end_io;
	void *bi_private;               /* for the submitter */
	struct bio *bi_parent;          /* set on a split-off part */
	int bi_remaining;               /* parts still in flight (1 for an unsplit bio) */
	void *bi_driver;                /* for the driver while it owns the bio */
	struct bio *bi_next;            /* the next bio of a merged request (block layer) */
	struct bio_vec bi_inline_vecs[];
};

/* A bio with room for nr_vecs segments, or NULL. Process context. */
struct bio *bio_alloc(struct gendisk *disk, unsigned short nr_vecs, enum req_op op, gfp_t gfp);
void bio_put(struct bio *bio);
/* Append [page+offset, +len); returns len, or 0 if the bio is full. */
unsigned int bio_add_page(struct bio *bio, struct page *page, unsigned int len, unsigned int offset);
/* The driver (or the block layer) reports completion; runs bi_end_io. */
void bio_endio(struct bio *bio);
/* Split off the first `sectors` as a new bio chained to bio; bio keeps the rest. */
struct bio *bio_split(struct bio *bio, unsigned int sectors, gfp_t gfp);

/* The segment at iter, clipped to what is left. */
static inline struct bio_vec bio_iter_iovec(const struct bio *bio, struct bvec_iter iter)
{
	const struct bio_vec *bv = &bio->bi_io_vec[iter.bi_idx];
	unsigned int len = bv->bv_len - iter.bi_bvec_done;
	if (len > iter.bi_size)
		len = iter.bi_size;
	return (struct bio_vec){ bv->bv_page, len, bv->bv_offset + iter.bi_bvec_done };
}
/* Move iter forward by bytes (at most what is left). */
static inline void bio_advance_iter(const struct bio *bio, struct bvec_iter *iter, unsigned int bytes)
{
	BUG_ON(bytes > iter->bi_size);
	iter->bi_sector += bytes >> SECTOR_SHIFT;
	iter->bi_size -= bytes;
	while (bytes) {
		unsigned int left = bio->bi_io_vec[iter->bi_idx].bv_len - iter->bi_bvec_done;
		unsigned int step = bytes < left ? bytes : left;
		iter->bi_bvec_done += step;
		bytes -= step;
		if (iter->bi_bvec_done == bio->bi_io_vec[iter->bi_idx].bv_len) {
			iter->bi_idx++;
			iter->bi_bvec_done = 0;
		}
	}
}

#define bio_for_each_segment(bvl, bio, iter) \
	for ((iter) = (bio)->bi_iter; \
	     (iter).bi_size && ((bvl) = bio_iter_iovec((bio), (iter)), 1); \
	     bio_advance_iter((bio), &(iter), (bvl).bv_len))

static inline unsigned int bio_sectors(const struct bio *bio)
{
	return bio->bi_iter.bi_size >> SECTOR_SHIFT;
}

/* Physical address of a segment's first byte. */
static inline phys_addr_t bvec_phys(const struct bio_vec *bv)
{
	return page_to_phys(bv->bv_page) + bv->bv_offset;
}

/* Submit; completion is reported through bi_end_io (maybe before this returns). */
void submit_bio(struct bio *bio);
/* Submit and sleep until complete; returns bi_status. Process context.
 * Dispatches the caller's plug first, so the wait cannot be on itself. */
int submit_bio_wait(struct bio *bio);
/* Halt, interrupts enabled, until *count reaches n: for bi_end_io handlers
 * that count completions (atomically: they may run on other CPUs, which
 * wake this one). Process context. */
void bio_wait_count(const volatile unsigned int *count, unsigned int n);

/*
 * Plugging (drivers/block/blk_merge.c): between blk_start_plug and
 * blk_finish_plug, read and write bios are held back instead of dispatched,
 * and a bio that continues a held one (same disk, same operation, the next
 * sector, within the disk's queue limits) is merged into it, so many small
 * adjacent bios reach the driver as one command. Each bio still completes
 * on its own (with the merged command's status). One plug per task (current->plug, as Linux), on the
 * submitter's stack; process context.
 */
#define BLK_PLUG_MAX 16         /* held requests; a full plug is dispatched */

struct blk_plug_rq {
	struct bio *first, *last;       /* chained through bi_next */
	sector_t sector;                /* start */
	unsigned int sectors, vecs;     /* size and segments, for the limits */
};

struct blk_plug {
	struct blk_plug_rq rq[BLK_PLUG_MAX];
	int count;
};

void blk_start_plug(struct blk_plug *plug);
void blk_finish_plug(struct blk_plug *plug);
/* Dispatch what the running CPU's plug holds (if any), keeping it started. */
void blk_flush_plug(void);

#endif
