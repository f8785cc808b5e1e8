/* stat.c - an inode's attributes, 32-bit ids from their two halves. */
#include "internal.h"

int ext2_stat(struct ext2_fs *fs, uint32_t ino, struct ext2_stat *st)
{
	struct ext2_inode_info inode;
	int ret = ext2_iget(fs, ino, &inode);
	if (ret)
		return ret;
	const struct ext2_inode *raw = &inode.raw;
	st->ino = ino;
	st->mode = inode.mode;
	st->nlink = le16_to_cpu(raw->i_links_count);
	st->uid = le16_to_cpu(raw->i_uid) | (uint32_t)le16_to_cpu(raw->l_i_uid_high) << 16;
	st->gid = le16_to_cpu(raw->i_gid) | (uint32_t)le16_to_cpu(raw->l_i_gid_high) << 16;
	st->size = inode.size;
	st->blocks = le32_to_cpu(raw->i_blocks);
	st->atime = le32_to_cpu(raw->i_atime);
	st->mtime = le32_to_cpu(raw->i_mtime);
	st->ctime = le32_to_cpu(raw->i_ctime);
	return 0;
}
