/*
 * dir.c - a directory is a file of blocks filled with ext2_dir_entry_2
 * records, each rec_len long, the last reaching the block's end. Every
 * entry is checked before it is used (rec_len, name_len, inode), so a bad
 * block can never send the reader outside it or round in a circle (rec_len
 * is at least 12: each step moves forward). A dir_index (htree) directory
 * keeps its index inside entries that look empty to a linear reader: it
 * is read linearly, as Linux's ext2 does.
 */
#include "internal.h"

#define EXT2_DIR_MIN_REC_LEN EXT2_DIR_REC_LEN(1)

static int bad_entry(struct ext2_fs *fs, const struct ext2_inode_info *dir, uint32_t block,
		     uint32_t off, const char *why, unsigned int value)
{
	ext2_msg(fs, "directory inode %u, block %u, offset %u: %s (%u)", dir->ino, block, off, why, value);
	return -EUCLEAN;
}

int ext2_check_dirent(struct ext2_fs *fs, const struct ext2_inode_info *dir, uint32_t block,
		      const uint8_t *data, uint32_t off, struct ext2_dir_entry_2 *e)
{
	if (fs->block_size - off < EXT2_DIR_MIN_REC_LEN)
		return bad_entry(fs, dir, block, off, "no room for an entry", fs->block_size - off);
	memcpy(e, data + off, sizeof(*e));
	unsigned int rec_len = le16_to_cpu(e->rec_len);
	uint32_t ino = le32_to_cpu(e->inode);
	if (rec_len < EXT2_DIR_MIN_REC_LEN)
		return bad_entry(fs, dir, block, off, "rec_len too small", rec_len);
	if (rec_len % EXT2_DIR_PAD)
		return bad_entry(fs, dir, block, off, "rec_len not 4-aligned", rec_len);
	if (rec_len > fs->block_size - off)
		return bad_entry(fs, dir, block, off, "rec_len past the block", rec_len);
	if (rec_len < EXT2_DIR_REC_LEN(e->name_len))
		return bad_entry(fs, dir, block, off, "name_len past rec_len", e->name_len);
	if (ino > fs->inodes_count)
		return bad_entry(fs, dir, block, off, "inode number past the count", ino);
	if (!ino)
		return 0;
	if (!e->name_len)
		return bad_entry(fs, dir, block, off, "empty name", 0);
	const char *name = (const char *)data + off + sizeof(*e);
	/* e2fsck's "illegal characters": a path could not name it, and
	 * a NUL would cut the caller's string short */
	for (unsigned int i = 0; i < e->name_len; i++)
		if (name[i] == '/' || name[i] == '\0')
			return bad_entry(fs, dir, block, off, "'/' or NUL in the name at", i);
	return 0;
}

int ext2_readdir(struct ext2_fs *fs, const struct ext2_inode_info *dir, uint64_t *pos,
		 struct ext2_dirent *de)
{
	if (!ext2_is_dir(dir))
		return -ENOTDIR;
	while (*pos < dir->size) {
		uint64_t file_block = *pos / fs->block_size;
		uint32_t off = (uint32_t)(*pos % fs->block_size);
		if (off % EXT2_DIR_PAD)
			return -EINVAL;	/* not a position readdir gave */
		uint32_t block;
		int ret = ext2_bmap(fs, dir, file_block, &block);
		if (ret)
			return ret;
		if (!block) {
			ext2_msg(fs, "directory inode %u: hole at file block %llu", dir->ino,
				 (unsigned long long)file_block);
			return -EUCLEAN;
		}
		const uint8_t *data;
		ret = ext2_bread(fs, block, &data);
		if (ret)
			return ret;
		struct ext2_dir_entry_2 e;
		ret = ext2_check_dirent(fs, dir, block, data, off, &e);
		if (ret)
			return ret;
		uint32_t ino = le32_to_cpu(e.inode);
		*pos += le16_to_cpu(e.rec_len);
		if (!ino)
			continue;	/* unused (or an htree node) */
		const char *name = (const char *)data + off + sizeof(e);
		de->ino = ino;
		de->name_len = e.name_len;
		de->file_type = (fs->feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE) ? e.file_type : 0;
		memcpy(de->name, name, e.name_len);
		de->name[e.name_len] = '\0';
		return 1;
	}
	return 0;
}

int ext2_lookup(struct ext2_fs *fs, const struct ext2_inode_info *dir,
		const char *name, size_t len, uint32_t *ino)
{
	if (len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	if (!ext2_is_dir(dir))
		return -ENOTDIR;
	struct ext2_dirent de;
	uint64_t pos = 0;
	int ret;
	while ((ret = ext2_readdir(fs, dir, &pos, &de)) > 0) {
		if (de.name_len == len && !memcmp(de.name, name, len)) {
			*ino = de.ino;
			return 0;
		}
	}
	return ret ? ret : -ENOENT;
}
