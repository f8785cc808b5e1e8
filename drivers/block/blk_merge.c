/*
 * Plugging and request merging. A submitter that is about to issue many
 * bios (a file system writing out a run of blocks, a reader walking a
 * file) opens a plug; until it closes it, submit_bio() holds the bios back
 * and merges each one that continues a held request: same disk, same
 * operation, starting at the sector the held request ends at (a back
 * merge) or ending where it starts (a front merge), and staying within the
 * disk's queue limits. Closing the plug dispatches each held request as
 * ONE bio whose segments are all of its bios' segments, so the driver sees
 * one command where the submitter made many. When that command completes,
 * every original bio completes with its status.
 *
 * This is what Linux's blk_start_plug/blk_finish_plug do for a task; here
 * the plug belongs to the CPU (there are no tasks), and a held request is
 * a chain of bios rather than a struct request.
 */
#include <pagoda/blkdev.h>
#include <pagoda/printk.h>
#include <pagoda/smp.h>
#include <pagoda/string.h>
#include <asm/processor.h>
#include <pagoda/sched.h>
#include "blk.h"


void blk_start_plug(struct blk_plug *plug)
{
	plug->count = 0;
	if (!current->plug)     /* nested: the outer plug holds */
		current->plug = plug;
}

static unsigned int bio_segments(const struct bio *bio)
{
	unsigned int n = 0;
	struct bio_vec bv;
	struct bvec_iter iter;
	bio_for_each_segment(bv, bio, iter)
		n++;
	return n;
}

/* A merged request's bio completed: complete every bio it stood for. */
static void merged_end_io(struct bio *merged)
{
	struct bio *b = merged->bi_private;
	while (b) {
		struct bio *next = b->bi_next;
		b->bi_next = NULL;
		b->bi_status = merged->bi_status;
		bio_endio(b);
		b = next;
	}
	bio_put(merged);
}

/* One bio carrying every segment of the request's chain, or NULL. */
static struct bio *merge_chain(const struct blk_plug_rq *rq)
{
	struct bio *m = bio_alloc(rq->first->bi_disk, rq->vecs, rq->first->bi_op, GFP_KERNEL);
	if (!m)
		return NULL;
	m->bi_iter.bi_sector = rq->sector;
	for (struct bio *b = rq->first; b; b = b->bi_next) {
		struct bio_vec bv;
		struct bvec_iter iter;
		bio_for_each_segment(bv, b, iter)
			bio_add_page(m, bv.bv_page, bv.bv_len, bv.bv_offset);
	}
	m->bi_end_io = merged_end_io;
	m->bi_private = rq->first;
	return m;
}

static void dispatch_rq(struct blk_plug_rq *rq)
{
	if (rq->first == rq->last) {
		blk_dispatch(rq->first);
		return;
	}
	struct bio *m = merge_chain(rq);
	if (m) {
		blk_dispatch(m);
		return;
	}
	/* No memory for the merged bio: the bios go one by one after all. */
	pr_warn("%s: no memory to merge a request; dispatching its bios separately\n",
		rq->first->bi_disk->disk_name);
	for (struct bio *b = rq->first, *next; b; b = next) {
		next = b->bi_next;
		b->bi_next = NULL;
		blk_dispatch(b);
	}
}

static void flush_plug(struct blk_plug *plug)
{
	/* Take the requests out first: a completion may submit more bios. */
	struct blk_plug_rq rq[BLK_PLUG_MAX];
	unsigned long flags = local_irq_save();
	int n = plug->count;
	memcpy(rq, plug->rq, n * sizeof(rq[0]));
	plug->count = 0;
	local_irq_restore(flags);
	for (int i = 0; i < n; i++)
		dispatch_rq(&rq[i]);
}

void blk_flush_plug(void)
{
	struct blk_plug *plug = current->plug;
	if (plug)
		flush_plug(plug);
}

void blk_finish_plug(struct blk_plug *plug)
{
	if (current->plug != plug)
		return;                         /* an inner plug of a nested pair */
	flush_plug(plug);
	current->plug = NULL;
}

/* Whether the request may grow by a bio of `sectors` and `vecs` segments
 * and still be one command: the queue limits, counted without assuming
 * any physical contiguity between segments. */
static bool fits(const struct blk_plug_rq *rq, const struct queue_limits *lim, unsigned int sectors,
		 unsigned int vecs)
{
	return rq->sectors + sectors <= lim->max_hw_sectors && rq->vecs + vecs <= lim->max_segments;
}

static bool add_locked(struct blk_plug *plug, struct bio *bio, struct gendisk *disk, sector_t start,
		       unsigned int sectors, unsigned int vecs)
{
	for (int i = plug->count - 1; i >= 0; i--) {
		struct blk_plug_rq *rq = &plug->rq[i];
		if (rq->first->bi_disk != disk || rq->first->bi_op != bio->bi_op ||
		    !fits(rq, &disk->limits, sectors, vecs))
			continue;
		if (rq->sector + rq->sectors == start) {                /* back merge */
			rq->last->bi_next = bio;
			rq->last = bio;
		} else if (start + sectors == rq->sector) {             /* front merge */
			bio->bi_next = rq->first;
			rq->first = bio;
			rq->sector = start;
		} else {
			continue;
		}
		rq->sectors += sectors;
		rq->vecs += vecs;
		disk->merges++;
		return true;
	}
	if (plug->count == BLK_PLUG_MAX)
		return false;                   /* filled from an interrupt meanwhile: go now */
	plug->rq[plug->count++] = (struct blk_plug_rq){ bio, bio, start, sectors, vecs };
	return true;
}

bool blk_plug_add(struct bio *bio)
{
	struct blk_plug *plug = current->plug;
	if (!plug)
		return false;
	if (bio->bi_op == REQ_OP_FLUSH) {
		flush_plug(plug);               /* a flush must not overtake held writes */
		return false;
	}
	struct gendisk *disk = bio->bi_disk;
	unsigned int sectors = bio_sectors(bio), vecs = bio_segments(bio);
	sector_t start = bio->bi_iter.bi_sector;
	bio->bi_next = NULL;
	if (plug->count == BLK_PLUG_MAX)
		flush_plug(plug);
	/* Interrupts off while the plug changes: a completion handler that
	 * submits a bio on this CPU lands here too. */
	unsigned long flags = local_irq_save();
	bool held = add_locked(plug, bio, disk, start, sectors, vecs);
	local_irq_restore(flags);
	return held;
}
