/*
 * sync.c - the superblock and the group descriptors, which the library
 * keeps in memory while mounted read-write: the descriptors' free counts
 * change with every allocation, so they go to disk here (ext2_sync, and
 * at unmount) rather than at every bitmap change. The superblock's free
 * counts are sums of the descriptors', as e2fsck recomputes them.
 *
 * A read-write mount does what Linux's ext2 does (ext2_setup_super): the
 * on-disk state loses EXT2_VALID_FS until unmount, which puts back the
 * state found at mount, so an image mounted unchecked or with errors
 * stays marked for e2fsck; s_mnt_count counts the mount, s_mtime is the
 * mount's time and s_wtime the last write's.
 */
#include "internal.h"

uint32_t ext2_now(struct ext2_fs *fs)
{
	return fs->ops->now ? fs->ops->now(fs->ctx) : 0;
}

/* The superblock is 1024 bytes at byte 1024: block 1 of 1 KiB, or the
 * second half of block 0. */
static int write_super(struct ext2_fs *fs)
{
	unsigned long long block = fs->block_size == 1024 ? 1 : 0;
	uint32_t off = fs->block_size == 1024 ? 0 : EXT2_SUPER_OFFSET;
	uint8_t *data;
	int ret = ext2_bget(fs, block, &data);
	if (ret)
		return ret;
	memcpy(data + off, &fs->sb, sizeof(fs->sb));
	return ext2_bwrite(fs, block, data);
}

int ext2_sync(struct ext2_fs *fs)
{
	int ret = ext2_writable(fs);
	if (ret)
		return ret;
	uint32_t free_blocks = 0, free_inodes = 0;
	for (uint32_t g = 0; g < fs->groups_count; g++) {
		free_blocks += le16_to_cpu(fs->gd[g].bg_free_blocks_count);
		free_inodes += le16_to_cpu(fs->gd[g].bg_free_inodes_count);
	}
	fs->sb.s_free_blocks_count = cpu_to_le32(free_blocks);
	fs->sb.s_free_inodes_count = cpu_to_le32(free_inodes);
	fs->sb.s_wtime = cpu_to_le32(ext2_now(fs));
	for (uint32_t i = 0; i < fs->gdt_blocks; i++) {
		unsigned long long block = fs->first_data_block + 1 + i;
		uint8_t *data = ext2_bnew(fs, block);
		memcpy(data, (const uint8_t *)fs->gd + (size_t)i * fs->block_size, fs->block_size);
		int err = ext2_bwrite(fs, block, data);
		if (err && !ret)
			ret = err;
	}
	int err = write_super(fs);
	return ret ? ret : err;
}

int ext2_mount_rw(struct ext2_fs *fs)
{
	struct ext2_super_block *sb = &fs->sb;
	fs->mount_state = le16_to_cpu(sb->s_state);
	sb->s_state = cpu_to_le16(fs->mount_state & ~EXT2_VALID_FS);
	sb->s_mnt_count = cpu_to_le16((uint16_t)(le16_to_cpu(sb->s_mnt_count) + 1));
	sb->s_mtime = cpu_to_le32(ext2_now(fs));
	return ext2_sync(fs);
}

void ext2_statfs(struct ext2_fs *fs, struct ext2_statfs *st)
{
	uint64_t free_blocks = 0;
	uint32_t free_inodes = 0;
	for (uint32_t g = 0; g < fs->groups_count; g++) {
		free_blocks += le16_to_cpu(fs->gd[g].bg_free_blocks_count);
		free_inodes += le16_to_cpu(fs->gd[g].bg_free_inodes_count);
	}
	uint32_t reserved = le32_to_cpu(fs->sb.s_r_blocks_count);
	st->blocks = fs->blocks_count;
	st->free_blocks = free_blocks;
	st->avail_blocks = free_blocks > reserved ? free_blocks - reserved : 0;
	st->inodes = fs->inodes_count;
	st->free_inodes = free_inodes;
	st->block_size = fs->block_size;
	st->read_only = fs->read_only;
}
