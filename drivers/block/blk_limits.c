/*
 * Fitting a bio to what the device accepts. One walk decides how the bio's
 * bytes travel as scatter-gather entries (physically contiguous bytes share
 * an entry up to max_segment_size and the boundary); bio_split_point()
 * counts entries with it to find where a split must go, and
 * blk_bio_map_sg() builds the entries with it, so the two always agree.
 * Pure code: the host tests compile this file.
 */
#include <pagoda/blkdev.h>

/* Bytes from phys to the end of its boundary window (saturating: a mask of
 * all ones has one window, the whole address space). */
static u64 to_boundary(const struct queue_limits *lim, phys_addr_t phys)
{
	u64 left = lim->seg_boundary_mask - (phys & lim->seg_boundary_mask);
	return left == ~0ULL ? left : left + 1;
}

/* How many more bytes the entry [start, +cur) can take: up to the segment
 * size limit and the end of start's boundary window. */
static u64 extend_room(const struct queue_limits *lim, phys_addr_t start, u64 cur)
{
	u64 room = cur < lim->max_segment_size ? lim->max_segment_size - cur : 0;
	u64 window = to_boundary(lim, start) - cur;
	return room < window ? room : window;
}

/*
 * Walk the bio's segments as entries, greedily: bytes physically
 * contiguous with the current entry extend it as far as the limits allow,
 * anything else starts a new entry. Stop when one more entry would exceed
 * max_segments or the bytes would exceed max_hw_sectors. With map != NULL,
 * also write the entries. Returns bytes covered; *entries gets the count.
 */
static unsigned int walk_entries(const struct bio *bio, const struct queue_limits *lim,
				 struct scatterlist *map, int *entries)
{
	u64 max_bytes = (u64)lim->max_hw_sectors << SECTOR_SHIFT;
	u64 done = 0;
	int n = 0;
	phys_addr_t start = 0;
	u64 cur = 0;
	struct bio_vec bv;
	struct bvec_iter iter;

	bio_for_each_segment(bv, bio, iter) {
		phys_addr_t p = bvec_phys(&bv);
		u64 left = bv.bv_len;
		while (left) {
			if (done == max_bytes)
				goto out;
			u64 len = left < max_bytes - done ? left : max_bytes - done;
			u64 take = n && start + cur == p ? extend_room(lim, start, cur) : 0;
			if (take) {
				take = take < len ? take : len;
				cur += take;
			} else {
				if (n == lim->max_segments)
					goto out;
				u64 room = to_boundary(lim, p);
				if (room > lim->max_segment_size)
					room = lim->max_segment_size;
				take = len < room ? len : room;
				start = p;
				cur = take;
				n++;
				if (map) {
					map[n - 1].page = bv.bv_page;
					map[n - 1].offset = bv.bv_offset + (bv.bv_len - left);
				}
			}
			if (map)
				map[n - 1].length = cur;
			p += take;
			left -= take;
			done += take;
		}
	}
out:
	*entries = n;
	return (unsigned int)done;
}

unsigned int bio_split_point(const struct bio *bio, const struct queue_limits *lim)
{
	int n;
	unsigned int bytes = walk_entries(bio, lim, NULL, &n);
	if (bytes == bio->bi_iter.bi_size)
		return bytes;
	return bytes & ~(lim->logical_block_size - 1);
}

int blk_bio_map_sg(const struct bio *bio, struct scatterlist *sg, int max, const struct queue_limits *lim)
{
	struct queue_limits l = *lim;
	int n;
	if (l.max_segments > max)
		l.max_segments = max;
	sg_init_table(sg, max);
	walk_entries(bio, &l, sg, &n);
	return n;
}

void blk_set_default_limits(struct queue_limits *lim)
{
	*lim = (struct queue_limits){
		.logical_block_size = SECTOR_SIZE,
		.max_hw_sectors = 255,
		.max_segments = 128,
		.max_segment_size = 65536,
		.seg_boundary_mask = 0xffffffff,
		.dma_alignment = 511,
	};
}
