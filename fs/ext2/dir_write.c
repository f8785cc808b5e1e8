/*
 * dir_write.c - entries added, removed and repointed in directory blocks.
 *
 * An entry is added in the first gap that fits it: an unused entry, or
 * the slack after an entry's name (its rec_len past EXT2_DIR_REC_LEN of
 * its name), which is split off; with no gap a new block is added at the
 * end, one empty entry covering it. An entry removed is merged into the
 * one before it in its block, or, first in its block, marked unused
 * (inode 0). So every block stays covered exactly by 4-aligned records,
 * as e2fsck demands. A changed directory gets mtime and ctime now and
 * loses EXT2_INDEX_FL: its hash tree (kept in entries a linear reader
 * sees as unused) is no longer kept, as with Linux's ext2.
 */
#include "internal.h"

#define NO_PREV 0xffffffffu

struct slot {
	uint32_t block, off, prev;	/* disk block, the entry's offset, the one before */
	struct ext2_dir_entry_2 e;
};

int ext2_check_name(const char *name, size_t len)
{
	if (!len)
		return -ENOENT;
	if (len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == '\0')
			return -EINVAL;
	return 0;
}

uint8_t ext2_file_type(const struct ext2_fs *fs, uint16_t mode)
{
	if (!(fs->feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE))
		return 0;
	switch (mode & EXT2_S_IFMT) {
	case EXT2_S_IFREG: return EXT2_FT_REG_FILE;
	case EXT2_S_IFDIR: return EXT2_FT_DIR;
	case EXT2_S_IFLNK: return EXT2_FT_SYMLINK;
	case EXT2_S_IFCHR: return EXT2_FT_CHRDEV;
	case EXT2_S_IFBLK: return EXT2_FT_BLKDEV;
	case EXT2_S_IFIFO: return EXT2_FT_FIFO;
	case EXT2_S_IFSOCK: return EXT2_FT_SOCK;
	}
	return EXT2_FT_UNKNOWN;
}

int ext2_dir_for_write(struct ext2_fs *fs, uint32_t ino, struct ext2_inode_info *dir)
{
	int ret = ext2_writable(fs);
	if (!ret)
		ret = ext2_iget(fs, ino, dir);
	if (!ret && !ext2_is_dir(dir))
		ret = -ENOTDIR;
	return ret;
}

static int dir_changed(struct ext2_fs *fs, struct ext2_inode_info *dir)
{
	uint32_t now = ext2_now(fs);
	dir->raw.i_mtime = dir->raw.i_ctime = cpu_to_le32(now);
	dir->raw.i_flags &= cpu_to_le32(~(uint32_t)EXT2_INDEX_FL);
	return ext2_write_inode(fs, dir);
}

/* Disk block of directory block fb, which must exist. */
static int dir_block(struct ext2_fs *fs, const struct ext2_inode_info *dir, uint64_t fb,
		     uint32_t *block)
{
	int ret = ext2_bmap(fs, dir, fb, block);
	if (!ret && !*block) {
		ext2_msg(fs, "directory inode %u: hole at file block %llu", dir->ino,
			 (unsigned long long)fb);
		ret = -EUCLEAN;
	}
	return ret;
}

/* The entry of name in dir, and its block to change in place (*out, then
 * ext2_bwrite), or -ENOENT. */
static int find_slot(struct ext2_fs *fs, const struct ext2_inode_info *dir, const char *name,
		     size_t len, struct slot *s, uint8_t **out)
{
	uint64_t blocks = dir->size / fs->block_size;
	for (uint64_t fb = 0; fb < blocks; fb++) {
		int ret = dir_block(fs, dir, fb, &s->block);
		if (ret)
			return ret;
		const uint8_t *data;
		ret = ext2_bread(fs, s->block, &data);
		if (ret)
			return ret;
		s->prev = NO_PREV;
		for (s->off = 0; s->off < fs->block_size; s->off += le16_to_cpu(s->e.rec_len)) {
			ret = ext2_check_dirent(fs, dir, s->block, data, s->off, &s->e);
			if (ret)
				return ret;
			if (s->e.inode && s->e.name_len == len &&
			    !memcmp(data + s->off + sizeof(s->e), name, len))
				return ext2_bget(fs, s->block, out);
			s->prev = s->off;
		}
	}
	return -ENOENT;
}

static void put_entry(uint8_t *at, uint32_t ino, uint32_t rec_len, const char *name,
		      size_t len, uint8_t type)
{
	struct ext2_dir_entry_2 e = {
		.inode = cpu_to_le32(ino), .rec_len = cpu_to_le16((uint16_t)rec_len),
		.name_len = (uint8_t)len, .file_type = type,
	};
	memcpy(at, &e, sizeof(e));
	memcpy(at + sizeof(e), name, len);
	/* the padding after the name: zeros, as Linux leaves it */
	memset(at + sizeof(e) + len, 0, EXT2_DIR_REC_LEN(len) - sizeof(e) - len);
}

int ext2_add_link(struct ext2_fs *fs, struct ext2_inode_info *dir, const char *name,
		  size_t len, uint32_t ino, uint16_t mode)
{
	uint32_t need = EXT2_DIR_REC_LEN(len);
	uint8_t type = ext2_file_type(fs, mode);
	uint64_t blocks = dir->size / fs->block_size;
	for (uint64_t fb = 0; fb < blocks; fb++) {
		uint32_t block;
		int ret = dir_block(fs, dir, fb, &block);
		if (ret)
			return ret;
		uint8_t *data;
		ret = ext2_bget(fs, block, &data);
		if (ret)
			return ret;
		struct ext2_dir_entry_2 e;
		for (uint32_t off = 0; off < fs->block_size; off += le16_to_cpu(e.rec_len)) {
			ret = ext2_check_dirent(fs, dir, block, data, off, &e);
			if (ret)
				return ret;
			uint32_t rec = le16_to_cpu(e.rec_len);
			uint32_t used = e.inode ? EXT2_DIR_REC_LEN(e.name_len) : 0;
			if (rec - used < need)
				continue;
			if (used) {	/* split: the old entry keeps its name's length */
				e.rec_len = cpu_to_le16((uint16_t)used);
				memcpy(data + off, &e, sizeof(e));
			}
			put_entry(data + off + used, ino, rec - used, name, len, type);
			ret = ext2_bwrite(fs, block, data);
			return ret ? ret : dir_changed(fs, dir);
		}
	}
	/* no room: a new block at the end */
	if (dir->size + fs->block_size > 0xffffffffULL)
		return -EFBIG;
	uint32_t block;
	int fresh;
	int ret = ext2_alloc_block(fs, dir, blocks, &block, &fresh);
	if (ret)
		return ret;
	uint8_t *data = ext2_bnew(fs, block);
	put_entry(data, ino, fs->block_size, name, len, type);
	ret = ext2_bwrite(fs, block, data);
	if (ret)
		return ret;
	ext2_set_size(fs, dir, dir->size + fs->block_size);
	return dir_changed(fs, dir);
}

int ext2_delete_entry(struct ext2_fs *fs, struct ext2_inode_info *dir, const char *name,
		      size_t len)
{
	struct slot s;
	uint8_t *data;
	int ret = find_slot(fs, dir, name, len, &s, &data);
	if (ret)
		return ret;
	if (s.prev != NO_PREV) {
		struct ext2_dir_entry_2 p;
		memcpy(&p, data + s.prev, sizeof(p));
		p.rec_len = cpu_to_le16((uint16_t)(le16_to_cpu(p.rec_len) + le16_to_cpu(s.e.rec_len)));
		memcpy(data + s.prev, &p, sizeof(p));
	} else {
		s.e.inode = 0;
		memcpy(data + s.off, &s.e, sizeof(s.e));
	}
	ret = ext2_bwrite(fs, s.block, data);
	return ret ? ret : dir_changed(fs, dir);
}

int ext2_set_link(struct ext2_fs *fs, struct ext2_inode_info *dir, const char *name,
		  size_t len, uint32_t ino, uint16_t mode)
{
	struct slot s;
	uint8_t *data;
	int ret = find_slot(fs, dir, name, len, &s, &data);
	if (ret)
		return ret;
	s.e.inode = cpu_to_le32(ino);
	s.e.file_type = ext2_file_type(fs, mode);
	memcpy(data + s.off, &s.e, sizeof(s.e));
	ret = ext2_bwrite(fs, s.block, data);
	return ret ? ret : dir_changed(fs, dir);
}

int ext2_empty_dir(struct ext2_fs *fs, const struct ext2_inode_info *dir)
{
	uint64_t pos = 0;
	struct ext2_dirent de;
	int ret;
	while ((ret = ext2_readdir(fs, dir, &pos, &de)) > 0) {
		int dot = de.name[0] == '.' && (de.name_len == 1 || (de.name_len == 2 && de.name[1] == '.'));
		if (!dot)
			return 0;
	}
	return ret ? ret : 1;
}
