/*
 * unlink.c - names removed: a file's (its link count down, the inode
 * freed at zero unless still open), an empty directory's (its ".." no
 * longer counts in the parent), and the deferred free of an inode that
 * was still open when its last name went (ext2_evict).
 */
#include "internal.h"

int ext2_drop_link(struct ext2_fs *fs, struct ext2_inode_info *inode, int keep)
{
	unsigned int links = ext2_links(inode);
	ext2_set_links(inode, links ? links - 1 : 0);
	inode->raw.i_ctime = cpu_to_le32(ext2_now(fs));
	if (ext2_links(inode) || keep)
		return ext2_write_inode(fs, inode);
	return ext2_release(fs, inode);
}

int ext2_unlink(struct ext2_fs *fs, uint32_t dir_ino, const char *name, size_t len,
		int flags, uint32_t *ino)
{
	struct ext2_inode_info dir, inode;
	int ret = ext2_check_name(name, len);
	if (!ret)
		ret = ext2_dir_for_write(fs, dir_ino, &dir);
	uint32_t child;
	if (!ret)
		ret = ext2_lookup(fs, &dir, name, len, &child);
	if (!ret)
		ret = ext2_iget(fs, child, &inode);
	if (ret)
		return ret;
	if (ext2_is_dir(&inode))
		return -EISDIR;
	ret = ext2_delete_entry(fs, &dir, name, len);
	if (ret)
		return ret;
	if (ino)
		*ino = child;
	return ext2_drop_link(fs, &inode, flags & EXT2_UNLINK_KEEP);
}

int ext2_evict(struct ext2_fs *fs, uint32_t ino)
{
	struct ext2_inode_info inode;
	int ret = ext2_writable(fs);
	if (!ret)
		ret = ext2_iget_raw(fs, ino, &inode);
	if (ret)
		return ret;
	if (ext2_links(&inode) || !inode.mode || ino < fs->first_ino || inode.raw.i_dtime)
		return -EINVAL;	/* still linked, or not an inode waiting to be freed */
	return ext2_release(fs, &inode);
}

/* A directory removed from parent dir (its entry already gone): dir loses
 * the child's "..", the child its links. */
int ext2_drop_dir(struct ext2_fs *fs, struct ext2_inode_info *dir, struct ext2_inode_info *child,
		  int keep)
{
	unsigned int links = ext2_links(dir);
	ext2_set_links(dir, links > 2 ? links - 1 : links);
	int ret = ext2_write_inode(fs, dir);
	if (ret)
		return ret;
	ext2_set_links(child, 1);	/* "." goes with it; ext2_drop_link takes the name's */
	return ext2_drop_link(fs, child, keep);
}

int ext2_rmdir(struct ext2_fs *fs, uint32_t dir_ino, const char *name, size_t len)
{
	struct ext2_inode_info dir, child;
	int ret = ext2_check_name(name, len);
	if (ret)
		return ret;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return -EINVAL;
	ret = ext2_dir_for_write(fs, dir_ino, &dir);
	uint32_t ino;
	if (!ret)
		ret = ext2_lookup(fs, &dir, name, len, &ino);
	if (!ret)
		ret = ext2_iget(fs, ino, &child);
	if (ret)
		return ret;
	if (!ext2_is_dir(&child))
		return -ENOTDIR;
	ret = ext2_empty_dir(fs, &child);
	if (ret <= 0)
		return ret ? ret : -ENOTEMPTY;
	ret = ext2_delete_entry(fs, &dir, name, len);
	if (ret)
		return ret;
	return ext2_drop_dir(fs, &dir, &child, 0);
}
