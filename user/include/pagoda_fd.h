/*
 * The file protocol as the library speaks it (<pagoda/fs.h>), for the
 * programs that talk to a server themselves (mount, umount, df, the
 * tests' fake server) rather than through open/read/write.
 */
#ifndef _PAGODA_FD_H
#define _PAGODA_FD_H

#include <stddef.h>
#include <pagoda/fs.h>

/* One request and its reply. */
struct fs_msg {
	unsigned long label;            /* FS_* */
	unsigned long w[3];             /* in: the request's words; out: the reply's */
	const void *send;               /* the request's buffer (a path, data) */
	size_t send_len;
	void *recv;                     /* where the reply's buffer goes */
	size_t recv_cap;
	size_t recv_len;                /* out: its length (cut to recv_cap) */
	int lend;                       /* a memory object lent for the call (FS_IO_MEMOBJ), 0: none */
	int handle;                     /* out: a handle the reply moved (FS_OPEN), 0: none */
};

/* ipc_call h with m; 0, or -1 with errno: the reply's label (the
 * server's error) or the IPC's (EPIPE: the server is gone). */
int fs_call(int h, struct fs_msg *m);

/* open() on a mount's handle directly (rest relative to its root): how
 * a test reaches a server that is not in the mount table. An fd or -1. */
int fs_open_at(int mount, const char *rest, int flags, unsigned int mode);

/* The handle behind a file or pipe fd; -1 with EBADF (free) or EINVAL (the
 * console). The fd keeps it. */
int fd_handle(int fd);

/* A path request for path to its mount (FS_MKDIR, FS_STATFS ...): fills
 * m->send with the rest of the path unless m->send is set. 0 or -1. */
int fs_path_call(const char *path, struct fs_msg *m);

/* The mount covering path (made absolute and canonical against the cwd
 * into canon): a new handle to its endpoint, and the rest of the path
 * into rest ("" when path is the mount point itself). -1 with errno. */
int fs_path_mount(const char *path, char *canon, size_t csize, char *rest, size_t rsize);

#endif
