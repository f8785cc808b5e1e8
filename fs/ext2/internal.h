/* internal.h - what the library's files share and callers do not see. */
#ifndef FS_EXT2_INTERNAL_H
#define FS_EXT2_INTERNAL_H

#include <errno.h>
#include <string.h>
#include "ext2.h"

/* A message through ops->log: %s, %u, %o, %x (with l or ll) and %% only (no libc
 * formatter in the user library's freestanding build). */
void ext2_msg(struct ext2_fs *fs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Is a block one that a block map may point at? 0, or -EUCLEAN with a
 * message naming ino and what pointed (super.c). */
int ext2_check_data_block(struct ext2_fs *fs, uint32_t ino, uint32_t block, const char *what);

static inline int ext2_is_dir(const struct ext2_inode_info *i)
{
	return (i->mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
}

static inline int ext2_is_lnk(const struct ext2_inode_info *i)
{
	return (i->mode & EXT2_S_IFMT) == EXT2_S_IFLNK;
}

#endif
