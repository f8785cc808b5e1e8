/* statfs: a mount's sizes (FS_STATFS, <pagoda/fs.h>'s struct fs_statfs). */
#ifndef _SYS_STATFS_H
#define _SYS_STATFS_H

#include <pagoda/fs.h>

struct statfs {
	unsigned long long f_blocks, f_bfree, f_bavail;        /* in f_bsize units */
	unsigned long long f_files, f_ffree;
	unsigned int f_bsize, f_namemax, f_flags;               /* FS_RDONLY */
	char f_type[8];                                         /* "ext2", "initrd" */
};

/* The file system holding path, or the file fd is open on. */
int statfs(const char *path, struct statfs *st);
int fstatfs(int fd, struct statfs *st);

#endif
