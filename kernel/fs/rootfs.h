/*
 * The initramfs served at "/" (kernel/fs/rootfs.c, rootfs_file.c):
 * private. A name in it is a file or directory of the archive, the root
 * "", or a directory made up from the mount points ("mnt" while
 * "/mnt/sda" is mounted), so that `ls /` and `ls /mnt` find them.
 */
#ifndef KERNEL_FS_ROOTFS_H
#define KERNEL_FS_ROOTFS_H

#include <pagoda/ipc.h>
#include <pagoda/spinlock.h>
#include <pagoda/types.h>
#include <uapi/pagoda/fs.h>

#define ROOTFS_BLKSIZE 4096

/* What a name is: its bytes point into the archive. */
struct rootfs_inode {
	const void *data;
	u64 size;
	u64 ino;
	u32 mode, uid, gid, nlink, mtime;
};

/* An open file or directory: one kernel-served endpoint each, shared by
 * every handle to it (fork shares the offset). */
struct rootfs_file {
	spinlock_t lock;                /* the offset: callers on several CPUs */
	u64 off;                        /* bytes, or a directory's next entry */
	struct rootfs_inode inode;
	char path[];                    /* relative, "" for the root */
};

/* The inode of path (relative, no leading '/'): 0, -ENOENT, or -EIO (the
 * archive is gone: free_initramfs). */
int rootfs_lookup(const char *path, struct rootfs_inode *in);
void rootfs_stat(const struct rootfs_inode *in, struct fs_stat *st);
/* Pack directory dir's entries from index *pos into buf (cap bytes) as
 * struct fs_dirent records; *pos moves past them. The bytes used (0:
 * the end), or -EINVAL if the next record alone does not fit. */
long rootfs_readdir(const char *dir, u64 *pos, void *buf, size_t cap);
/* A new open file's endpoint for the caller's reply (kcall.hout), or NULL. */
struct kobj *rootfs_file_open(const char *path, const struct rootfs_inode *in);

#endif
