/*
 * bmap.c - a file's block number -> the disk's, through i_block[]: 12
 * direct pointers, then a single, a double and a triple indirect block.
 * A 0 anywhere on the way is a hole. The walk is at most four pointers
 * deep, and each pointer is checked before it is followed: inside the
 * file system, not metadata, and not a block already on this path (an
 * indirect block pointing to itself or to its parent would make the file
 * read its own map).
 */
#include "internal.h"

int ext2_block_path(const struct ext2_fs *fs, uint64_t file_block, uint32_t offsets[4])
{
	/* LAB(9) BEGIN: a file block's path through i_block[]: direct, single, double, triple indirect */
	uint64_t apb = fs->addr_per_block, fb = file_block;
	if (fb < EXT2_NDIR_BLOCKS) {
		offsets[0] = (uint32_t)fb;
		return 0;
	}
	if ((fb -= EXT2_NDIR_BLOCKS) < apb) {
		offsets[0] = EXT2_IND_BLOCK;
		offsets[1] = (uint32_t)fb;
		return 1;
	}
	if ((fb -= apb) < apb * apb) {
		offsets[0] = EXT2_DIND_BLOCK;
		offsets[1] = (uint32_t)(fb / apb);
		offsets[2] = (uint32_t)(fb % apb);
		return 2;
	}
	if ((fb -= apb * apb) < apb * apb * apb) {
		offsets[0] = EXT2_TIND_BLOCK;
		offsets[1] = (uint32_t)(fb / (apb * apb));
		offsets[2] = (uint32_t)(fb / apb % apb);
		offsets[3] = (uint32_t)(fb % apb);
		return 3;
	}
	return -EFBIG;
	/* LAB(9) STUB
	(void)fs;
	if (file_block < EXT2_NDIR_BLOCKS) {
		offsets[0] = (uint32_t)file_block;
		return 0;
	}
	return -EOPNOTSUPP;
	*/
	/* LAB(9) END */
}

int ext2_bmap(struct ext2_fs *fs, const struct ext2_inode_info *inode,
	      uint64_t file_block, uint32_t *block)
{
	uint32_t offsets[4];
	int depth = ext2_block_path(fs, file_block, offsets);
	if (depth < 0)
		return depth;

	uint32_t path[4];
	uint32_t ptr = le32_to_cpu(inode->raw.i_block[offsets[0]]);
	for (int level = 0;; level++) {
		if (!ptr) {
			*block = 0;
			return 0;
		}
		const char *what = level == depth ? "data block" : "indirect block";
		int ret = ext2_check_data_block(fs, inode->ino, ptr, what);
		if (ret)
			return ret;
		for (int up = 0; up < level; up++) {
			if (path[up] == ptr) {
				ext2_msg(fs, "inode %u: %s %u loops back to an indirect block above it",
					 inode->ino, what, ptr);
				return -EUCLEAN;
			}
		}
		path[level] = ptr;
		if (level == depth) {
			*block = ptr;
			return 0;
		}
		const uint8_t *data;
		ret = ext2_bread(fs, ptr, &data);
		if (ret)
			return ret;
		__le32 next;
		memcpy(&next, data + 4 * offsets[level + 1], sizeof(next));
		ptr = le32_to_cpu(next);
	}
}
