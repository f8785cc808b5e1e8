/*
 * read.c - bytes of a file: block by block through ext2_bmap, holes as
 * zeros, never past i_size. A fast symlink's bytes are its i_block[]
 * itself, so reading one gives its target too.
 */
#include "internal.h"

#define READ_MAX (1UL << 30)	/* one call's bytes: the count must fit a long */

/* Linux's ext2_inode_is_fast_symlink: no blocks but an xattr block's. */
int ext2_fast_symlink(const struct ext2_fs *fs, const struct ext2_inode_info *inode)
{
	uint32_t ea = le32_to_cpu(inode->raw.i_file_acl) ? fs->block_size >> 9 : 0;
	return ext2_is_lnk(inode) && le32_to_cpu(inode->raw.i_blocks) == ea;
}

long ext2_read(struct ext2_fs *fs, const struct ext2_inode_info *inode,
	       uint64_t off, void *buf, size_t len)
{
	if (ext2_is_dir(inode))
		return -EISDIR;
	if (off >= inode->size)
		return 0;
	if (len > inode->size - off)
		len = (size_t)(inode->size - off);
	if (len > READ_MAX)
		len = READ_MAX;
	if (ext2_fast_symlink(fs, inode)) {
		if (inode->size > sizeof(inode->raw.i_block)) {
			ext2_msg(fs, "inode %u: fast symlink of %llu bytes (at most %u fit)", inode->ino,
				 (unsigned long long)inode->size, (unsigned int)sizeof(inode->raw.i_block));
			return -EUCLEAN;
		}
		memcpy(buf, (const uint8_t *)inode->raw.i_block + off, len);
		return (long)len;
	}
	uint8_t *out = buf;
	size_t done = 0;
	while (done < len) {
		uint64_t pos = off + done;
		uint32_t in = (uint32_t)(pos % fs->block_size);
		size_t n = fs->block_size - in;
		if (n > len - done)
			n = len - done;
		uint32_t block;
		int ret = ext2_bmap(fs, inode, pos / fs->block_size, &block);
		if (ret)
			return ret;
		if (!block) {
			memset(out + done, 0, n);
		} else {
			const uint8_t *data;
			ret = ext2_bread(fs, block, &data);
			if (ret)
				return ret;
			memcpy(out + done, data + in, n);
		}
		done += n;
	}
	return (long)done;
}

long ext2_readlink(struct ext2_fs *fs, const struct ext2_inode_info *inode, char *buf, size_t size)
{
	if (!ext2_is_lnk(inode))
		return -EINVAL;
	/* Linux keeps a target under a block (and a path under PATH_MAX). */
	if (!inode->size || inode->size >= fs->block_size || inode->size >= EXT2_PATH_MAX) {
		ext2_msg(fs, "inode %u: symlink of %llu bytes", inode->ino,
			 (unsigned long long)inode->size);
		return -EUCLEAN;
	}
	if (inode->size >= size)
		return -ENAMETOOLONG;
	long n = ext2_read(fs, inode, 0, buf, (size_t)inode->size);
	if (n < 0)
		return n;
	buf[n] = '\0';
	/* A NUL inside would cut the path short where the size says not. */
	if (strlen(buf) != (size_t)n) {
		ext2_msg(fs, "inode %u: symlink target holds a NUL byte", inode->ino);
		return -EUCLEAN;
	}
	return n;
}
