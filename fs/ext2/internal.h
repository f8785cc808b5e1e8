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

/* What a block is, if it is metadata ("a superblock", "an inode table"...),
 * else NULL; block must lie in the file system (super.c). */
const char *ext2_metadata(const struct ext2_fs *fs, uint32_t block);
/* Does group g hold a superblock and descriptor copy? (super.c) */
int ext2_group_has_super(const struct ext2_fs *fs, uint32_t g);

/* ---- the write side ---- */

/* sync.c: a read-write mount begins: the state kept, the superblock
 * marked not clean and the mount counted. */
int ext2_mount_rw(struct ext2_fs *fs);
static inline int ext2_writable(const struct ext2_fs *fs)
{
	return fs->read_only ? -EROFS : 0;
}

/* What ext2_write and ext2_truncate may change: a regular file on a
 * read-write mount (-EROFS, -EISDIR, else -EINVAL). */
static inline int ext2_writable_file(const struct ext2_fs *fs, const struct ext2_inode_info *inode)
{
	if (fs->read_only)
		return -EROFS;
	if ((inode->mode & EXT2_S_IFMT) == EXT2_S_IFDIR)
		return -EISDIR;
	return (inode->mode & EXT2_S_IFMT) == EXT2_S_IFREG ? 0 : -EINVAL;
}

/* cache.c: a slot for block, zeroed and valid without a read; fill it and
 * ext2_bwrite it before the next ext2_bread/ext2_bnew. */
uint8_t *ext2_bnew(struct ext2_fs *fs, unsigned long long block);
/* Write a block from its cache slot (write-through). */
int ext2_bwrite(struct ext2_fs *fs, unsigned long long block, const uint8_t *data);
/* A cached block to change in place, then ext2_bwrite. */
static inline int ext2_bget(struct ext2_fs *fs, unsigned long long block, uint8_t **data)
{
	return ext2_bread(fs, block, (const uint8_t **)data);
}

/* Bit i of an allocation bitmap block (bit 0 is the low bit of byte 0,
 * as on disk: the names Linux's ext2 uses). */
static inline int ext2_test_bit(const uint8_t *map, uint32_t i)
{
	return (map[i / 8] >> (i % 8)) & 1;
}

static inline void ext2_set_bit(uint8_t *map, uint32_t i)
{
	map[i / 8] |= (uint8_t)(1u << (i % 8));
}

static inline void ext2_clear_bit(uint8_t *map, uint32_t i)
{
	map[i / 8] &= (uint8_t)~(1u << (i % 8));
}

/* balloc.c: a free block, the first at or after goal (its group, then the
 * next ones); -ENOSPC. Freeing a block already free is -EUCLEAN. */
int ext2_new_block(struct ext2_fs *fs, uint32_t goal, uint32_t *block);
int ext2_free_block(struct ext2_fs *fs, uint32_t ino, uint32_t block);

/* ialloc.c: a free inode for a child of directory dir (a directory goes
 * to a group with few directories, anything else to dir's group). */
int ext2_new_inode(struct ext2_fs *fs, uint32_t dir, int is_dir, uint32_t *ino);
int ext2_free_inode(struct ext2_fs *fs, uint32_t ino, int is_dir);

/* inode.c: an inode as on disk, used or not (ino checked); and helpers
 * for the fields the write side keeps. */
int ext2_iget_raw(struct ext2_fs *fs, uint32_t ino, struct ext2_inode_info *inode);
void ext2_set_size(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t size);
void ext2_add_blocks(struct ext2_fs *fs, struct ext2_inode_info *inode, int count);
void ext2_set_links(struct ext2_inode_info *inode, unsigned int links);
static inline unsigned int ext2_links(const struct ext2_inode_info *inode)
{
	return le16_to_cpu(inode->raw.i_links_count);
}
/* A fresh inode of mode in memory (and its table slot zeroed on disk). */
int ext2_init_inode(struct ext2_fs *fs, uint32_t ino, uint16_t mode,
		    struct ext2_inode_info *inode);
uint32_t ext2_now(struct ext2_fs *fs);
/* The largest size a block map holds (inode.c). */
uint64_t ext2_max_size(const struct ext2_fs *fs);

/* bmap.c: the path to file block file_block through the block map.
 * offsets[0] is its index in i_block[]: the block itself for the 12
 * direct ones (0-11), else EXT2_IND_BLOCK, EXT2_DIND_BLOCK or
 * EXT2_TIND_BLOCK; offsets[1..depth] the index in each indirect block on
 * the way down, the last one's entry being the data block. Returns the
 * depth (0 direct, 1-3 the levels of indirect blocks), or -EFBIG past
 * the triple indirect block's reach. Pure arithmetic: no I/O, no lock. */
int ext2_block_path(const struct ext2_fs *fs, uint64_t file_block, uint32_t offsets[4]);

/* getblock.c: like ext2_get_block with create, the blocks not zeroed and
 * the inode not written; *fresh tells a new (unwritten) data block. */
int ext2_alloc_block(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t file_block,
		     uint32_t *block, int *fresh);

/* truncate.c: free every block of file block `from` on (indirect blocks
 * included), i_blocks following; the inode not written. */
int ext2_free_data(struct ext2_fs *fs, struct ext2_inode_info *inode, uint64_t from);
/* Free an inode with no links left: its blocks, then the inode (dtime). */
int ext2_release(struct ext2_fs *fs, struct ext2_inode_info *inode);
/* Does inode hold a fast symlink's target in i_block (no blocks)? */
int ext2_fast_symlink(const struct ext2_fs *fs, const struct ext2_inode_info *inode);

/* dir.c: check the entry at off of directory block `block` (its data);
 * copies its header to *e. 0 or -EUCLEAN with the message. */
int ext2_check_dirent(struct ext2_fs *fs, const struct ext2_inode_info *dir, uint32_t block,
		      const uint8_t *data, uint32_t off, struct ext2_dir_entry_2 *e);

/* dir_write.c */
int ext2_check_name(const char *name, size_t len);
uint8_t ext2_file_type(const struct ext2_fs *fs, uint16_t mode);
int ext2_add_link(struct ext2_fs *fs, struct ext2_inode_info *dir, const char *name,
		  size_t len, uint32_t ino, uint16_t mode);
int ext2_delete_entry(struct ext2_fs *fs, struct ext2_inode_info *dir, const char *name,
		      size_t len);
int ext2_set_link(struct ext2_fs *fs, struct ext2_inode_info *dir, const char *name,
		  size_t len, uint32_t ino, uint16_t mode);
/* 1 if dir holds only "." and "..", 0 if not, or an error. */
int ext2_empty_dir(struct ext2_fs *fs, const struct ext2_inode_info *dir);
/* unlink.c: a link count down (ctime now); at zero the inode is freed
 * unless keep. */
int ext2_drop_link(struct ext2_fs *fs, struct ext2_inode_info *inode, int keep);
/* Directory child's entry in dir is gone: dir's link for the
 * child's ".." dropped, the child's links to zero and it freed (unless
 * keep). */
int ext2_drop_dir(struct ext2_fs *fs, struct ext2_inode_info *dir, struct ext2_inode_info *child,
		  int keep);
/* A directory open for change: a directory, still linked; writable fs. */
int ext2_dir_for_write(struct ext2_fs *fs, uint32_t ino, struct ext2_inode_info *dir);

static inline int ext2_is_dir(const struct ext2_inode_info *i)
{
	return (i->mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
}

static inline int ext2_is_lnk(const struct ext2_inode_info *i)
{
	return (i->mode & EXT2_S_IFMT) == EXT2_S_IFLNK;
}

#endif
