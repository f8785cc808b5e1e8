/*
 * ext2d's parts (docs/filesystem.md "The server"): main.c (arguments, the
 * disk, the mount, the receive loop), cache.c (the block cache over the
 * block service: clock replacement, runs, write-back), read.c (file data
 * through it, readahead), files.c (the in-memory inodes and the open-file
 * table), mmap.c (memory-mapped files: the pager), serve.c (the requests
 * of <pagoda/fs.h>). One thread: every
 * request runs to its end.
 */
#ifndef EXT2D_H
#define EXT2D_H

#include <pagoda/fs.h>
#include <pagoda_blk.h>
#include <stdint.h>
#include "ext2/ext2.h"

/* ---- cache.c ---- */

#define CACHE_CHUNK      (16UL << 20)   /* the default chunk */
#define CACHE_CHUNKS_MAX 16             /* handles: a process holds HANDLE_MAX (64) in all */
#define CACHE_MAX        (256UL << 20)

/* Slot flags. */
#define SLOT_VALID 0x1
#define SLOT_DIRTY 0x2
#define SLOT_REF   0x4          /* used since the clock hand last passed */

struct cache {
	int blk;                        /* the disk's endpoint */
	struct blk_info disk;
	/* The slots live in memory objects of CACHE_CHUNK bytes each (so a
	 * cache may pass MEMOBJ_MAX_SIZE; --cache-chunk-kb), mapped one after
	 * the other at base:
	 * slot s is at base + s * bsize, in chunk s / chunk_slots. A bio lends
	 * one chunk, so no run of slots crosses a chunk's end. */
	int mo[CACHE_CHUNKS_MAX];
	unsigned int nchunks, chunk_slots;
	uint8_t *base;
	unsigned long size;             /* bytes */
	unsigned int bsize;             /* the file system's block size */
	unsigned int spb;               /* sectors per block */
	unsigned int nslots;
	unsigned int max_run;           /* blocks one bio may move */
	unsigned long long *block;      /* per slot: the disk block it holds */
	uint8_t *flags;                 /* per slot: SLOT_* */
	uint32_t *dirty_since;          /* per slot: seconds, when it became dirty */
	int *hnext, *hhead;             /* hash chains: disk block -> slot */
	unsigned int hmask;
	unsigned int hand;              /* the clock hand */
	unsigned int ndirty;
	struct fs_cache_stats st;
};

extern struct cache cache;

/* Open the memory object (bytes, rounded to blocks) once the block size is
 * known. 0 or a negative errno. */
int cache_init(struct cache *c, unsigned long bytes, unsigned long chunk, unsigned int bsize);
/* Block through the cache: *data valid until the next cache call. */
int cache_read(struct cache *c, unsigned long long block, const uint8_t **data);
/* A whole block written: kept dirty in the cache. */
int cache_write(struct cache *c, unsigned long long block, const void *data);
/* Is the block in the cache? (no I/O; counts nothing) */
int cache_has(struct cache *c, unsigned long long block);
/* Bring n disk blocks from first into the cache with one bio (n at most
 * max_run), the ones already there skipped. ra: of them, how many are
 * readahead (counted). 0 or a negative errno. */
int cache_fill(struct cache *c, unsigned long long first, unsigned int n, unsigned int ra);
/* Write dirty blocks back in sorted runs: all of them (older_than 0) or
 * those dirty for at least older_than seconds. 0 or the first error. */
int cache_writeback(struct cache *c, uint32_t older_than);
/* Forget every clean block (FS_PRIVATE_DROP, after a write-back): 0, or
 * -EBUSY if some block is still dirty (a write-back failed). */
int cache_drop(struct cache *c);
/* Seconds the oldest dirty block has been dirty (0: none). */
uint32_t cache_dirty_age(const struct cache *c);
uint32_t now_seconds(void);

/* ---- files.c ---- */

/* One in-memory inode per inode number, shared by its open files: the
 * library updates it in place (the write side). */
struct minode {
	uint32_t ino;
	int refs;
	int unlinked;                   /* links gone while open: ext2_evict at the last close */
	struct ext2_inode_info i;
};

struct ofile {
	int used;
	struct minode *mi;
	uint64_t pos;                   /* the shared offset (a directory's: ext2_readdir's) */
	int flags;                      /* O_* */
	uint64_t ra_next;               /* the file block a sequential read asks next */
	unsigned int ra_window;         /* readahead blocks, grows while reads stay sequential */
	uint64_t ra_end;                /* the file block readahead has reached */
};

#define OFILE_MAX 256

struct minode *minode_get(struct ext2_fs *fs, uint32_t ino, int *err);
void minode_put(struct ext2_fs *fs, struct minode *mi);
struct minode *minode_find(uint32_t ino);
/* Read every open inode again from the disk (after a namespace change). */
void minode_refresh_all(struct ext2_fs *fs);
/* At unmount: free the inodes still open without a name (their holders'
 * handles then answer for a file system gone). */
void minode_evict_unlinked(struct ext2_fs *fs);
/* A new open file and its badge (0: table full). */
struct ofile *ofile_new(unsigned long *badge);
/* The open file of a badge, or NULL (an old server's, a freed one). */
struct ofile *ofile_of(unsigned long badge);
void ofile_free(struct ext2_fs *fs, struct ofile *of);

/* ---- read.c ---- */

/* Up to len bytes of the open file at off into dst, through the cache,
 * with readahead. The bytes (0 at the end) or a negative errno. */
long file_read(struct ofile *of, uint64_t off, uint8_t *dst, size_t len);

/* ---- mmap.c ---- */

struct request;
/* FS_MMAP: the inode's pager object, read-only, moved in the reply. */
int file_mmap(struct request *r, struct ofile *of);
/* IPC_LABEL_PAGE_IN: read the pages at off and supply them. */
void mmap_page_in(unsigned long badge, uint64_t off);
/* The inode's contents changed: its object takes no new mappings. */
void mmap_file_changed(uint32_t ino);

/* ---- serve.c ---- */

struct request {
	struct ipc_msg *m;              /* in: the request; out: the reply's words */
	const char *in;                 /* the request's buffer */
	unsigned long in_len;
	const int *handles;             /* received (lent) handles */
	unsigned int nhandles;
	void *out;                      /* the reply's buffer (IPC_BUF_MAX) */
	unsigned long out_len;
	int out_handle;                 /* a handle to move with the reply, or -1 */
};

struct server {
	struct ext2_fs *fs;
	const char *mount_path;
	const char *source;
	unsigned int mount_id;          /* fs_stat.st_dev */
	int unmounting;                 /* FS_UNMOUNT answered: exit */
	int ep;                         /* the endpoint served */
	int mint_ep;                    /* a handle to it to mint open files from */
};

extern struct server srv;

/* Everything to the disk: the library's superblock and descriptors, the
 * dirty blocks, the disk's own cache (BLK_FLUSH). 0 or a negative errno. */
int server_sync(void);
/* The reply's label: 0 or a positive errno. */
int serve(struct request *r);

#endif
