/*
 * create.c - new names: a regular file, a directory, a symbolic link.
 * Each takes an inode (ialloc.c's policy places it), builds it on disk,
 * then links it into the parent; if the link fails (no room for a new
 * directory block) the inode and its blocks are freed again, so the
 * image is as before.
 */
#include "internal.h"

#define PERM_MASK 07777

/* The parent, checked for a new name there; a fresh inode of mode. */
static int begin(struct ext2_fs *fs, uint32_t dir_ino, const char *name, size_t len,
		 uint16_t mode, struct ext2_inode_info *dir, struct ext2_inode_info *inode)
{
	int ret = ext2_check_name(name, len);
	if (ret)
		return ret;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return -EEXIST;
	ret = ext2_dir_for_write(fs, dir_ino, dir);
	if (ret)
		return ret;
	uint32_t ino;
	ret = ext2_lookup(fs, dir, name, len, &ino);
	if (ret != -ENOENT)
		return ret ? ret : -EEXIST;
	ret = ext2_new_inode(fs, dir_ino, (mode & EXT2_S_IFMT) == EXT2_S_IFDIR, &ino);
	if (ret)
		return ret;
	ret = ext2_init_inode(fs, ino, mode, inode);
	if (ret)
		ext2_free_inode(fs, ino, (mode & EXT2_S_IFMT) == EXT2_S_IFDIR);
	return ret;
}

/* The inode is built: write it and link it, or undo it. */
static int finish(struct ext2_fs *fs, struct ext2_inode_info *dir, const char *name, size_t len,
		  struct ext2_inode_info *inode, uint32_t *ino)
{
	int ret = ext2_write_inode(fs, inode);
	if (!ret)
		ret = ext2_add_link(fs, dir, name, len, inode->ino, inode->mode);
	if (ret) {
		ext2_release(fs, inode);
		return ret;
	}
	if (ino)
		*ino = inode->ino;
	return 0;
}

int ext2_create(struct ext2_fs *fs, uint32_t dir_ino, const char *name, size_t len,
		uint16_t mode, uint32_t *ino)
{
	struct ext2_inode_info dir, inode;
	int ret = begin(fs, dir_ino, name, len, EXT2_S_IFREG | (mode & PERM_MASK), &dir, &inode);
	if (ret)
		return ret;
	ext2_set_links(&inode, 1);
	return finish(fs, &dir, name, len, &inode, ino);
}

int ext2_mkdir(struct ext2_fs *fs, uint32_t dir_ino, const char *name, size_t len,
	       uint16_t mode, uint32_t *ino)
{
	struct ext2_inode_info dir, inode;
	int ret = ext2_dir_for_write(fs, dir_ino, &dir);
	if (ret)
		return ret;
	if (ext2_links(&dir) >= EXT2_LINK_MAX)
		return -EMLINK;
	ret = begin(fs, dir_ino, name, len, EXT2_S_IFDIR | (mode & PERM_MASK), &dir, &inode);
	if (ret)
		return ret;
	ext2_set_links(&inode, 2);	/* its name and its "." */
	uint32_t block;
	int fresh;
	ret = ext2_alloc_block(fs, &inode, 0, &block, &fresh);
	if (ret) {
		ext2_release(fs, &inode);
		return ret;
	}
	uint8_t *data = ext2_bnew(fs, block);
	struct ext2_dir_entry_2 e = { .inode = cpu_to_le32(inode.ino), .rec_len = cpu_to_le16(12),
				      .name_len = 1, .file_type = ext2_file_type(fs, EXT2_S_IFDIR) };
	memcpy(data, &e, sizeof(e));
	data[8] = '.';
	e.inode = cpu_to_le32(dir_ino);
	e.rec_len = cpu_to_le16((uint16_t)(fs->block_size - 12));
	e.name_len = 2;
	memcpy(data + 12, &e, sizeof(e));
	data[20] = data[21] = '.';
	ret = ext2_bwrite(fs, block, data);
	ext2_set_size(fs, &inode, fs->block_size);
	if (!ret)
		ret = finish(fs, &dir, name, len, &inode, ino);
	else
		ext2_release(fs, &inode);
	if (ret)
		return ret;
	ext2_set_links(&dir, ext2_links(&dir) + 1);	/* the child's ".." */
	return ext2_write_inode(fs, &dir);
}

int ext2_symlink(struct ext2_fs *fs, uint32_t dir_ino, const char *name, size_t len,
		 const char *target, uint32_t *ino)
{
	size_t tlen = strlen(target);
	if (!tlen)
		return -ENOENT;
	if (tlen >= fs->block_size || tlen >= EXT2_PATH_MAX)
		return -ENAMETOOLONG;
	struct ext2_inode_info dir, inode;
	int ret = begin(fs, dir_ino, name, len, EXT2_S_IFLNK | 0777, &dir, &inode);
	if (ret)
		return ret;
	ext2_set_links(&inode, 1);
	if (tlen < sizeof(inode.raw.i_block)) {	/* fast: the target in i_block */
		memcpy(inode.raw.i_block, target, tlen);
	} else {
		uint32_t block;
		int fresh;
		ret = ext2_alloc_block(fs, &inode, 0, &block, &fresh);
		if (!ret) {
			uint8_t *data = ext2_bnew(fs, block);
			memcpy(data, target, tlen);
			ret = ext2_bwrite(fs, block, data);
		}
		if (ret) {
			ext2_release(fs, &inode);
			return ret;
		}
	}
	ext2_set_size(fs, &inode, tlen);
	return finish(fs, &dir, name, len, &inode, ino);
}
