/*
 * usertests' ufs suite, shared between its files: fs.c (the helpers, the
 * read cases, the case table), fs_write.c (the write cases and the
 * server's life: processes, crashes, memory pressure), fs_bmap.c (lab 9:
 * the block map's deep levels). docs/filesystem.md
 * "Tests of the server".
 */
#ifndef USERTESTS_UFS_H
#define USERTESTS_UFS_H

#include "utest.h"
#include <pagoda/fs.h>
#include <pagoda_handles.h>

/* One request: words in, optional buffer out and in, optional lent memobj.
 * The reply's status (0 or a positive errno) or -errno of the call. */
struct fsreq {
	unsigned long label, w[4];
	const void *send;
	unsigned long send_len;
	void *recv;
	unsigned long recv_cap, recv_len;
	int handle;                     /* out: a handle moved in the reply */
};

long fs_req(int h, struct fsreq *q);
/* The mount at path itself (not "/" covering it), or -1. */
int mount_of(const char *path);
/* /mnt/sda's handle, or -1 with t->skip set. */
int sda(struct utest *t);
/* FS_OPEN: the open file's handle, or -status. */
int fs_open(int mnt, const char *path, int flags);
long fs_read(int f, void *buf, size_t n);
long fs_stat(int h, unsigned long label, const char *path, int flags, struct fs_stat *s);
long fs_stats(int mnt, struct fs_cache_stats *s);
/* A whole file's CRC and length, in reads of chunk bytes. */
long file_crc(int mnt, const char *path, size_t chunk, unsigned int *crc);
/* The host's /MANIFEST: "crc size path" lines. */
int load_manifest(int mnt);
int manifest_entry(const char *path, unsigned int *crc, long *size);
int kernel_has_no_senders(void);
/* After an FS_UNMOUNT of a boot mount: a call waits until init has seen
 * the server exit and closed the endpoint (EPIPE), so init's lines are on
 * the console before the case's own. */
void expect_server_gone(struct utest *t, int mnt);

/* fs_mmap.c's case */
void mmap_file_crc(struct utest *t);

/* fs_write.c's cases */
void create_append_overwrite(struct utest *t);
void big_write_fsync(struct utest *t);
void truncate_shrink_grow(struct utest *t);
void rename_unlink_rmdir(struct utest *t);
void open_dir_stays_fresh(struct utest *t);
void timer_writes_back(struct utest *t);
void unlink_open_file(struct utest *t);
void enospc(struct utest *t);
void small_cache_pressure(struct utest *t);
void several_processes(struct utest *t);
void driver_killed_during_writeback(struct utest *t);
void crash_restarts(struct utest *t);

/* fs_bmap.c's cases (lab 9) */
void bmap_pieces(struct utest *t);
void bmap_write(struct utest *t);

#endif
