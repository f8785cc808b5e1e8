/*
 * ext2.h - the ext2 library: an ext2 file system read through a caller's
 * block callback. Pure C: no libc beyond memcpy/memset/memcmp/strlen, no
 * system calls, so the same files build into a user-space server and into
 * the host tests (tests/host/test_ext2.c, fuzz_ext2.c).
 *
 * Calling context: single-threaded per struct ext2_fs (the block cache and
 * the path scratch live in it); two file systems are independent. Nothing
 * here sleeps except inside the caller's callbacks.
 *
 * Guarantees, on any image, however corrupt: no read outside the library's
 * own buffers, no unbounded loop or recursion, no crash. Corruption gives
 * -EUCLEAN and one message through ops->log naming the inode or block.
 * Errors are negative errno values: -EIO (or whatever the read callback
 * returned), -EUCLEAN, -ENOENT, -ENOTDIR, -EISDIR, -ELOOP, -ENAMETOOLONG,
 * -EINVAL, -EFBIG (past the block map), -ENOMEM (from mount's
 * allocation), and for the write side -EROFS, -ENOSPC, -EEXIST,
 * -ENOTEMPTY.
 */
#ifndef FS_EXT2_EXT2_H
#define FS_EXT2_EXT2_H

#include <stddef.h>
#include <stdint.h>
#include "ext2_fs.h"

#define EXT2_CACHE_BLOCKS	8	/* blocks kept: enough for a triple-indirect walk */
#define EXT2_PATH_MAX		4096	/* a path, with a symlink's target spliced in */
#define EXT2_MAX_SYMLINKS	8	/* link follows in one path walk, then -ELOOP */

struct ext2_ops {
	/*
	 * Read block `block` (in units of fs->block_size bytes) into buf.
	 * Return 0 or a negative errno. During ext2_mount() the block size is
	 * 1024 until the superblock (block 1 of that size) has been read.
	 */
	int (*read_block)(void *ctx, unsigned long long block, void *buf);
	/* One line, no newline, for a corruption or a refusal. May be NULL. */
	void (*log)(void *ctx, const char *msg);
	/* Memory for the group descriptors at mount (freed at unmount). */
	void *(*alloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *ptr);
	/*
	 * Write block `block` from buf (fs->block_size bytes). NULL: the file
	 * system is mounted read-only. The library writes through: every block
	 * it changes goes to write_block at once (the caller's cache decides
	 * when it reaches the disk), so the library itself never holds dirty
	 * data and ext2_sync() only has to write the superblock and the
	 * descriptors it keeps in memory.
	 */
	int (*write_block)(void *ctx, unsigned long long block, const void *buf);
	/* Seconds since 1970, for inode times and s_wtime. NULL: 0. */
	uint32_t (*now)(void *ctx);
};

struct ext2_buf {
	unsigned long long block;
	unsigned int lru;		/* larger: used more recently */
	uint8_t valid, dirty;		/* dirty: never set (the write side writes through) */
	uint8_t data[EXT2_MAX_BLOCK_SIZE] __attribute__((aligned(8)));
};

/* A mounted file system. The caller owns the memory (about 45 KiB); the
 * fields are the library's, read-only to the caller. */
struct ext2_fs {
	const struct ext2_ops *ops;
	void *ctx;
	struct ext2_super_block sb;	/* as on disk */
	struct ext2_group_desc *gd;	/* all groups, as on disk */
	unsigned int block_size;	/* 1024, 2048 or 4096 */
	unsigned int addr_per_block;	/* block pointers in an indirect block */
	uint32_t blocks_count, inodes_count, first_data_block;
	uint32_t blocks_per_group, inodes_per_group, groups_count;
	uint32_t inode_size, first_ino, itb_per_group; /* inode table blocks */
	uint32_t gdt_blocks;		/* blocks holding the group descriptors */
	uint32_t feature_compat, feature_incompat, feature_ro_compat;
	int read_only;			/* no write_block, or an unknown ro_compat feature */
	uint16_t mount_state;		/* s_state found at mount: ext2_unmount puts it back */
	unsigned int lru_clock;
	struct ext2_buf cache[EXT2_CACHE_BLOCKS];
	char path[2][EXT2_PATH_MAX];	/* namei's scratch */
};

/* An inode as read, checked, with its number. */
struct ext2_inode_info {
	uint32_t ino;
	uint16_t mode;
	uint64_t size;			/* i_size, with i_size_high for regular files */
	struct ext2_inode raw;		/* as on disk */
};

struct ext2_dirent {
	uint32_t ino;
	uint8_t file_type;		/* EXT2_FT_*, 0 without the filetype feature */
	uint8_t name_len;
	char name[EXT2_NAME_LEN + 1];	/* NUL-terminated */
};

struct ext2_stat {
	uint32_t ino;
	uint16_t mode;			/* type and permission bits, EXT2_S_IF* */
	uint16_t nlink;
	uint32_t uid, gid;
	uint64_t size;
	uint64_t blocks;		/* 512-byte units, as i_blocks */
	uint32_t atime, mtime, ctime;
};

/*
 * Read and check the superblock and every group descriptor, and the root
 * inode. Refuses (-EINVAL, with a message naming it) a bad magic, revision,
 * block size (1, 2, 4 KiB), inode size (128, 256...), geometry, or any
 * incompatible feature but filetype; mounts read-only, with a message,
 * when a read-only-compatible feature is unknown. A descriptor whose
 * bitmaps or inode table lie outside its group is -EUCLEAN. On failure
 * nothing is left allocated.
 */
int ext2_mount(struct ext2_fs *fs, const struct ext2_ops *ops, void *ctx);
/* Read-write mounts (ops->write_block set, no unknown ro_compat feature):
 * ext2_mount marks the superblock not clean on disk, counts the mount
 * (s_mnt_count, s_mtime); ext2_unmount writes everything ext2_sync writes
 * and puts back the state found at mount: clean if it was. An image found
 * not clean or with errors recorded is mounted as Linux's ext2 mounts it:
 * read-write, with a warning through ops->log, and it stays marked for
 * e2fsck. Returns 0 or the first write error (the memory is freed either
 * way). */
int ext2_unmount(struct ext2_fs *fs);

/* A block through the cache: *data is valid until the next ext2_bread. */
int ext2_bread(struct ext2_fs *fs, unsigned long long block, const uint8_t **data);

/* Read inode ino (1..inodes_count). -EUCLEAN for a number out of range, an
 * unused inode (no links, or no valid type) or a size the block map
 * cannot hold. */
int ext2_iget(struct ext2_fs *fs, uint32_t ino, struct ext2_inode_info *inode);

/*
 * File block -> disk block, through the direct and 1-3 levels of indirect
 * pointers. *block = 0 for a hole. Every pointer on the way must lie in
 * the file system, outside its metadata (superblocks, descriptors,
 * bitmaps, inode tables), and not repeat a block above it on the path:
 * else -EUCLEAN naming the inode and the block. -EFBIG past the map.
 */
int ext2_bmap(struct ext2_fs *fs, const struct ext2_inode_info *inode,
	      uint64_t file_block, uint32_t *block);

/* Up to len bytes from offset off; holes read as zeros; stops at the
 * size. Returns the bytes read (0 at or past the end) or a negative
 * errno. -EISDIR for a directory. */
long ext2_read(struct ext2_fs *fs, const struct ext2_inode_info *inode,
	       uint64_t off, void *buf, size_t len);

/*
 * The next in-use entry of directory dir at byte *pos (start with 0),
 * "." and ".." included; *pos moves past it. 1: an entry in *de; 0: the
 * end; -EUCLEAN for a bad entry (rec_len under 12 or the name's need,
 * unaligned, past the block; an inode number past the count; an empty
 * name or one holding '/' or NUL), naming the
 * directory, block and offset. Indexed (dir_index) directories are read
 * as linear ones, as Linux's ext2 does.
 */
int ext2_readdir(struct ext2_fs *fs, const struct ext2_inode_info *dir, uint64_t *pos,
		 struct ext2_dirent *de);

/* The inode number of name (len bytes) in directory dir, or -ENOENT. */
int ext2_lookup(struct ext2_fs *fs, const struct ext2_inode_info *dir,
		const char *name, size_t len, uint32_t *ino);

/* A symlink's target, NUL-terminated, fast (in i_block) or slow (in a
 * block). Returns its length; -ENAMETOOLONG if it does not fit in size. */
long ext2_readlink(struct ext2_fs *fs, const struct ext2_inode_info *inode,
		   char *buf, size_t size);

#define EXT2_LOOKUP_FOLLOW	1	/* follow a symlink in the last component too */

/*
 * Walk path from directory start (absolute paths from the root), with "."
 * and "..", following symlinks in every component but the last (and the
 * last too with EXT2_LOOKUP_FOLLOW), at most EXT2_MAX_SYMLINKS in all
 * (-ELOOP). -ENOTDIR for a component under a non-directory,
 * -ENAMETOOLONG for a name over 255 bytes or a path over EXT2_PATH_MAX.
 */
int ext2_namei(struct ext2_fs *fs, uint32_t start, const char *path, int flags,
	       uint32_t *ino);

/* Inode ino's attributes (ext2_iget's checks apply). */
int ext2_stat(struct ext2_fs *fs, uint32_t ino, struct ext2_stat *st);

/* ---- the write side (issue #16). Every call below gives -EROFS on a
 * read-only mount, -ENOSPC when no block or inode is left (having freed
 * what it took: the image stays valid for e2fsck), and otherwise the
 * read side's errors. An inode passed in is the caller's one in-memory
 * copy of it (a server keeps one per inode, shared by its open files):
 * the library updates it and writes it to its inode table block. */

/* Write len bytes at off, allocating blocks (and the indirect blocks
 * leading to them, near the file's previous block so that files stay
 * contiguous), growing i_size; mtime and ctime become now. Returns the
 * bytes written (fewer only on -ENOSPC after some) or a negative errno. */
long ext2_write(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t off,
		const void *buf, size_t len);
/* The disk block of file block file_block, allocating it (and zeroing it
 * on disk through write_block) when create is set and it is a hole: what a
 * server uses to move file data with its own large I/O. */
int ext2_get_block(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t file_block,
		   uint32_t *block, int create);
/* Make the file size bytes long: shrinking frees the blocks past it
 * (indirect blocks included) and zeroes the tail of the last block;
 * growing leaves a hole. */
int ext2_truncate(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t size);
/* Write the in-memory inode back to its table (times, mode...). */
int ext2_write_inode(struct ext2_fs *fs, const struct ext2_inode_info *inode);

/* New entries in directory dir (name: len bytes, no '/'): a regular file,
 * a directory ("." and ".." inside, the parent's link count up) or a
 * symbolic link (fast in i_block under 60 bytes). mode: permission bits.
 * The new inode's number in *ino. -EEXIST if the name is taken. A
 * changed directory loses its dir_index flag (EXT2_INDEX_FL), as Linux's
 * ext2 driver does, so e2fsck does not find a stale index. */
int ext2_create(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		uint16_t mode, uint32_t *ino);
int ext2_mkdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
	       uint16_t mode, uint32_t *ino);
int ext2_symlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		 const char *target, uint32_t *ino);

#define EXT2_UNLINK_KEEP 1	/* the inode is still open: ext2_evict frees it later */
/* Remove a non-directory's entry (-EISDIR for a directory) and drop its
 * link count; at zero the inode and its blocks are freed (dtime set),
 * unless flags has EXT2_UNLINK_KEEP. *ino (may be NULL) gets the number. */
int ext2_unlink(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len,
		int flags, uint32_t *ino);
/* Free an inode whose links reached zero under EXT2_UNLINK_KEEP. */
int ext2_evict(struct ext2_fs *fs, uint32_t ino);
/* Remove an empty directory (-ENOTEMPTY, -ENOTDIR; "." and ".." refused
 * with -EINVAL). */
int ext2_rmdir(struct ext2_fs *fs, uint32_t dir, const char *name, size_t len);
/* Move an entry, replacing a file or an empty directory of the same kind
 * at the new name (-EISDIR/-ENOTDIR/-ENOTEMPTY otherwise), across
 * directories too (a moved directory's ".." and both parents' link counts
 * follow); -EINVAL for moving a directory under itself. A replaced inode
 * is freed as ext2_unlink frees it (flags: EXT2_UNLINK_KEEP; its number
 * in *replaced, 0 if none; may be NULL). */
int ext2_rename(struct ext2_fs *fs, uint32_t olddir, const char *oldname, size_t oldlen,
		uint32_t newdir, const char *newname, size_t newlen, int flags,
		uint32_t *replaced);
/* Set atime and mtime (ctime becomes now). */
int ext2_utimes(struct ext2_fs *fs, struct ext2_inode_info *inode, uint32_t atime,
		uint32_t mtime);

struct ext2_statfs {
	uint64_t blocks, free_blocks, avail_blocks;	/* avail: minus the reserved */
	uint32_t inodes, free_inodes;
	uint32_t block_size;
	int read_only;
};
void ext2_statfs(struct ext2_fs *fs, struct ext2_statfs *st);
/* Write the superblock (free counts summed from the descriptors, s_wtime)
 * and the group descriptors through write_block. */
int ext2_sync(struct ext2_fs *fs);

#endif
