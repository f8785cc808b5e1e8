/*
 * The path calls: each canonicalizes its path, asks the mount table for
 * the mount (cwd.c: path_mount) and sends one path request to its server
 * (<pagoda/fs.h>). open() turns the handle FS_OPEN moves back into an fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pagoda_fd.h>
#include <pagoda_ipc.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <unistd.h>
#include "fd.h"
#include "path.h"

int fs_open_at(int mount, const char *rest, int flags, unsigned int mode)
{
	struct fs_msg m = { .label = FS_OPEN, .send = rest, .send_len = strlen(rest) + 1,
			    .w = { (unsigned long)(flags & ~O_CLOEXEC), mode } };
	if (fs_call(mount, &m) < 0)
		return -1;
	if (!m.handle) {
		/* The kernel drops a moved handle our full handle table cannot
		 * take (HANDLE_MAX); the server's open file then goes with it. */
		errno = EMFILE;
		return -1;
	}
	int fd = fd_install(m.handle, S_ISFIFO(m.w[1]) ? FD_PIPE : FD_FILE, flags & O_CLOEXEC);
	if (fd < 0)
		handle_close(m.handle);
	return fd;
}

int open(const char *path, int flags, ...)
{
	unsigned int mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, unsigned int);
		va_end(ap);
	}
	char canon[PATH_MAX], rest[PATH_MAX];
	int h = path_mount(path, canon, sizeof(canon), rest, sizeof(rest), NULL);
	if (h < 0)
		return -1;
	int fd = fs_open_at(h, rest, flags, mode);
	int saved = errno;
	handle_close(h);
	errno = saved;
	return fd;
}

int creat(const char *path, unsigned int mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int stat(const char *path, struct stat *st)
{
	struct fs_msg m = { .label = FS_STAT, .send = path };
	return fs_stat_reply(&m, 0, st);
}

int lstat(const char *path, struct stat *st)
{
	struct fs_msg m = { .label = FS_STAT, .send = path, .w = { FS_NOFOLLOW } };
	return fs_stat_reply(&m, 0, st);
}

static int path_request(const char *path, unsigned long label, unsigned long w0)
{
	struct fs_msg m = { .label = label, .w = { w0 } };
	return fs_path_call(path, &m);
}

int mkdir(const char *path, mode_t mode) { return path_request(path, FS_MKDIR, mode); }
int rmdir(const char *path) { return path_request(path, FS_RMDIR, 0); }
int unlink(const char *path) { return path_request(path, FS_UNLINK, 0); }

/* A request naming two paths of one mount ("a\0b\0"): rename, symlink
 * (whose target is any text, not a path of ours: raw says so). */
static int two_paths(unsigned long label, const char *first, int raw, const char *second)
{
	char c1[PATH_MAX], r1[PATH_MAX], c2[PATH_MAX], r2[PATH_MAX], buf[2 * PATH_MAX];
	size_t m1 = 0, m2;
	int h1 = -1;
	if (!raw) {
		h1 = path_mount(first, c1, sizeof(c1), r1, sizeof(r1), &m1);
		if (h1 < 0)
			return -1;
		handle_close(h1);
	}
	int h = path_mount(second, c2, sizeof(c2), r2, sizeof(r2), &m2);
	if (h < 0)
		return -1;
	if (!raw && (m1 != m2 || memcmp(c1, c2, m1))) {
		handle_close(h);
		errno = EXDEV;
		return -1;
	}
	const char *a = raw ? first : r1;
	size_t la = strlen(a) + 1, lb = strlen(r2) + 1;
	if (la + lb > sizeof(buf)) {
		handle_close(h);
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, a, la);
	memcpy(buf + la, r2, lb);
	struct fs_msg m = { .label = label, .send = buf, .send_len = la + lb };
	int r = fs_call(h, &m);
	int saved = errno;
	handle_close(h);
	errno = saved;
	return r;
}

int rename(const char *old, const char *new) { return two_paths(FS_RENAME, old, 0, new); }
int symlink(const char *target, const char *path) { return two_paths(FS_SYMLINK, target, 1, path); }

ssize_t readlink(const char *path, char *buf, size_t size)
{
	char target[PATH_MAX];
	struct fs_msg m = { .label = FS_READLINK, .recv = target, .recv_cap = sizeof(target) };
	if (fs_path_call(path, &m) < 0)
		return -1;
	size_t n = m.recv_len < size ? m.recv_len : size;
	memcpy(buf, target, n);
	return (ssize_t)n;
}

int truncate(const char *path, off_t length)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	int r = ftruncate(fd, length);
	int saved = errno;
	close(fd);
	errno = saved;
	return r;
}

int utimes(const char *path, const struct timeval times[2])
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	int r = fd_utimes(fd, times ? (unsigned long)times[0].tv_sec : FS_TIME_NOW,
			  times ? (unsigned long)times[1].tv_sec : FS_TIME_NOW);
	int saved = errno;
	close(fd);
	errno = saved;
	return r;
}

static int statfs_on(int h, struct statfs *st)
{
	struct fs_statfs fs = { 0 };
	struct fs_msg m = { .label = FS_STATFS, .recv = &fs, .recv_cap = sizeof(fs) };
	if (fs_call(h, &m) < 0)
		return -1;
	*st = (struct statfs){ .f_blocks = fs.f_blocks, .f_bfree = fs.f_bfree, .f_bavail = fs.f_bavail,
			       .f_files = fs.f_files, .f_ffree = fs.f_ffree, .f_bsize = fs.f_bsize,
			       .f_namemax = fs.f_namemax, .f_flags = fs.f_flags };
	memcpy(st->f_type, fs.f_type, sizeof(st->f_type));
	st->f_type[sizeof(st->f_type) - 1] = '\0';
	return 0;
}

/* The mount's own handle for a path (absolute, canonical or not). */
static int mount_of(const char *path)
{
	char canon[PATH_MAX], rest[PATH_MAX];
	return path_mount(path, canon, sizeof(canon), rest, sizeof(rest), NULL);
}

static int statfs_mount(int h, struct statfs *st)
{
	int r = statfs_on(h, st);
	int saved = errno;
	handle_close(h);
	errno = saved;
	return r;
}

int statfs(const char *path, struct statfs *st)
{
	int h = mount_of(path);
	return h < 0 ? -1 : statfs_mount(h, st);
}

/* The file's st_dev is its mount's id: find that mount in the table. */
int fstatfs(int fd, struct statfs *st)
{
	struct stat s;
	struct mount_info mi;
	if (fstat(fd, &s) < 0)
		return -1;
	for (unsigned int i = 0; mount_list(i, &mi) == 0; i++)
		if (mi.id == s.st_dev) {
			int h = mount_of(mi.path);
			return h < 0 ? -1 : statfs_mount(h, st);
		}
	errno = ENOENT;
	return -1;
}

void sync(void)
{
	struct mount_info mi;
	for (unsigned int i = 0; mount_list(i, &mi) == 0; i++) {
		int h = mount_of(mi.path);
		if (h < 0)
			continue;
		struct fs_msg m = { .label = FS_SYNC };
		fs_call(h, &m);
		handle_close(h);
	}
}
