/* stat and friends over the file protocol (FS_STAT, FS_FSTAT). The fields
 * are the server's struct fs_stat (<pagoda/fs.h>) under POSIX's names. */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H

#include <pagoda/fs.h>
#include <sys/types.h>

struct stat {
	dev_t st_dev;                   /* the mount's id (mount_info.id) */
	ino_t st_ino;
	mode_t st_mode;
	unsigned int st_nlink;
	unsigned int st_uid, st_gid;
	off_t st_size;
	unsigned int st_blksize;
	unsigned long long st_blocks;   /* 512-byte units */
	time_t st_atime, st_mtime, st_ctime;
};

int stat(const char *path, struct stat *st);
/* A symbolic link itself, not what it names. */
int lstat(const char *path, struct stat *st);
/* The console's fds answer S_IFCHR, a pipe's S_IFIFO. */
int fstat(int fd, struct stat *st);
int mkdir(const char *path, mode_t mode);

#endif
