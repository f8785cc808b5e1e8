/*
 * write.c - bytes into a regular file, block by block: a block written
 * whole is not read first; a part of a block is read, changed and
 * written back; a new block is zeros around what is written (so a hole
 * grown over, or the bytes after a short write, read as zeros). The size
 * grows to the end written; mtime and ctime become now.
 */
#include "internal.h"

#define WRITE_MAX (1UL << 30)	/* one call's bytes: the count must fit a long */

long ext2_write(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t off,
		const void *buf, size_t len)
{
	int ret = ext2_writable_file(fs, inode);
	if (ret)
		return ret;
	uint64_t max = ext2_max_size(fs);
	if (len && off >= max)
		return -EFBIG;
	if (len > max - off)
		len = (size_t)(max - off);
	if (len > WRITE_MAX)
		len = WRITE_MAX;

	const uint8_t *in = buf;
	size_t done = 0;
	while (done < len) {
		uint64_t pos = off + done;
		uint32_t at = (uint32_t)(pos % fs->block_size);
		size_t n = fs->block_size - at;
		if (n > len - done)
			n = len - done;
		uint32_t block;
		int fresh;
		ret = ext2_alloc_block(fs, inode, pos / fs->block_size, &block, &fresh);
		if (ret)
			break;
		uint8_t *data;
		if (fresh || n == fs->block_size) {
			data = ext2_bnew(fs, block);
		} else if ((ret = ext2_bget(fs, block, &data)) != 0) {
			break;
		}
		memcpy(data + at, in + done, n);
		ret = ext2_bwrite(fs, block, data);
		if (ret)
			break;
		done += n;
	}
	if (off + done > inode->size)
		ext2_set_size(fs, inode, off + done);
	if (done || !ret) {
		uint32_t now = ext2_now(fs);
		inode->raw.i_mtime = inode->raw.i_ctime = cpu_to_le32(now);
	}
	/* the inode holds the new blocks even when the write stopped short */
	int err = ext2_write_inode(fs, inode);
	if (done)
		return (long)done;
	return ret ? ret : err ? err : 0;
}
