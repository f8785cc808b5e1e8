/* attr.c - times set by the caller (utimes); ctime records the change. */
#include "internal.h"

int ext2_utimes(struct ext2_fs *fs, struct ext2_inode_info *inode, uint32_t atime,
		uint32_t mtime)
{
	int ret = ext2_writable(fs);
	if (ret)
		return ret;
	inode->raw.i_atime = cpu_to_le32(atime);
	inode->raw.i_mtime = cpu_to_le32(mtime);
	inode->raw.i_ctime = cpu_to_le32(ext2_now(fs));
	return ext2_write_inode(fs, inode);
}
