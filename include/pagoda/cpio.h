/*
 * A reader of "newc" cpio archives (the format of Linux's initramfs, made by
 * `cpio -o -H newc`): lib/cpio.c, pure code, also built by the host tests
 * and fuzzed. Nothing is copied: entries point into the archive.
 *
 * Guarantees: every header field is checked (magic 070701, hex digits, name
 * size and termination, file size against the archive, 4-byte padding) and
 * no byte outside [archive, archive + size) is ever read. An archive that
 * ends without its "TRAILER!!!" entry is garbage too. Any calling context;
 * no allocation.
 */
#ifndef PAGODA_CPIO_H
#define PAGODA_CPIO_H

#include <pagoda/types.h>

/* File types in cpio_entry.mode (the st_mode bits). */
#define CPIO_S_IFMT   0170000
#define CPIO_S_IFDIR  0040000
#define CPIO_S_IFREG  0100000
#define CPIO_S_IFLNK  0120000

struct cpio_entry {
	const char *name;       /* NUL-terminated, inside the archive, as stored ("bin/init") */
	u32 mode;               /* type and permission bits */
	u32 uid, gid, nlink, mtime, ino;
	const void *data;       /* the file's bytes (a symlink: its target, unterminated) */
	size_t size;
};

struct cpio_iter {
	const u8 *base;
	size_t size;
	size_t pos;             /* offset of the next header */
	bool done;              /* the trailer was reached */
	const char *why;        /* after -EINVAL: what was wrong (a string literal) */
};

void cpio_iter_init(struct cpio_iter *it, const void *archive, size_t size);
/* The next entry: 1 and *e filled, 0 at the trailer (and every call after),
 * or -EINVAL with it->why set (and every call after returns it again). */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e);
/* Walk the whole archive: 0 if every header is sound and the trailer is
 * there, else -EINVAL (why, if not NULL, gets the reason). */
int cpio_validate(const void *archive, size_t size, const char **why);
/* Find path ("/bin/init", "bin/init" and "./bin/init" are the same) and
 * fill *e: 0, -ENOENT (not there) or -EINVAL (garbage before it). */
int cpio_find(const void *archive, size_t size, const char *path, struct cpio_entry *e);

#endif
