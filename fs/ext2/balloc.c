/*
 * balloc.c - blocks from the groups' block bitmaps (bit i of group g's
 * bitmap: block first_data_block + g * blocks_per_group + i).
 *
 * Policy: the first free block at or after a goal, in the goal's group,
 * then in each following group (wrapping), skipping groups whose count
 * says full. Callers pass the block after the file's previous one, so a
 * file written in order lies in one run (the server's readahead reads
 * runs). The reserved blocks (s_r_blocks_count) are not held back: the
 * server allocates for every user, as root would.
 *
 * The bitmap block is written through at once; the descriptor's count is
 * changed in memory (ext2_sync writes it). A bitmap claiming metadata is
 * free is not believed (that block is skipped).
 */
#include "internal.h"

static uint32_t group_blocks(const struct ext2_fs *fs, uint32_t g)
{
	uint32_t first = fs->first_data_block + g * fs->blocks_per_group;
	uint32_t left = fs->blocks_count - first;
	return left < fs->blocks_per_group ? left : fs->blocks_per_group;
}

/* A free bit from start in group g's bitmap, taken: 0, or -ENOSPC. */
static int take_block(struct ext2_fs *fs, uint32_t g, uint32_t start, uint32_t *block)
{
	struct ext2_group_desc *gd = &fs->gd[g];
	uint32_t bitmap = le32_to_cpu(gd->bg_block_bitmap);
	uint32_t first = fs->first_data_block + g * fs->blocks_per_group;
	uint32_t n = group_blocks(fs, g);
	uint8_t *map;
	int ret = ext2_bget(fs, bitmap, &map);
	if (ret)
		return ret;
	for (uint32_t i = start; i < n; i++) {
		if (map[i / 8] == 0xff) {	/* a full byte: skip to the next */
			i |= 7;
			continue;
		}
		if (ext2_test_bit(map, i))
			continue;
		if (ext2_metadata(fs, first + i))
			continue;
		ext2_set_bit(map, i);
		ret = ext2_bwrite(fs, bitmap, map);
		if (ret)
			return ret;
		uint16_t count = le16_to_cpu(gd->bg_free_blocks_count);
		gd->bg_free_blocks_count = cpu_to_le16(count ? count - 1 : 0);
		*block = first + i;
		return 0;
	}
	return -ENOSPC;
}

int ext2_new_block(struct ext2_fs *fs, uint32_t goal, uint32_t *block)
{
	if (goal < fs->first_data_block || goal >= fs->blocks_count)
		goal = fs->first_data_block;
	uint32_t g0 = (goal - fs->first_data_block) / fs->blocks_per_group;
	uint32_t start = (goal - fs->first_data_block) % fs->blocks_per_group;
	/* the goal's group from the goal, the others whole, then the goal's
	 * group again from its start */
	for (uint32_t k = 0; k <= fs->groups_count; k++) {
		uint32_t g = (g0 + k) % fs->groups_count;
		if (!le16_to_cpu(fs->gd[g].bg_free_blocks_count))
			continue;
		int ret = take_block(fs, g, k == 0 ? start : 0, block);
		if (ret != -ENOSPC)
			return ret;
	}
	return -ENOSPC;
}

int ext2_free_block(struct ext2_fs *fs, uint32_t ino, uint32_t block)
{
	int ret = ext2_check_data_block(fs, ino, block, "freed block");
	if (ret)
		return ret;
	uint32_t g = (block - fs->first_data_block) / fs->blocks_per_group;
	uint32_t i = (block - fs->first_data_block) % fs->blocks_per_group;
	struct ext2_group_desc *gd = &fs->gd[g];
	uint32_t bitmap = le32_to_cpu(gd->bg_block_bitmap);
	uint8_t *map;
	ret = ext2_bget(fs, bitmap, &map);
	if (ret)
		return ret;
	if (!ext2_test_bit(map, i)) {
		ext2_msg(fs, "inode %u: freeing block %u, already free", ino, block);
		return -EUCLEAN;
	}
	ext2_clear_bit(map, i);
	ret = ext2_bwrite(fs, bitmap, map);
	if (ret)
		return ret;
	gd->bg_free_blocks_count = cpu_to_le16((uint16_t)(le16_to_cpu(gd->bg_free_blocks_count) + 1));
	return 0;
}
