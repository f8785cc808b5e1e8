/*
 * The requests of the file protocol (<pagoda/fs.h>): path requests come
 * through the mount's unminted handle (badge 0), file requests through an
 * open file's minted one (its badge names it: files.c). The library
 * (fs/ext2/) does the file system; this file turns messages into its
 * calls, except for reading file data, which read.c does through the
 * cache.
 */
#include <errno.h>
#include <pagoda_ipc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "ext2d.h"

struct server srv;

static long file_write(struct ofile *of, uint64_t off, const uint8_t *src, size_t len)
{
	return ext2_write(srv.fs, &of->mi->i, off, src, len);
}

static void to_fs_stat(const struct ext2_stat *e, struct fs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = e->ino;
	st->st_size = e->size;
	st->st_blocks = e->blocks;
	st->st_mode = e->mode;
	st->st_nlink = e->nlink;
	st->st_uid = e->uid;
	st->st_gid = e->gid;
	st->st_blksize = srv.fs->block_size;
	st->st_dev = srv.mount_id;
	st->st_atime = e->atime;
	st->st_mtime = e->mtime;
	st->st_ctime = e->ctime;
}

/* "" is the mount's root. */
static const char *fs_path(const char *p)
{
	return *p ? p : "/";
}

/* Split path into its directory's inode and its last name. */
static int parent_of(const char *path, uint32_t *dir, const char **name, size_t *len)
{
	static char parent[EXT2_PATH_MAX];
	size_t plen = strlen(path);
	while (plen && path[plen - 1] == '/')
		plen--;
	size_t start = plen;
	while (start && path[start - 1] != '/')
		start--;
	*name = path + start;
	*len = plen - start;
	if (!*len)
		return -EINVAL;
	if (*len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	if ((*len == 1 && **name == '.') || (*len == 2 && !memcmp(*name, "..", 2)))
		return -EINVAL;
	if (start >= sizeof(parent))
		return -ENAMETOOLONG;
	memcpy(parent, path, start);
	parent[start] = 0;
	return ext2_namei(srv.fs, EXT2_ROOT_INO, fs_path(parent), EXT2_LOOKUP_FOLLOW, dir);
}

static int ro(void)
{
	return srv.fs->read_only;
}

static int do_open(struct request *r, const char *path)
{
	struct ext2_fs *fs = srv.fs;
	int flags = (int)r->m->w[0];
	int acc = flags & O_ACCMODE;
	int writes = acc == O_WRONLY || acc == O_RDWR;
	uint32_t ino;
	int e = ext2_namei(fs, EXT2_ROOT_INO, fs_path(path), (flags & O_NOFOLLOW) ? 0 : EXT2_LOOKUP_FOLLOW, &ino);
	if (e == -ENOENT && (flags & O_CREAT)) {
		if (ro())
			return -EROFS;
		uint32_t dir;
		const char *name;
		size_t len;
		e = parent_of(path, &dir, &name, &len);
		if (!e)
			e = ext2_create(fs, dir, name, len, (uint16_t)(r->m->w[1] & 07777), &ino);
		minode_refresh_all(fs);         /* the directory grew */
	} else if (!e && (flags & O_CREAT) && (flags & O_EXCL)) {
		return -EEXIST;
	}
	if (e)
		return e;
	struct minode *mi = minode_get(fs, ino, &e);
	if (!mi)
		return e;
	if (S_ISLNK(mi->i.mode))
		e = -ELOOP;                     /* O_NOFOLLOW on a link */
	else if ((flags & O_DIRECTORY) && !S_ISDIR(mi->i.mode))
		e = -ENOTDIR;
	else if (S_ISDIR(mi->i.mode) && (writes || (flags & O_TRUNC)))
		e = -EISDIR;
	else if ((writes || (flags & O_TRUNC)) && ro())
		e = -EROFS;
	else if ((flags & O_TRUNC) && writes && S_ISREG(mi->i.mode) && mi->i.size)
		e = ext2_truncate(fs, &mi->i, 0);
	if (e) {
		minode_put(fs, mi);
		return e;
	}
	unsigned long badge;
	struct ofile *of = ofile_new(&badge);
	if (!of) {
		minode_put(fs, mi);
		return -ENFILE;
	}
	of->mi = mi;
	of->flags = flags;
	int h = handle_mint(srv.mint_ep, RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER, badge);
	if (h < 0) {
		e = -errno;
		ofile_free(fs, of);
		return e;
	}
	r->out_handle = h;
	r->m->w[0] = ino;
	r->m->w[1] = mi->i.mode;
	return 0;
}

static int do_stat(struct request *r, const char *path)
{
	uint32_t ino;
	int flags = (r->m->w[0] & FS_NOFOLLOW) ? 0 : EXT2_LOOKUP_FOLLOW;
	int e = ext2_namei(srv.fs, EXT2_ROOT_INO, fs_path(path), flags, &ino);
	struct ext2_stat es;
	if (!e)
		e = ext2_stat(srv.fs, ino, &es);
	if (e)
		return e;
	to_fs_stat(&es, r->out);
	r->out_len = sizeof(struct fs_stat);
	return 0;
}

static int do_readlink(struct request *r, const char *path)
{
	uint32_t ino;
	struct ext2_inode_info in;
	int e = ext2_namei(srv.fs, EXT2_ROOT_INO, fs_path(path), 0, &ino);
	if (!e)
		e = ext2_iget(srv.fs, ino, &in);
	if (e)
		return e;
	if (!S_ISLNK(in.mode))
		return -EINVAL;
	static char target[EXT2_PATH_MAX];
	long n = ext2_readlink(srv.fs, &in, target, sizeof(target));
	if (n < 0)
		return (int)n;
	if (n > IPC_BUF_MAX)
		return -ENAMETOOLONG;
	memcpy(r->out, target, (size_t)n);
	r->out_len = (unsigned long)n;
	r->m->w[0] = (unsigned long)n;
	return 0;
}

static int do_statfs(struct request *r)
{
	struct ext2_fs *fs = srv.fs;
	struct fs_statfs *st = r->out;
	memset(st, 0, sizeof(*st));
	struct ext2_statfs es;
	ext2_statfs(fs, &es);
	st->f_blocks = es.blocks;
	st->f_bfree = es.free_blocks;
	st->f_bavail = es.avail_blocks;
	st->f_files = es.inodes;
	st->f_ffree = es.free_inodes;
	st->f_bsize = fs->block_size;
	st->f_namemax = EXT2_NAME_LEN;
	st->f_flags = ro() ? FS_RDONLY : 0;
	memcpy(st->f_type, "ext2", 5);
	r->out_len = sizeof(*st);
	return 0;
}

int server_sync(void)
{
	int e = ext2_sync(srv.fs);
	int w = cache_writeback(&cache, 0);
	if (!e)
		e = w;
	if (blk_flush(cache.blk) && !e)
		e = -errno;
	return e;
}

/* The in-memory inode of name in dir if it is open (so an unlink must
 * keep it for its last close), else NULL. */
static struct minode *open_entry(uint32_t dir, const char *name, size_t len)
{
	struct ext2_inode_info d;
	uint32_t ino;
	if (ext2_iget(srv.fs, dir, &d) || ext2_lookup(srv.fs, &d, name, len, &ino))
		return NULL;
	return minode_find(ino);
}

/* mkdir, unlink, rmdir, rename, symlink: the library's, on the parent.
 * An open file losing its last name stays readable and writable until
 * its last close; an open directory cannot be removed (EBUSY: Linux
 * allows it, but the library frees a directory at once). */
static int do_namespace(struct request *r, const char *path)
{
	struct ext2_fs *fs = srv.fs;
	unsigned long label = r->m->tag & IPC_LABEL_MASK;
	if (ro())
		return -EROFS;
	uint32_t dir, ino, ndir = 0, replaced = 0;
	const char *name, *nname = NULL;
	size_t len, nlen = 0;
	const char *second = path + strlen(path) + 1;   /* rename's new, symlink's path */
	int two = label == FS_RENAME || label == FS_SYMLINK;
	if (two && (second >= r->in + r->in_len))
		return -EINVAL;
	int e = parent_of(label == FS_SYMLINK ? second : path, &dir, &name, &len);
	if (!e && label == FS_RENAME)
		e = parent_of(second, &ndir, &nname, &nlen);
	if (e)
		return e;
	/* The inode whose name goes away, if it is open. */
	struct minode *victim = NULL;
	if (label == FS_UNLINK || label == FS_RMDIR)
		victim = open_entry(dir, name, len);
	else if (label == FS_RENAME)
		victim = open_entry(ndir, nname, nlen);
	if (victim && S_ISDIR(victim->i.mode) && label != FS_UNLINK)
		return -EBUSY;
	unsigned int links = victim ? victim->i.raw.i_links_count : 0;
	int keep = victim ? EXT2_UNLINK_KEEP : 0;
	switch (label) {
	case FS_MKDIR:
		e = ext2_mkdir(fs, dir, name, len, (uint16_t)(r->m->w[0] & 07777), &ino);
		break;
	case FS_SYMLINK:
		e = ext2_symlink(fs, dir, name, len, path, &ino);
		break;
	case FS_RMDIR:
		e = ext2_rmdir(fs, dir, name, len);
		break;
	case FS_UNLINK:
		e = ext2_unlink(fs, dir, name, len, keep, &ino);
		break;
	case FS_RENAME:
		e = ext2_rename(fs, dir, name, len, ndir, nname, nlen, keep, &replaced);
		if (!e && victim && replaced != victim->ino)
			victim = NULL;          /* renamed onto itself: nothing replaced */
		break;
	default:
		return -EINVAL;
	}
	if (!e && victim && links <= 1) {
		/* its last name: the library kept it (links 0); freed at the last close */
		victim->unlinked = 1;
		victim->i.raw.i_links_count = 0;
	}
	minode_refresh_all(fs);
	return e;
}

static int path_request(struct request *r)
{
	unsigned long label = r->m->tag & IPC_LABEL_MASK;
	const char *path = r->in;
	if (label <= FS_READLINK && !r->in_len)
		return -EINVAL;
	switch (label) {
	case FS_OPEN:
		return do_open(r, path);
	case FS_STAT:
		return do_stat(r, path);
	case FS_READLINK:
		return do_readlink(r, path);
	case FS_MKDIR:
	case FS_UNLINK:
	case FS_RMDIR:
	case FS_RENAME:
	case FS_SYMLINK:
		return do_namespace(r, path);
	case FS_STATFS:
		return do_statfs(r);
	case FS_SYNC:
		return server_sync();
	case FS_UNMOUNT:
		srv.unmounting = 1;             /* main.c finishes it */
		return 0;
	case FS_PRIVATE_STATS:
		cache.st.dirty = cache.ndirty;
		cache.st.blk_retried = (uint32_t)blk_retried;
		memcpy(r->out, &cache.st, sizeof(cache.st));
		r->out_len = sizeof(cache.st);
		return 0;
	}
	/* a file request on the mount's handle, or no request at all */
	return label >= FS_READ && label <= FS_UTIMES ? -EBADF : -EINVAL;
}

/* A read or write whose data is in a lent memory object (FS_IO_MEMOBJ):
 * the tag says IPC_TAG_LEND and one handle came. */
static int lent(const struct request *r)
{
	return (r->m->tag & IPC_TAG_LEND) && r->nhandles == 1;
}

/* The data of a read or write: the message's buffer, or the lent memory
 * object mapped for this call (unmapped when the loan ends with the
 * reply). */
static void *io_buffer(struct request *r, size_t *len, int write_into)
{
	if (!lent(r)) {
		if (write_into) {
			*len = *len > IPC_BUF_MAX ? IPC_BUF_MAX : *len;
			return r->out;
		}
		*len = r->in_len;
		return (void *)r->in;
	}
	long size = memobj_size(r->handles[0]);
	if (size < 0)
		return NULL;
	if (*len > FS_IO_MAX)
		*len = FS_IO_MAX;
	if (*len > (size_t)size)
		*len = (size_t)size;
	if (!*len)
		return r->out;
	size_t map = (*len + 4095) & ~4095UL;
	void *p = memobj_map(r->handles[0], NULL, map, write_into ? PROT_READ | PROT_WRITE : PROT_READ, 0);
	return p == MAP_FAILED ? NULL : p;
}

static int do_readdir(struct request *r, struct ofile *of)
{
	struct ext2_dirent de;
	uint8_t *out = r->out;
	size_t used = 0;
	for (;;) {
		uint64_t pos = of->pos;
		int e = ext2_readdir(srv.fs, &of->mi->i, &pos, &de);
		if (e < 0 && !used)
			return e;
		if (e <= 0)
			break;          /* the end, or a bad entry the next call reports */
		size_t reclen = (sizeof(struct fs_dirent) + de.name_len + 1 + 7) & ~7UL;
		if (used + reclen > IPC_BUF_MAX)
			break;
		struct fs_dirent *d = (struct fs_dirent *)(out + used);
		memset(d, 0, reclen);
		d->d_ino = de.ino;
		d->d_reclen = (uint16_t)reclen;
		d->d_type = de.file_type == 1 ? DT_REG : de.file_type == 2 ? DT_DIR : de.file_type == 3 ? DT_CHR :
			    de.file_type == 4 ? DT_BLK : de.file_type == 5 ? DT_FIFO : de.file_type == 7 ? DT_LNK :
			    DT_UNKNOWN;
		d->d_namelen = de.name_len;
		memcpy(d->d_name, de.name, de.name_len + 1);
		used += reclen;
		of->pos = pos;
	}
	r->out_len = used;
	r->m->w[0] = used;
	return 0;
}

static int file_request(struct request *r, struct ofile *of)
{
	unsigned long label = r->m->tag & IPC_LABEL_MASK;
	struct minode *mi = of->mi;
	int acc = of->flags & O_ACCMODE;
	switch (label) {
	case FS_READ:
	case FS_PREAD: {
		if (acc == O_WRONLY)
			return -EBADF;
		size_t len = r->m->w[0];
		uint64_t off = label == FS_PREAD ? FS_OFF(r->m->w[1], r->m->w[2]) : of->pos;
		uint8_t *buf = io_buffer(r, &len, 1);
		if (!buf)
			return -EINVAL;
		long n = file_read(of, off, buf, len);
		if (n < 0)
			return (int)n;
		if (label == FS_READ)
			of->pos = off + (uint64_t)n;
		if (!lent(r))
			r->out_len = (unsigned long)n;
		r->m->w[0] = (unsigned long)n;
		return 0;
	}
	case FS_WRITE:
	case FS_PWRITE: {
		if (acc == O_RDONLY)
			return -EBADF;
		if (ro())
			return -EROFS;
		size_t len = r->m->w[0];
		uint64_t off = label == FS_PWRITE ? FS_OFF(r->m->w[1], r->m->w[2]) :
			       (of->flags & O_APPEND) ? mi->i.size : of->pos;
		const uint8_t *buf = io_buffer(r, &len, 0);
		if (!buf)
			return -EINVAL;
		long n = file_write(of, off, buf, len);
		if (n < 0)
			return (int)n;
		if (label == FS_WRITE)
			of->pos = off + (uint64_t)n;
		r->m->w[0] = (unsigned long)n;
		return 0;
	}
	case FS_LSEEK: {
		int64_t off = (int64_t)FS_OFF(r->m->w[0], r->m->w[1]);
		unsigned long whence = r->m->w[2];
		int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)of->pos :
			       whence == SEEK_END ? (int64_t)mi->i.size : -1;
		if (base < 0 || base + off < 0)
			return -EINVAL;
		if (S_ISDIR(mi->i.mode) && base + off != 0)
			return -EINVAL;         /* a directory rewinds only */
		of->pos = (uint64_t)(base + off);
		r->m->w[0] = FS_OFF_LO(of->pos);
		r->m->w[1] = FS_OFF_HI(of->pos);
		return 0;
	}
	case FS_FSTAT: {
		struct ext2_stat es;
		int e = 0;
		if (mi->unlinked)       /* no name left: its inode is in memory only */
			es = (struct ext2_stat){ .ino = mi->ino, .mode = mi->i.mode, .size = mi->i.size,
						 .blocks = mi->i.raw.i_blocks };
		else
			e = ext2_stat(srv.fs, mi->ino, &es);
		if (e)
			return e;
		to_fs_stat(&es, r->out);
		r->out_len = sizeof(struct fs_stat);
		return 0;
	}
	case FS_TRUNCATE:
		if (acc == O_RDONLY)
			return -EBADF;
		if (ro())
			return -EROFS;
		if (!S_ISREG(mi->i.mode))
			return -EINVAL;
		return ext2_truncate(srv.fs, &mi->i, FS_OFF(r->m->w[0], r->m->w[1]));
	case FS_FSYNC:
		return server_sync();
	case FS_READDIR:
		if (!S_ISDIR(mi->i.mode))
			return -ENOTDIR;
		return do_readdir(r, of);
	case FS_UTIMES: {
		if (ro())
			return -EROFS;
		uint32_t now = srv.fs->ops->now ? srv.fs->ops->now(srv.fs->ctx) : 0;
		uint32_t at = r->m->w[0] == FS_TIME_NOW ? now : (uint32_t)r->m->w[0];
		uint32_t mt = r->m->w[1] == FS_TIME_NOW ? now : (uint32_t)r->m->w[1];
		return ext2_utimes(srv.fs, &mi->i, at, mt);
	}
	}
	/* a path request on an open file's handle, or no request at all */
	return (label >= FS_OPEN && label <= FS_UNMOUNT) || label == FS_PRIVATE_STATS ? -EBADF : -EINVAL;
}

int serve(struct request *r)
{
	int e;
	if (!r->m->badge) {
		e = path_request(r);
	} else {
		struct ofile *of = ofile_of(r->m->badge);
		e = of ? file_request(r, of) : -EBADF;
	}
	return -e;
}
