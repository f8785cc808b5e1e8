/*
 * ialloc.c - inodes from the groups' inode bitmaps (bit i of group g's:
 * inode g * inodes_per_group + i + 1).
 *
 * Policy, after Linux's ext2 (find_group_dir/find_group_other): a new
 * directory goes to a group with at least the average of free inodes and
 * free blocks and, among those, the fewest directories, so directories
 * spread over the disk; anything else goes to its parent's group, so a
 * directory's files sit together (near their blocks, which are allocated
 * in the inode's group), else to the next group with room. The reserved
 * inodes (below s_first_ino) are never handed out.
 */
#include "internal.h"

static int group_ok(const struct ext2_fs *fs, uint32_t g)
{
	return le16_to_cpu(fs->gd[g].bg_free_inodes_count) != 0;
}

static uint32_t dir_group(const struct ext2_fs *fs, uint32_t parent_group)
{
	uint64_t free_inodes = 0, free_blocks = 0;
	for (uint32_t g = 0; g < fs->groups_count; g++) {
		free_inodes += le16_to_cpu(fs->gd[g].bg_free_inodes_count);
		free_blocks += le16_to_cpu(fs->gd[g].bg_free_blocks_count);
	}
	uint64_t avg_inodes = free_inodes / fs->groups_count;
	uint64_t avg_blocks = free_blocks / fs->groups_count;
	uint32_t best = fs->groups_count;
	for (uint32_t k = 0; k < fs->groups_count; k++) {
		uint32_t g = (parent_group + k) % fs->groups_count;
		const struct ext2_group_desc *gd = &fs->gd[g];
		if (!group_ok(fs, g) || le16_to_cpu(gd->bg_free_inodes_count) < avg_inodes ||
		    le16_to_cpu(gd->bg_free_blocks_count) < avg_blocks)
			continue;
		if (best == fs->groups_count ||
		    le16_to_cpu(gd->bg_used_dirs_count) < le16_to_cpu(fs->gd[best].bg_used_dirs_count))
			best = g;
	}
	return best;
}

/* A free bit of group g's inode bitmap, taken: 0, or -ENOSPC. */
static int take_inode(struct ext2_fs *fs, uint32_t g, int is_dir, uint32_t *ino)
{
	struct ext2_group_desc *gd = &fs->gd[g];
	uint32_t bitmap = le32_to_cpu(gd->bg_inode_bitmap);
	uint8_t *map;
	int ret = ext2_bget(fs, bitmap, &map);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < fs->inodes_per_group; i++) {
		uint32_t n = g * fs->inodes_per_group + i + 1;
		if (ext2_test_bit(map, i) || n < fs->first_ino)
			continue;
		ext2_set_bit(map, i);
		ret = ext2_bwrite(fs, bitmap, map);
		if (ret)
			return ret;
		uint16_t count = le16_to_cpu(gd->bg_free_inodes_count);
		gd->bg_free_inodes_count = cpu_to_le16(count ? count - 1 : 0);
		if (is_dir)
			gd->bg_used_dirs_count = cpu_to_le16((uint16_t)(le16_to_cpu(gd->bg_used_dirs_count) + 1));
		*ino = n;
		return 0;
	}
	return -ENOSPC;
}

int ext2_new_inode(struct ext2_fs *fs, uint32_t dir, int is_dir, uint32_t *ino)
{
	uint32_t parent_group = (dir - 1) / fs->inodes_per_group;
	uint32_t first = parent_group;
	if (is_dir) {
		first = dir_group(fs, parent_group);
		if (first == fs->groups_count)
			first = parent_group;
	}
	for (uint32_t k = 0; k < fs->groups_count; k++) {
		uint32_t g = (first + k) % fs->groups_count;
		if (!group_ok(fs, g))
			continue;
		int ret = take_inode(fs, g, is_dir, ino);
		if (ret != -ENOSPC)
			return ret;
	}
	return -ENOSPC;
}

int ext2_free_inode(struct ext2_fs *fs, uint32_t ino, int is_dir)
{
	uint32_t g = (ino - 1) / fs->inodes_per_group;
	uint32_t i = (ino - 1) % fs->inodes_per_group;
	struct ext2_group_desc *gd = &fs->gd[g];
	uint32_t bitmap = le32_to_cpu(gd->bg_inode_bitmap);
	uint8_t *map;
	int ret = ext2_bget(fs, bitmap, &map);
	if (ret)
		return ret;
	if (!ext2_test_bit(map, i)) {
		ext2_msg(fs, "freeing inode %u, already free", ino);
		return -EUCLEAN;
	}
	ext2_clear_bit(map, i);
	ret = ext2_bwrite(fs, bitmap, map);
	if (ret)
		return ret;
	gd->bg_free_inodes_count = cpu_to_le16((uint16_t)(le16_to_cpu(gd->bg_free_inodes_count) + 1));
	uint16_t dirs = le16_to_cpu(gd->bg_used_dirs_count);
	if (is_dir && dirs)
		gd->bg_used_dirs_count = cpu_to_le16(dirs - 1);
	return 0;
}
