/*
 * getblock.c - a hole filled: the data block and the indirect blocks
 * missing on the way to it, allocated together and linked bottom up (new
 * indirect blocks written zeroed with their one pointer, the top one
 * linked last), so that a failure half way leaves the file as it was and
 * frees what it took, and the map never points at an unwritten block.
 *
 * The goal is the block after the file's previous block, else after the
 * indirect block it hangs from, else the start of the inode's group:
 * blocks written in order come out contiguous, each indirect block just
 * before the data it maps (as Linux's ext2 lays them out).
 */
#include "internal.h"

static uint32_t find_goal(struct ext2_fs *fs, const struct ext2_inode_info *inode,
			  uint64_t file_block, uint32_t parent)
{
	uint32_t prev = 0;
	if (file_block && !ext2_bmap(fs, inode, file_block - 1, &prev) && prev)
		return prev + 1;
	if (parent)
		return parent + 1;
	uint32_t group = (inode->ino - 1) / fs->inodes_per_group;
	return fs->first_data_block + group * fs->blocks_per_group;
}

/* Entry i of indirect block `block` := value, written through. */
static int set_pointer(struct ext2_fs *fs, uint32_t block, uint32_t i, uint32_t value, int fresh)
{
	uint8_t *data;
	if (fresh) {
		data = ext2_bnew(fs, block);
	} else {
		int ret = ext2_bget(fs, block, &data);
		if (ret)
			return ret;
	}
	__le32 v = cpu_to_le32(value);
	memcpy(data + 4 * i, &v, sizeof(v));
	return ext2_bwrite(fs, block, data);
}

int ext2_alloc_block(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t file_block,
		     uint32_t *block, int *fresh)
{
	*fresh = 0;
	uint32_t offsets[4];
	int depth = ext2_block_path(fs, file_block, offsets);
	if (depth < 0)
		return depth;
	int ret = ext2_bmap(fs, inode, file_block, block);	/* checks the path there is */
	if (ret || *block)
		return ret;

	/* The indirect blocks that exist, top down, to the first hole. */
	uint32_t chain[4];
	int have = 0;
	uint32_t ptr = le32_to_cpu(inode->raw.i_block[offsets[0]]);
	while (ptr && have < depth) {
		chain[have++] = ptr;
		const uint8_t *data;
		ret = ext2_bread(fs, ptr, &data);
		if (ret)
			return ret;
		__le32 next;
		memcpy(&next, data + 4 * offsets[have], sizeof(next));
		ptr = le32_to_cpu(next);
	}

	uint32_t fresh_blocks[4];
	int need = depth - have + 1;
	uint32_t goal = find_goal(fs, inode, file_block, have ? chain[have - 1] : 0);
	for (int k = 0; k < need; k++) {
		ret = ext2_new_block(fs, goal, &fresh_blocks[k]);
		if (ret) {
			while (k--)
				ext2_free_block(fs, inode->ino, fresh_blocks[k]);
			return ret;
		}
		goal = fresh_blocks[k] + 1;
	}
	/* new indirect blocks: zeros and the pointer to the next level */
	for (int k = 0; k + 1 < need; k++) {
		ret = set_pointer(fs, fresh_blocks[k], offsets[have + k + 1], fresh_blocks[k + 1], 1);
		if (ret)
			goto undo;
	}
	if (have) {
		ret = set_pointer(fs, chain[have - 1], offsets[have], fresh_blocks[0], 0);
		if (ret)
			goto undo;
	} else {
		inode->raw.i_block[offsets[0]] = cpu_to_le32(fresh_blocks[0]);
	}
	ext2_add_blocks(fs, inode, need);
	*block = fresh_blocks[need - 1];
	*fresh = 1;
	return 0;
undo:
	for (int k = 0; k < need; k++)
		ext2_free_block(fs, inode->ino, fresh_blocks[k]);
	return ret;
}

int ext2_get_block(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t file_block,
		   uint32_t *block, int create)
{
	if (!create)
		return ext2_bmap(fs, inode, file_block, block);
	int ret = ext2_writable(fs);
	if (ret)
		return ret;
	int fresh;
	ret = ext2_alloc_block(fs, inode, file_block, block, &fresh);
	if (ret || !fresh)
		return ret;
	ret = ext2_bwrite(fs, *block, ext2_bnew(fs, *block));
	if (!ret)
		ret = ext2_write_inode(fs, inode);
	return ret;
}
