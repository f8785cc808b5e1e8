/*
 * File data through the cache: a read asks the library only where the
 * blocks are (ext2_bmap); the blocks themselves come from the cache, the
 * missing ones brought in by runs adjacent on the disk, one bio each, with
 * readahead for a sequential reader (docs/filesystem.md "The cache and
 * write-back").
 */
#include <errno.h>
#include <string.h>
#include "ext2d.h"

#define RA_FIRST_BYTES  (16UL << 10)    /* the first window of a sequential reader */
#define RA_MAX_BYTES    (256UL << 10)   /* the largest (and at most the disk's request) */

static unsigned int ra_max_blocks(void)
{
	unsigned int n = (unsigned int)(RA_MAX_BYTES / cache.bsize);
	return n < cache.max_run ? n : cache.max_run;
}

/* The next readahead window of an open file read at off: it grows while
 * the reads follow each other, and closes at the first jump. */
static unsigned int ra_window(struct ofile *of, uint64_t off)
{
	if (off != of->ra_next) {
		of->ra_window = 0;
		of->ra_end = 0;
		return 0;
	}
	unsigned int w = of->ra_window ? of->ra_window * 2 : (unsigned int)(RA_FIRST_BYTES / cache.bsize);
	if (w > ra_max_blocks())
		w = ra_max_blocks();
	of->ra_window = w;
	return w;
}

/* Bring file blocks [fb, end) into the cache: runs of blocks adjacent on
 * the disk and missing from the cache, one bio each; blocks from
 * first_ra on count as readahead. Errors of readahead blocks are left for
 * a later read to meet. */
static int fill_blocks(struct minode *mi, uint64_t fb, uint64_t end, uint64_t first_ra)
{
	struct ext2_fs *fs = srv.fs;
	while (fb < end) {
		uint32_t d;
		int r = ext2_bmap(fs, &mi->i, fb, &d);
		if (r)
			return fb < first_ra ? r : 0;
		if (!d || cache_has(&cache, d)) {
			if (d && fb < first_ra)
				cache.st.hits++;
			fb++;
			continue;
		}
		unsigned int n = 1;
		while (fb + n < end && n < cache.max_run) {
			uint32_t next;
			if (ext2_bmap(fs, &mi->i, fb + n, &next) || next != d + n || cache_has(&cache, next))
				break;
			n++;
		}
		unsigned int ra = fb + n > first_ra ? (unsigned int)(fb + n - (fb > first_ra ? fb : first_ra)) : 0;
		r = cache_fill(&cache, d, n, ra);
		if (r && fb < first_ra)
			return r;
		fb += n;
	}
	return 0;
}

/* Up to len bytes of the file at off into dst. The bytes or a negative errno. */
long file_read(struct ofile *of, uint64_t off, uint8_t *dst, size_t len)
{
	struct ext2_fs *fs = srv.fs;
	struct minode *mi = of->mi;
	if (S_ISDIR(mi->i.mode))
		return -EISDIR;
	uint64_t size = mi->i.size;
	if (off >= size || !len)
		return 0;
	if (len > size - off)
		len = (size_t)(size - off);
	unsigned int bs = fs->block_size;
	uint64_t fb = off / bs, last = (off + len - 1) / bs;
	uint64_t nblocks = (size + bs - 1) / bs;
	/* Readahead in whole windows, not one block per read: a new window
	 * only when less than half of the last one is left ahead (Linux's
	 * asynchronous readahead mark, done synchronously). */
	uint64_t end = last + 1;
	unsigned int w = ra_window(of, off);
	if (w) {
		if (of->ra_end < end)
			of->ra_end = end;
		if (of->ra_end - end < w / 2)
			of->ra_end += w;
		if (of->ra_end > nblocks)
			of->ra_end = nblocks;
		if (of->ra_end > end)
			end = of->ra_end;
	}
	int r = fill_blocks(mi, fb, end, last + 1);
	if (r)
		return r;
	size_t done = 0;
	for (uint64_t b = fb; b <= last; b++) {
		unsigned int in = b == fb ? (unsigned int)(off % bs) : 0;
		size_t n = bs - in;
		if (n > len - done)
			n = len - done;
		uint32_t d;
		r = ext2_bmap(fs, &mi->i, b, &d);
		if (r)
			return done ? (long)done : r;
		if (!d) {
			memset(dst + done, 0, n);
		} else {
			const uint8_t *p;
			r = cache_read(&cache, d, &p);
			if (r)
				return done ? (long)done : r;
			memcpy(dst + done, p + in, n);
		}
		done += n;
	}
	of->ra_next = off + done;
	return (long)done;
}

