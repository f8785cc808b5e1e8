/* Making, filling, splitting and completing bios (bio.h). */
#include <pagoda/bio.h>
#include <pagoda/slab.h>
#include <pagoda/panic.h>

struct bio *bio_alloc(struct gendisk *disk, unsigned short nr_vecs, enum req_op op, gfp_t gfp)
{
	struct bio *bio = kzalloc(sizeof(*bio) + nr_vecs * sizeof(struct bio_vec), gfp);
	if (!bio)
		return NULL;
	bio->bi_disk = disk;
	bio->bi_op = op;
	bio->bi_max_vecs = nr_vecs;
	bio->bi_io_vec = bio->bi_inline_vecs;
	bio->bi_remaining = 1;
	return bio;
}

void bio_put(struct bio *bio)
{
	kfree(bio);
}

unsigned int bio_add_page(struct bio *bio, struct page *page, unsigned int len, unsigned int offset)
{
	if (!len || bio->bi_vcnt >= bio->bi_max_vecs || bio->bi_iter.bi_size + len < len)
		return 0;
	bio->bi_io_vec[bio->bi_vcnt++] = (struct bio_vec){ page, len, offset };
	bio->bi_iter.bi_size += len;
	return len;
}

void bio_endio(struct bio *bio)
{
	/* A split-off part reports to its parent: the first error wins, and
	 * the parent completes when its last part does. Parts may complete on
	 * different CPUs at once (a driver's interrupt on one, its timeout
	 * check on another): the count drops atomically. */
	if (__atomic_sub_fetch(&bio->bi_remaining, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	if (bio->bi_end_io)
		bio->bi_end_io(bio);
}

static void bio_chain_endio(struct bio *part)
{
	struct bio *parent = part->bi_parent;
	int none = 0;
	if (part->bi_status)            /* the first error wins, even racing another CPU */
		__atomic_compare_exchange_n(&parent->bi_status, &none, part->bi_status, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	bio_put(part);
	bio_endio(parent);
}

struct bio *bio_split(struct bio *bio, unsigned int sectors, gfp_t gfp)
{
	unsigned int bytes = sectors << SECTOR_SHIFT;
	BUG_ON(!sectors || bytes >= bio->bi_iter.bi_size);
	struct bio *part = bio_alloc(bio->bi_disk, 0, bio->bi_op, gfp);
	if (!part)
		return NULL;
	part->bi_io_vec = bio->bi_io_vec;       /* shared: the array never changes */
	part->bi_vcnt = bio->bi_vcnt;
	part->bi_iter = bio->bi_iter;
	part->bi_iter.bi_size = bytes;
	part->bi_parent = bio;
	part->bi_end_io = bio_chain_endio;
	bio->bi_remaining++;
	bio_advance_iter(bio, &bio->bi_iter, bytes);
	return part;
}
