/*
 * disk_rw_pages: synchronous I/O of a page array through one bio
 * (<pagoda/blkdev.h>).
 */
#include <pagoda/blkdev.h>
#include <pagoda/errno.h>
#include <pagoda/scattered_pages.h>

/* Read or write `bytes` at lba through one bio over the given pages. */
int disk_rw_pages(struct gendisk *disk, enum req_op op, sector_t lba, struct page **pages, u64 bytes)
{
	unsigned int n = PFN_UP(bytes);
	struct bio *bio = bio_alloc(disk, n, op, GFP_KERNEL);
	if (!bio)
		return -ENOMEM;
	bio->bi_iter.bi_sector = lba;
	for (unsigned int i = 0; i < n; i++)
		bio_add_page(bio, pages[i], page_array_chunk(bytes, i), 0);
	int err = submit_bio_wait(bio);
	bio_put(bio);
	return err;
}
