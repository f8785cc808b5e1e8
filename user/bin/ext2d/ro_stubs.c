/*
 * The write side of the ext2 library (fs/ext2/ext2.h) comes from the
 * `ext2w` branch. Until it is merged these weak stand-ins answer -EROFS,
 * so the server links and serves reads; the library's real functions,
 * when present, override them (a strong definition beats a weak one).
 * ext2_mount marks every file system read-only meanwhile, so the server
 * answers EROFS before calling any of them.
 */
#include <errno.h>
#include "ext2d.h"

#define WEAK __attribute__((weak))

WEAK long ext2_write(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t off,
		     const void *buf, size_t len)
{
	return -EROFS;
}

WEAK int ext2_truncate(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t size)
{
	return -EROFS;
}

WEAK int ext2_create(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		     uint16_t mode, uint32_t *ino)
{
	return -EROFS;
}

WEAK int ext2_mkdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		    uint16_t mode, uint32_t *ino)
{
	return -EROFS;
}

WEAK int ext2_symlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		      const char *target, uint32_t *ino)
{
	return -EROFS;
}

WEAK int ext2_unlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		     int flags, uint32_t *ino)
{
	return -EROFS;
}

WEAK int ext2_evict(struct ext2_fs *fs, uint32_t ino)
{
	return -EROFS;
}

WEAK int ext2_rmdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len)
{
	return -EROFS;
}

WEAK int ext2_rename(struct ext2_fs *fs, uint32_t olddir, const char *oldname, size_t oldlen,
		     uint32_t newdir, const char *newname, size_t newlen, int flags,
		     uint32_t *replaced)
{
	return -EROFS;
}

WEAK int ext2_utimes(struct ext2_fs *fs, struct ext2_inode_info *inode, uint32_t atime,
		     uint32_t mtime)
{
	return -EROFS;
}

WEAK int ext2_sync(struct ext2_fs *fs)
{
	return 0;       /* a read-only mount has nothing to write */
}
