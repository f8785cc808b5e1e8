/*
 * inode.c - an inode by number: where it lives (its group's inode table,
 * checked at mount) and whether it is one a directory may name.
 */
#include "internal.h"

static int valid_type(uint16_t mode)
{
	switch (mode & EXT2_S_IFMT) {
	case EXT2_S_IFREG: case EXT2_S_IFDIR: case EXT2_S_IFLNK: case EXT2_S_IFCHR:
	case EXT2_S_IFBLK: case EXT2_S_IFIFO: case EXT2_S_IFSOCK:
		return 1;
	}
	return 0;
}

/* Blocks the map reaches: 12 direct, then apb, apb^2, apb^3. */
static uint64_t map_blocks(const struct ext2_fs *fs)
{
	uint64_t apb = fs->addr_per_block;
	return EXT2_NDIR_BLOCKS + apb + apb * apb + apb * apb * apb;
}

int ext2_iget(struct ext2_fs *fs, uint32_t ino, struct ext2_inode_info *inode)
{
	if (ino < 1 || ino > fs->inodes_count) {
		ext2_msg(fs, "inode %u out of range (1-%u)", ino, fs->inodes_count);
		return -EUCLEAN;
	}
	uint32_t group = (ino - 1) / fs->inodes_per_group;
	uint32_t index = (ino - 1) % fs->inodes_per_group;
	uint64_t byte = (uint64_t)index * fs->inode_size;
	uint32_t block = le32_to_cpu(fs->gd[group].bg_inode_table) + (uint32_t)(byte / fs->block_size);
	const uint8_t *data;
	int ret = ext2_bread(fs, block, &data);
	if (ret)
		return ret;
	memcpy(&inode->raw, data + byte % fs->block_size, sizeof(inode->raw));
	inode->ino = ino;
	inode->mode = le16_to_cpu(inode->raw.i_mode);
	if (!le16_to_cpu(inode->raw.i_links_count) || !valid_type(inode->mode)) {
		ext2_msg(fs, "inode %u is not in use (mode 0%o, %u links)", ino, inode->mode,
			 le16_to_cpu(inode->raw.i_links_count));
		return -EUCLEAN;
	}
	inode->size = le32_to_cpu(inode->raw.i_size);
	/* i_size_high is the size's top half for regular files (large_file);
	 * on a directory the field was i_dir_acl, as Linux's ext2 reads it. */
	if ((inode->mode & EXT2_S_IFMT) == EXT2_S_IFREG)
		inode->size |= (uint64_t)le32_to_cpu(inode->raw.i_size_high) << 32;
	if (inode->size / fs->block_size > map_blocks(fs)) {
		ext2_msg(fs, "inode %u: size %llu beyond what a block map holds", ino,
			 (unsigned long long)inode->size);
		return -EUCLEAN;
	}
	/* No inode owns more blocks than the file system has (i_blocks counts
	 * 512-byte sectors): this bounds every directory walk below. */
	if (le32_to_cpu(inode->raw.i_blocks) / (fs->block_size / 512) > fs->blocks_count) {
		ext2_msg(fs, "inode %u: %u sectors, more than the file system holds", ino,
			 le32_to_cpu(inode->raw.i_blocks));
		return -EUCLEAN;
	}
	/* A directory has no holes: every byte of its size is in blocks it owns. */
	uint64_t owned = (uint64_t)le32_to_cpu(inode->raw.i_blocks) * 512;
	if (ext2_is_dir(inode) && (inode->size % fs->block_size || inode->size > owned)) {
		ext2_msg(fs, "inode %u: directory size %llu not whole blocks, or over its %u sectors", ino,
			 (unsigned long long)inode->size, le32_to_cpu(inode->raw.i_blocks));
		return -EUCLEAN;
	}
	return 0;
}
