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

uint64_t ext2_max_size(const struct ext2_fs *fs)
{
	/* i_blocks counts 512-byte sectors in 32 bits: 2 TiB, as Linux's
	 * ext2_max_size keeps it (a little under, for the indirect blocks) */
	uint64_t map = map_blocks(fs) * fs->block_size, sectors = (1ULL << 41) - (1ULL << 32);
	/* revision 0 has no feature flags, so no large_file: 2 GiB - 1 */
	if (le32_to_cpu(fs->sb.s_rev_level) == EXT2_GOOD_OLD_REV)
		return 0x7fffffffULL;
	return map < sectors ? map : sectors;
}

/* Where inode ino lives: its table block and the byte in it. */
static uint32_t inode_block(const struct ext2_fs *fs, uint32_t ino, uint32_t *off)
{
	uint32_t group = (ino - 1) / fs->inodes_per_group;
	uint32_t index = (ino - 1) % fs->inodes_per_group;
	uint64_t byte = (uint64_t)index * fs->inode_size;
	*off = (uint32_t)(byte % fs->block_size);
	return le32_to_cpu(fs->gd[group].bg_inode_table) + (uint32_t)(byte / fs->block_size);
}

int ext2_iget_raw(struct ext2_fs *fs, uint32_t ino, struct ext2_inode_info *inode)
{
	if (ino < 1 || ino > fs->inodes_count) {
		ext2_msg(fs, "inode %u out of range (1-%u)", ino, fs->inodes_count);
		return -EUCLEAN;
	}
	uint32_t off, block = inode_block(fs, ino, &off);
	const uint8_t *data;
	int ret = ext2_bread(fs, block, &data);
	if (ret)
		return ret;
	memcpy(&inode->raw, data + off, sizeof(inode->raw));
	inode->ino = ino;
	inode->mode = le16_to_cpu(inode->raw.i_mode);
	inode->size = le32_to_cpu(inode->raw.i_size);
	/* i_size_high is the size's top half for regular files (large_file);
	 * on a directory the field was i_dir_acl, as Linux's ext2 reads it. */
	if ((inode->mode & EXT2_S_IFMT) == EXT2_S_IFREG)
		inode->size |= (uint64_t)le32_to_cpu(inode->raw.i_size_high) << 32;
	return 0;
}

int ext2_iget(struct ext2_fs *fs, uint32_t ino, struct ext2_inode_info *inode)
{
	int ret = ext2_iget_raw(fs, ino, inode);
	if (ret)
		return ret;
	if (!le16_to_cpu(inode->raw.i_links_count) || !valid_type(inode->mode)) {
		ext2_msg(fs, "inode %u is not in use (mode 0%o, %u links)", ino, inode->mode,
			 le16_to_cpu(inode->raw.i_links_count));
		return -EUCLEAN;
	}
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

int ext2_write_inode(struct ext2_fs *fs, const struct ext2_inode_info *inode)
{
	int ret = ext2_writable(fs);
	if (ret)
		return ret;
	if (inode->ino < 1 || inode->ino > fs->inodes_count)
		return -EINVAL;
	uint32_t off, block = inode_block(fs, inode->ino, &off);
	uint8_t *data;
	ret = ext2_bget(fs, block, &data);
	if (ret)
		return ret;
	memcpy(data + off, &inode->raw, sizeof(inode->raw));
	return ext2_bwrite(fs, block, data);
}

/* A new inode starts from zeros, its whole slot (a 256-byte inode's extra
 * fields too: i_extra_isize 0, as Linux's ext2 leaves it). */
int ext2_init_inode(struct ext2_fs *fs, uint32_t ino, uint16_t mode,
		    struct ext2_inode_info *inode)
{
	uint32_t off, block = inode_block(fs, ino, &off);
	uint8_t *data;
	int ret = ext2_bget(fs, block, &data);
	if (ret)
		return ret;
	memset(data + off, 0, fs->inode_size);
	ret = ext2_bwrite(fs, block, data);
	if (ret)
		return ret;
	memset(inode, 0, sizeof(*inode));
	inode->ino = ino;
	inode->mode = mode;
	inode->raw.i_mode = cpu_to_le16(mode);
	uint32_t now = ext2_now(fs);
	inode->raw.i_atime = inode->raw.i_ctime = inode->raw.i_mtime = cpu_to_le32(now);
	return 0;
}

/* i_size_high holds a regular file's top half; past 2 GiB a file needs
 * the large_file feature, which is set then (ext2_sync writes it). */
void ext2_set_size(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t size)
{
	inode->size = size;
	inode->raw.i_size = cpu_to_le32((uint32_t)size);
	if ((inode->mode & EXT2_S_IFMT) != EXT2_S_IFREG)
		return;
	inode->raw.i_size_high = cpu_to_le32((uint32_t)(size >> 32));
	if (size > 0x7fffffffULL && !(fs->feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE)) {
		fs->feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
		fs->sb.s_feature_ro_compat = cpu_to_le32(le32_to_cpu(fs->sb.s_feature_ro_compat) |
							 EXT2_FEATURE_RO_COMPAT_LARGE_FILE);
	}
}

/* i_blocks is in 512-byte sectors, indirect blocks included. */
void ext2_add_blocks(struct ext2_fs *fs, struct ext2_inode_info *inode, int count)
{
	uint32_t sectors = (uint32_t)count * (fs->block_size / 512);
	inode->raw.i_blocks = cpu_to_le32(le32_to_cpu(inode->raw.i_blocks) + sectors);
}

void ext2_set_links(struct ext2_inode_info *inode, unsigned int links)
{
	inode->raw.i_links_count = cpu_to_le16((uint16_t)links);
}
