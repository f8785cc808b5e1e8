/*
 * The file protocol (issue #16, docs/filesystem.md "The file protocol"):
 * what a program's open(), read() and write() become. Pagoda has no file
 * system calls; a file system is a server (/bin/ext2d), a pipe is a
 * kernel-served endpoint, and the user library (user/lib/fd.c) turns the
 * POSIX calls into these messages. Anything that speaks this protocol can
 * stand behind a file descriptor.
 *
 * Two kinds of handle carry it:
 *   - a mount's handle (the file system's endpoint, found through the
 *     kernel's mount table: mount_open) takes the path requests;
 *   - an open file's handle (what FS_OPEN returns: a send-only endpoint
 *     minted with a badge naming the open file, so the server knows whose
 *     it is) takes the file requests. An open file is shared by every
 *     holder of its handle: fork shares the offset, as POSIX says. When
 *     the last handle to it is closed the server hears IPC_LABEL_NO_SENDERS
 *     with its badge and lets the open file go.
 *
 * Requests are ipc_call messages. Paths and small data travel in the
 * message buffer (struct ipc_ext, at most IPC_BUF_MAX bytes). Large data
 * may travel in a memory object the client lends (IPC_TAG_LEND, one
 * handle: FS_IO_MEMOBJ below), which the server maps for the call.
 * Offsets and sizes are 64-bit, split in two words (lo, hi) so that
 * i386 clients reach past 4 GiB: a sender always splits with FS_OFF_LO
 * and FS_OFF_HI, a receiver joins with FS_OFF.
 *
 * Path requests (to a mount's handle); a path is relative to the mount's
 * root, with no leading '/' ("" is the root), NUL-terminated in the buffer:
 *   label       request                        reply (label 0)
 *   FS_OPEN     buf: path; w0: O_* flags;      1 handle moved: the open
 *               w1: mode (with O_CREAT)        file; w0: inode number;
 *                                              w1: S_IF* type and mode
 *   FS_STAT     buf: path; w0: FS_NOFOLLOW?    buf: struct fs_stat
 *   FS_MKDIR    buf: path; w0: mode            -
 *   FS_UNLINK   buf: path                      -
 *   FS_RMDIR    buf: path                      -
 *   FS_RENAME   buf: "old\0new\0"              -
 *   FS_SYMLINK  buf: "target\0path\0"          -
 *   FS_READLINK buf: path                      buf: target (no NUL); w0: length
 *   FS_STATFS   -                              buf: struct fs_statfs
 *   FS_SYNC     -                              - (everything on the disk)
 *   FS_UNMOUNT  -                              - (synced, marked clean;
 *                                              the server then leaves
 *                                              the mount table and exits)
 *
 * File requests (to an open file's handle):
 *   FS_READ     w0: at most n bytes            buf: the bytes; w0: count
 *                                              (0: end of file)
 *   FS_WRITE    buf: the bytes                 w0: count written
 *   FS_PREAD    as FS_READ, w1, w2: offset     (the file offset stays)
 *   FS_PWRITE   as FS_WRITE, w1, w2: offset
 *   FS_LSEEK    w0, w1: offset; w2: SEEK_*     w0, w1: the new offset
 *   FS_FSTAT    -                              buf: struct fs_stat
 *   FS_TRUNCATE w0, w1: length                 -
 *   FS_FSYNC    -                              -
 *   FS_READDIR  -                              buf: whole struct fs_dirent
 *                                              records; w0: bytes (0: the
 *                                              end); the offset moves on
 *   FS_UTIMES   w0: atime, w1: mtime (seconds  -
 *               since 1970; FS_TIME_NOW: now)
 *   FS_MMAP     -                              1 handle moved: a memory
 *                                              object of the file's pages
 *                                              (RIGHT_READ, RIGHT_TRANSFER;
 *                                              never RIGHT_WRITE), paged in
 *                                              by the server on demand
 *                                              (memobj_pager_create); w0,
 *                                              w1: the file's size. EACCES
 *                                              for a file not open for
 *                                              reading or not a regular
 *                                              one, EINVAL if it is empty.
 *                                              Every mapping of the file
 *                                              shares the object; a write
 *                                              later reaches the pages not
 *                                              yet touched only
 *                                              (docs/filesystem.md
 *                                              "Memory-mapped files")
 * FS_READ, FS_WRITE, FS_PREAD and FS_PWRITE may instead lend a memory
 * object (IPC_TAG_LEND, one handle, no buffer): then w0 is the byte count
 * (up to FS_IO_MAX and the object's size) and the data is at offset 0 of
 * the object. That is how a large read() costs one message, not one per
 * 4 KiB; the user library lends the caller's own buffer from 64 KiB on
 * (memobj_from_user), so the data is copied once, by the server. A read
 * lends the object with RIGHT_WRITE, a write with RIGHT_READ only: a
 * server maps it no wider than the request needs. The lent handle itself says so (the server sees IPC_TAG_LEND and
 * one handle): a message with an ipc_ext carries three words, w3 being
 * the ext's address, so FS_IO_MEMOBJ names the mode but cannot travel.
 *
 * The reply's label is 0 or a positive errno (Linux's numbers): ENOENT,
 * EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, ENAMETOOLONG, ELOOP, ENOSPC, EROFS
 * (mounted read-only), EBADF (a request the handle's kind does not take,
 * e.g. FS_WRITE on a file opened O_RDONLY), EINVAL, EFBIG, EIO and
 * EUCLEAN (a corrupted image: the server logged the inode or block),
 * ESPIPE (FS_LSEEK on a pipe), EPIPE (FS_WRITE on a pipe nobody reads).
 * ipc_call itself failing with EPIPE means the server died.
 */
#ifndef _UAPI_PAGODA_FS_H
#define _UAPI_PAGODA_FS_H

#include "types.h"     /* relative: the kernel sees uapi/pagoda/, user space pagoda/ */

/* path requests */
#define FS_OPEN          1
#define FS_STAT          2
#define FS_MKDIR         3
#define FS_UNLINK        4
#define FS_RMDIR         5
#define FS_RENAME        6
#define FS_SYMLINK       7
#define FS_READLINK      8
#define FS_STATFS        9
#define FS_SYNC         10
#define FS_UNMOUNT      11
/* file requests */
#define FS_READ         32
#define FS_WRITE        33
#define FS_PREAD        34
#define FS_PWRITE       35
#define FS_LSEEK        36
#define FS_FSTAT        37
#define FS_TRUNCATE     38
#define FS_FSYNC        39
#define FS_READDIR      40
#define FS_UTIMES       41
#define FS_MMAP         42
/* A server's own request (to a mount's handle), outside the protocol:
 * ext2d answers with its cache's counters, buf: struct fs_cache_stats
 * (docs/filesystem.md "The cache and write-back"); `ext2d --stats PATH`
 * prints them, usertests' ufs suite checks them. Other servers answer
 * EINVAL (no request of theirs). */
#define FS_PRIVATE_STATS 200
/* ext2d's other own request: write back everything, then forget every
 * clean block it caches, so the next read goes to the disk (Linux's
 * `echo 3 > /proc/sys/vm/drop_caches`; what `make bench`'s cold rows and
 * `ext2d --drop PATH` use). Other servers answer EINVAL. */
#define FS_PRIVATE_DROP  201

#define FS_NOFOLLOW     0x1             /* FS_STAT: lstat */
#define FS_IO_MEMOBJ    0x1             /* the mode of a read or write lending a memobj (the loan says it) */
#define FS_IO_MAX       (1UL << 20)     /* bytes one memobj request may move */
#define FS_TIME_NOW     0xffffffffUL

#define FS_OFF_LO(off)  ((unsigned long)((__u64)(off) & 0xffffffffULL))
#define FS_OFF_HI(off)  ((unsigned long)((__u64)(off) >> 32))
#define FS_OFF(lo, hi)  (((__u64)(lo) & 0xffffffffULL) | ((__u64)(hi) << 32))

/* open flags (Linux's values) */
#define O_RDONLY        00
#define O_WRONLY        01
#define O_RDWR          02
#define O_ACCMODE       03
#define O_CREAT       0100
#define O_EXCL        0200
#define O_TRUNC      01000
#define O_APPEND     02000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW  0400000
#define O_CLOEXEC  02000000             /* the library's: close at execve */

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* file types in mode (Linux's values) */
#define S_IFMT   0170000
#define S_IFSOCK 0140000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define S_ISREG(m)  (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)  (((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m)  (((m) & S_IFMT) == S_IFLNK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISCHR(m)  (((m) & S_IFMT) == S_IFCHR)

struct fs_stat {
	__u64 st_ino;
	__u64 st_size;
	__u64 st_blocks;                /* 512-byte units, as Linux counts */
	__u32 st_mode;                  /* S_IF* type and permission bits */
	__u32 st_nlink;
	__u32 st_uid, st_gid;
	__u32 st_blksize;               /* the file system's block size */
	__u32 st_dev;                   /* the mount's number (mount_info.id) */
	__u64 st_atime, st_mtime, st_ctime;     /* seconds since 1970 */
};

/* One directory entry, as FS_READDIR packs them: reclen bytes long (a
 * multiple of 8), name NUL-terminated. */
struct fs_dirent {
	__u64 d_ino;
	__u16 d_reclen;
	__u8 d_type;                    /* DT_* */
	__u8 d_namelen;
	char d_name[];
};
#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK    10

struct fs_statfs {
	__u64 f_blocks, f_bfree, f_bavail;      /* in f_bsize units */
	__u64 f_files, f_ffree;                 /* inodes */
	__u32 f_bsize;
	__u32 f_namemax;
	__u32 f_flags;                          /* FS_RDONLY */
	char f_type[8];                         /* "ext2", "initrd", NUL-terminated */
};
#define FS_RDONLY 0x1

/* FS_PRIVATE_STATS's reply: what ext2d's block cache did since it started. */
struct fs_cache_stats {
	__u64 hits, misses;             /* block lookups found / not found in the cache */
	__u64 readahead;                /* blocks read ahead of a sequential reader */
	__u64 bios, bio_sectors;        /* disk requests (reads and writes) and their sectors */
	__u64 written_back;             /* dirty blocks written to the disk */
	__u32 max_bio_sectors;          /* the largest request so far */
	__u32 dirty;                    /* blocks dirty now */
	__u32 slots, block_size;        /* the cache's size in blocks, and theirs */
	__u64 read_bios, write_bios;    /* of bios: reads, writes */
	__u32 server_pid;               /* who answers (a test kills it) */
	__u32 blk_retried;              /* bios sent again: the disk's server died under them */
	__u32 bio_errors;               /* bios the block service refused or failed (a healthy
	                                 * disk: 0, readahead's included, which no reader sees) */
	__u32 pad;
};

/* The kernel's mount table (mount, mount_list: <pagoda/unistd.h>). */
#define MOUNT_MAX       16
#define MOUNT_PATH_MAX  64
#define MOUNT_NAME_MAX  16
#define MOUNT_RDONLY    0x1
struct mount_info {
	__u32 id;                       /* fs_stat.st_dev of its files; never reused in a boot */
	__u32 flags;                    /* MOUNT_RDONLY */
	char path[MOUNT_PATH_MAX];
	char source[MOUNT_NAME_MAX];
	char fstype[MOUNT_NAME_MAX];
};

#endif
