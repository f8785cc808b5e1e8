/*
 * The initramfs served read-only at "/" (docs/filesystem.md "The root
 * file system"): a kernel-served endpoint speaking the file protocol of
 * <uapi/pagoda/fs.h>, mounted at boot (source and fstype "initramfs",
 * MOUNT_RDONLY). So a program finds /bin/sh exactly as it finds a file
 * on a disk, through mount_open and FS_OPEN, and the kernel serves the
 * calls on the caller's time. This file answers the path requests and
 * names things; rootfs_file.c answers the requests to an open file.
 */
#include <pagoda/errno.h>
#include <pagoda/initramfs.h>
#include <pagoda/mount.h>
#include <pagoda/printk.h>
#include <pagoda/slab.h>
#include <pagoda/sprintf.h>
#include <pagoda/string.h>
#include "rootfs.h"

static u32 root_dev;                    /* our mount's id: st_dev */

static const char *skip_dot_slash(const char *name)
{
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (*name == '/')
		name++;
	return name;
}

/* A name no archive entry has: FNV-1a of the path, above every archive offset. */
static u64 made_up_ino(const char *path)
{
	u32 h = 2166136261u;
	for (; *path; path++)
		h = (h ^ (u8)*path) * 16777619u;
	return (1ULL << 32) | h;
}

/* If mount point mnt ("/mnt/sda") lies below directory dir (relative,
 * "" the root): the next component's length, its start in *name. */
static size_t mount_child(const char *mnt, const char *dir, const char **name)
{
	mnt++;                                  /* relative, like dir */
	size_t n = strlen(dir);
	if (!*mnt)
		return 0;                       /* "/" itself */
	if (n) {
		if (strncmp(mnt, dir, n) || mnt[n] != '/')
			return 0;
		mnt += n + 1;
	}
	const char *end = strchr(mnt, '/');
	*name = mnt;
	return end ? (size_t)(end - mnt) : strlen(mnt);
}

/* Is path a directory only because a mount point lies below it? */
static bool is_mount_dir(const char *path)
{
	struct mount_info mi;
	size_t n = strlen(path);
	for (unsigned int i = 0; n && mount_info_get(i, &mi) == 0; i++)
		if (!strncmp(mi.path + 1, path, n) && (mi.path[1 + n] == '/' || !mi.path[1 + n]))
			return true;
	return false;
}

int rootfs_lookup(const char *path, struct rootfs_inode *in)
{
	size_t size;
	const void *a = initramfs_data(&size);
	if (!a)
		return -EIO;
	path = skip_dot_slash(path);
	*in = (struct rootfs_inode){ .mode = S_IFDIR | 0755, .nlink = 2 };
	if (!*path) {
		in->ino = 1;
		return 0;
	}
	struct cpio_entry e;
	int err = cpio_find(a, size, path, &e);
	if (!err) {
		*in = (struct rootfs_inode){
			.data = e.data, .size = e.size, .mode = e.mode, .uid = e.uid, .gid = e.gid,
			.nlink = e.nlink ? e.nlink : 1, .mtime = e.mtime,
			/* Unique and stable: where its name lies in the archive. */
			.ino = (u64)((const char *)e.name - (const char *)a),
		};
		return 0;
	}
	if (err != -ENOENT)
		return -EIO;
	if (!is_mount_dir(path))
		return -ENOENT;
	in->ino = made_up_ino(path);
	return 0;
}

void rootfs_stat(const struct rootfs_inode *in, struct fs_stat *st)
{
	*st = (struct fs_stat){
		.st_ino = in->ino, .st_size = in->size, .st_blocks = (in->size + 511) / 512,
		.st_mode = in->mode, .st_nlink = in->nlink, .st_uid = in->uid, .st_gid = in->gid,
		.st_blksize = ROOTFS_BLKSIZE, .st_dev = root_dev,
		.st_atime = in->mtime, .st_mtime = in->mtime, .st_ctime = in->mtime,
	};
}

/* ---- directories ---- */

struct dir_pack {
	u64 index, skip;                /* entries seen; the first skip are not packed */
	u8 *buf;
	size_t cap, used;
	bool full;
};

static u8 dt_of(u32 mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return DT_DIR;
	case S_IFREG: return DT_REG;
	case S_IFLNK: return DT_LNK;
	default: return DT_UNKNOWN;
	}
}

/* One entry: packed if it is past the skipped ones and fits. */
static void pack(struct dir_pack *p, const char *name, size_t n, u8 type, u64 ino)
{
	if (p->full || p->index++ < p->skip)
		return;
	size_t reclen = (sizeof(struct fs_dirent) + n + 1 + 7) & ~(size_t)7;
	if (n > 255 || p->used + reclen > p->cap) {
		p->full = true;
		p->index--;                     /* the next call starts here */
		return;
	}
	struct fs_dirent *d = (struct fs_dirent *)(p->buf + p->used);
	memset(d, 0, reclen);
	d->d_ino = ino;
	d->d_reclen = (u16)reclen;
	d->d_type = type;
	d->d_namelen = (u8)n;
	memcpy(d->d_name, name, n);
	p->used += reclen;
}

/* The archive's entries whose parent is dir. */
static void pack_archive(struct dir_pack *p, const char *dir)
{
	size_t size, n = strlen(dir);
	const void *a = initramfs_data(&size);
	struct cpio_iter it;
	struct cpio_entry e;
	cpio_iter_init(&it, a, size);
	while (!p->full && cpio_next(&it, &e) > 0) {
		const char *name = skip_dot_slash(e.name);
		if (n) {
			if (strncmp(name, dir, n) || name[n] != '/')
				continue;
			name += n + 1;
		}
		if (!*name || strchr(name, '/') || !strcmp(name, "."))
			continue;
		pack(p, name, strlen(name), dt_of(e.mode), (u64)(e.name - (const char *)a));
	}
}

/* The next components of the mount points below dir that the archive
 * does not have, each once. */
static void pack_mounts(struct dir_pack *p, const char *dir)
{
	struct mount_info mi, earlier;
	char path[MOUNT_PATH_MAX * 2];
	for (unsigned int i = 0; !p->full && mount_info_get(i, &mi) == 0; i++) {
		const char *name, *other;
		size_t n = mount_child(mi.path, dir, &name), dup = 0;
		if (!n)
			continue;
		for (unsigned int j = 0; j < i && !dup && mount_info_get(j, &earlier) == 0; j++)
			dup = mount_child(earlier.path, dir, &other) == n && !strncmp(other, name, n);
		snprintf(path, sizeof(path), "%s%s%.*s", dir, *dir ? "/" : "", (int)n, name);
		struct rootfs_inode in;
		size_t size;
		const void *a = initramfs_data(&size);
		struct cpio_entry e;
		if (dup || !cpio_find(a, size, path, &e) || rootfs_lookup(path, &in))
			continue;
		pack(p, name, n, DT_DIR, in.ino);
	}
}

long rootfs_readdir(const char *dir, u64 *pos, void *buf, size_t cap)
{
	if (!initramfs_data(NULL))
		return -EIO;
	struct dir_pack p = { .skip = *pos, .buf = buf, .cap = cap };
	pack(&p, ".", 1, DT_DIR, 0);
	pack(&p, "..", 2, DT_DIR, 0);
	pack_archive(&p, dir);
	pack_mounts(&p, dir);
	if (p.full && !p.used)
		return -EINVAL;                 /* not even one record fits */
	*pos = p.index;
	return (long)p.used;
}

/* ---- the mount's endpoint: path requests ---- */

/* The request's path: NUL-terminated inside the buffer (none: ""). */
static const char *req_path(const struct kcall *c)
{
	if (!c->len)
		return "";
	if (strnlen(c->buf, c->len) == c->len)
		return NULL;
	return skip_dot_slash(c->buf);
}

static unsigned long do_open(struct kcall *c, const char *path, unsigned long flags)
{
	struct rootfs_inode in;
	int err = rootfs_lookup(path, &in);
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC) || ((flags & O_CREAT) && err == -ENOENT))
		return EROFS;
	if (err)
		return -err;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return EEXIST;
	if ((flags & O_DIRECTORY) && !S_ISDIR(in.mode))
		return ENOTDIR;
	if ((flags & O_NOFOLLOW) && S_ISLNK(in.mode))
		return ELOOP;
	c->hout = rootfs_file_open(path, &in);
	if (!c->hout)
		return ENOMEM;
	c->hout_rights = MOUNT_HANDLE_RIGHTS;
	c->w[0] = (unsigned long)in.ino;
	c->w[1] = in.mode;
	return 0;
}

static unsigned long do_stat(struct kcall *c, const char *path)
{
	struct rootfs_inode in;
	int err = rootfs_lookup(path, &in);
	if (err)
		return -err;
	struct fs_stat *st = kcall_reply_buf(c, sizeof(*st));      /* cut to the caller's room */
	if (!st)
		return ENOMEM;
	rootfs_stat(&in, st);
	return 0;
}

static unsigned long do_readlink(struct kcall *c, const char *path)
{
	struct rootfs_inode in;
	int err = rootfs_lookup(path, &in);
	if (err)
		return -err;
	if (!S_ISLNK(in.mode))
		return EINVAL;
	size_t n = in.size < c->rcap ? in.size : c->rcap;
	void *buf = n ? kcall_reply_buf(c, n) : NULL;
	if (n && !buf)
		return ENOMEM;
	memcpy(buf, in.data, n);
	c->w[0] = n;
	return 0;
}

static unsigned long do_statfs(struct kcall *c)
{
	size_t size;
	const void *a = initramfs_data(&size);
	if (!a)
		return EIO;
	struct fs_statfs *sf = kcall_reply_buf(c, sizeof(*sf));
	if (!sf)
		return ENOMEM;
	struct cpio_iter it;
	struct cpio_entry e;
	u64 files = 0;
	cpio_iter_init(&it, a, size);
	while (cpio_next(&it, &e) > 0)
		files++;
	*sf = (struct fs_statfs){
		.f_blocks = (size + ROOTFS_BLKSIZE - 1) / ROOTFS_BLKSIZE, .f_files = files,
		.f_bsize = ROOTFS_BLKSIZE, .f_namemax = 255, .f_flags = FS_RDONLY, .f_type = "initrd",
	};
	return 0;
}

static long root_call(void *priv, struct kcall *c)
{
	(void)priv;
	unsigned long label = c->tag, w0 = c->w[0];
	const char *path = NULL;
	memset(c->w, 0, sizeof(c->w));         /* the reply's words: none unless said */
	switch (label) {
	case FS_OPEN: case FS_STAT: case FS_READLINK:
	case FS_MKDIR: case FS_UNLINK: case FS_RMDIR: case FS_RENAME: case FS_SYMLINK:
		path = req_path(c);
		if (!path) {
			c->tag = EINVAL;
			return 0;
		}
		break;
	}
	switch (label) {
	case FS_OPEN:     c->tag = do_open(c, path, w0); break;
	case FS_STAT:     c->tag = do_stat(c, path); break;
	case FS_READLINK: c->tag = do_readlink(c, path); break;
	case FS_STATFS:   c->tag = do_statfs(c); break;
	case FS_SYNC:     c->tag = 0; break;
	case FS_MKDIR: case FS_UNLINK: case FS_RMDIR: case FS_RENAME: case FS_SYMLINK:
		c->tag = EROFS;
		break;
	case FS_UNMOUNT:  c->tag = EBUSY; break;        /* the kernel's root stays */
	default:
		/* A file request on the mount's handle, or no request at all. */
		c->tag = label >= FS_READ && label <= FS_UTIMES ? EBADF : EINVAL;
		break;
	}
	return 0;
}

static void root_show(void *priv, char *buf, size_t size)
{
	(void)priv;
	size_t n;
	initramfs_data(&n);
	snprintf(buf, size, "the initramfs at /, %zu bytes", n);
}

static const struct endpoint_kops root_ops = {
	.name = "initramfs",
	.call = root_call,
	.show = root_show,
};

void rootfs_mount(void)
{
	if (!initramfs_data(NULL))
		return;                         /* nothing to serve: no "/" */
	struct kobj *ep = kernel_endpoint_new(&root_ops, NULL);
	int id = ep ? mount_add("/", ep, "initramfs", "initramfs", MOUNT_RDONLY) : -ENOMEM;
	if (id < 0) {
		pr_err("rootfs: cannot mount the initramfs at /: %s\n", errname(id));
		return;
	}
	root_dev = (u32)id;
	pr_info("rootfs: the initramfs is served at / (mount %d, read-only)\n", id);
}
