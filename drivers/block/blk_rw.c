/*
 * disk_rw_pages: synchronous I/O of a page array through one bio
 * (<pagoda/blkdev.h>).
 */
#include <pagoda/blkdev.h>
#include <pagoda/errno.h>

/* Bytes of a `bytes`-long buffer that lie in its page i (pages are full but the last). */
static unsigned int page_chunk(u64 bytes, unsigned int i)
{
	u64 left = bytes - (u64)i * PAGE_SIZE;
	return left < PAGE_SIZE ? (unsigned int)left : PAGE_SIZE;
}

/* Read or write `bytes` at lba through one bio over the given pages. */
int disk_rw_pages(struct gendisk *disk, enum req_op op, sector_t lba, struct page **pages, u64 bytes)
{
	unsigned int n = PFN_UP(bytes);
	struct bio *bio = bio_alloc(disk, n, op, GFP_KERNEL);
	if (!bio)
		return -ENOMEM;
	bio->bi_iter.bi_sector = lba;
	for (unsigned int i = 0; i < n; i++)
		bio_add_page(bio, pages[i], page_chunk(bytes, i), 0);
	int err = submit_bio_wait(bio);
	bio_put(bio);
	return err;
}
