/*
 * The fd table (fd.h): POSIX's file descriptors over handles. An fd of
 * the console goes to console.c; every other fd holds a handle speaking
 * the file protocol (<pagoda/fs.h>), and its calls are messages to it.
 * fork copies the handle table, so a child's fds name the same open files
 * (one offset, as POSIX wants); execve passes the table on in FDS.
 */
#include <errno.h>
#include <fcntl.h>
#include <pagoda_fd.h>
#include <pagoda_ipc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fd.h"
#include "iobuf.h"

static struct fd_entry table[FD_MAX] = {
	[0] = { .kind = FD_CONSOLE }, [1] = { .kind = FD_CONSOLE }, [2] = { .kind = FD_CONSOLE },
};

struct fd_entry *fd_get(int fd)
{
	if (fd < 0 || fd >= FD_MAX || table[fd].kind == FD_FREE) {
		errno = EBADF;
		return NULL;
	}
	return &table[fd];
}

/* The lowest free fd at or above from; -1 with EMFILE. */
static int fd_alloc(int from)
{
	for (int fd = from; fd < FD_MAX; fd++)
		if (table[fd].kind == FD_FREE)
			return fd;
	errno = EMFILE;
	return -1;
}

int fd_install(int handle, int kind, int cloexec)
{
	int fd = fd_alloc(0);
	if (fd < 0)
		return -1;
	table[fd] = (struct fd_entry){ .kind = (unsigned char)kind, .cloexec = !!cloexec, .handle = handle };
	return fd;
}

int fd_handle(int fd)
{
	struct fd_entry *e = fd_get(fd);
	if (!e)
		return -1;
	if (e->kind == FD_CONSOLE) {
		errno = EINVAL;
		return -1;
	}
	return e->handle;
}

void __fd_init(char **envp)
{
	for (char **e = envp; *e; e++) {
		if (!strncmp(*e, FDS_ENV "=", sizeof(FDS_ENV))) {
			struct fd_entry t[FD_MAX];
			if (fds_parse(*e + sizeof(FDS_ENV), t, FD_MAX))
				continue;               /* malformed: keep the console */
			for (int fd = 0; fd < FD_MAX; fd++)
				if (t[fd].cloexec) {
					if (t[fd].kind != FD_CONSOLE)
						handle_close(t[fd].handle);
					t[fd].kind = FD_FREE;
				}
			memcpy(table, t, sizeof(table));
		} else if (!strncmp(*e, "PWD=", 4)) {
			cwd_init(*e + 4);
		} else if (!strncmp(*e, EXEC_MO_ENV "=", sizeof(EXEC_MO_ENV))) {
			int h = atoi(*e + sizeof(EXEC_MO_ENV));
			if (h > 0)
				handle_close(h);
		}
	}
}

int fd_table_env(char *buf, size_t size)
{
	return fds_format(buf, size, table, FD_MAX);
}

/* From this size on, a read or write lends the caller's own pages
 * (memobj_from_user): the server copies straight between its cache and
 * them, and the library copies nothing. Below it, pinning costs more
 * than copying through the I/O buffer. */
#define ZERO_COPY_MIN (64UL * 1024)
#define PAGE_BYTES 4096UL

/* Move up to n bytes of a read or a write: in the message's buffer up to
 * IPC_BUF_MAX; from ZERO_COPY_MIN, a page-aligned buffer is lent as it is
 * (an unaligned one first moves its head, up to the page boundary, so the
 * next call is aligned); else through the lent I/O buffer. *asked gets
 * the count this call asked for. Returns the count moved. */
static ssize_t file_io(int h, unsigned long label, void *buf, size_t n, off_t off, size_t *asked)
{
	struct fs_msg m = { .label = label };
	int write = label == FS_WRITE || label == FS_PWRITE;
	void *io = NULL;
	int own = 0;                    /* the caller's pages, lent */
	if (n >= ZERO_COPY_MIN) {
		unsigned long head = (unsigned long)buf & (PAGE_BYTES - 1);
		if (head) {
			n = PAGE_BYTES - head;
		} else {
			size_t z = n & ~(PAGE_BYTES - 1);
			if (z > FS_IO_MAX)
				z = FS_IO_MAX;
			own = memobj_from_user(buf, z, write ? PROT_READ : PROT_READ | PROT_WRITE);
			if (own > 0) {
				n = z;
				m.lend = own;
			} else {
				own = 0;        /* not plain memory (a mapping of an object): copy */
			}
		}
	}
	if (!own && n > IPC_BUF_MAX) {
		int mo;
		io = iobuf_get(&mo);
		if (io) {
			if (n > IOBUF_SIZE)
				n = IOBUF_SIZE;
			m.lend = mo;
			if (write)
				memcpy(io, buf, n);
		} else {
			n = IPC_BUF_MAX;        /* no buffer: one message's worth */
		}
	}
	if (!io && !own) {
		if (write) {
			m.send = buf;
			m.send_len = n;
		} else {
			m.recv = buf;
			m.recv_cap = n;
		}
	}
	*asked = n;
	m.w[0] = n;
	m.w[1] = FS_OFF_LO(off);
	m.w[2] = FS_OFF_HI(off);
	int r = fs_call(h, &m);
	if (own) {
		int saved = errno;
		handle_close(own);
		errno = saved;
	}
	if (r < 0)
		return -1;
	size_t got = m.w[0] < n ? m.w[0] : n;
	if (!write && io)
		memcpy(buf, io, got);
	else if (!write && !own && m.recv_len < got)
		got = m.recv_len;
	return (ssize_t)got;
}

/* A read of a file is whole unless the end of the file (or an error)
 * comes first, as POSIX says of regular files; a pipe's answers what it
 * holds, and waiting for more would hang a reader that already has data. */
static ssize_t read_file(struct fd_entry *e, unsigned long label, void *buf, size_t len, off_t off)
{
	size_t done = 0;
	do {
		size_t asked;
		ssize_t r = file_io(e->handle, label, (char *)buf + done, len - done, off + (off_t)done, &asked);
		if (r < 0)
			return done ? (ssize_t)done : -1;
		done += (size_t)r;
		if ((size_t)r < asked || e->kind != FD_FILE)
			break;
	} while (done < len);
	return (ssize_t)done;
}

ssize_t read(int fd, void *buf, size_t len)
{
	struct fd_entry *e = fd_get(fd);
	if (!e)
		return -1;
	if (e->kind == FD_CONSOLE)
		return console_read(buf, len);
	if (!len)
		return 0;
	return read_file(e, FS_READ, buf, len, 0);
}

/* A write is whole unless an error stops it (then what was written). */
static ssize_t write_all(int h, unsigned long label, const void *buf, size_t len, off_t off)
{
	size_t done = 0;
	while (done < len) {
		size_t asked;
		ssize_t w = file_io(h, label, (char *)buf + done, len - done, off + (off_t)done, &asked);
		if (w <= 0)
			return done ? (ssize_t)done : w;
		done += (size_t)w;
	}
	return (ssize_t)done;
}

ssize_t write(int fd, const void *buf, size_t len)
{
	struct fd_entry *e = fd_get(fd);
	if (!e)
		return -1;
	if (e->kind == FD_CONSOLE)
		return console_write(buf, len);
	ssize_t w = write_all(e->handle, FS_WRITE, buf, len, 0);
	/* Nobody reads the pipe: POSIX's SIGPIPE, whose default ends the
	 * writer, so `cat big | head -1` stops cat quietly. The kernel pipe
	 * answers EPIPE (a kernel-served endpoint raises no signal); the
	 * library turns it into the signal, as Linux's kernel would. */
	if (w < 0 && errno == EPIPE && e->kind == FD_PIPE)
		kill(getpid(), SIGPIPE);
	return w;
}

/* pread and pwrite: files only (a pipe or the console has no offset). */
static int seekable(int fd)
{
	struct fd_entry *e = fd_get(fd);
	if (!e)
		return -1;
	if (e->kind != FD_FILE) {
		errno = ESPIPE;
		return -1;
	}
	return e->handle;
}

ssize_t pread(int fd, void *buf, size_t len, off_t offset)
{
	int h = seekable(fd);
	if (h < 0)
		return -1;
	if (offset < 0) {
		errno = EINVAL;
		return -1;
	}
	return len ? read_file(fd_get(fd), FS_PREAD, buf, len, offset) : 0;
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t offset)
{
	int h = seekable(fd);
	if (h < 0)
		return -1;
	if (offset < 0) {
		errno = EINVAL;
		return -1;
	}
	return write_all(h, FS_PWRITE, buf, len, offset);
}

off_t lseek(int fd, off_t offset, int whence)
{
	int h = seekable(fd);
	if (h < 0)
		return -1;
	struct fs_msg m = { .label = FS_LSEEK, .w = { FS_OFF_LO(offset), FS_OFF_HI(offset),
						      (unsigned long)whence } };
	if (fs_call(h, &m) < 0)
		return -1;
	return (off_t)FS_OFF(m.w[0], m.w[1]);
}

int close(int fd)
{
	struct fd_entry *e = fd_get(fd);
	if (!e)
		return -1;
	int r = e->kind == FD_CONSOLE ? 0 : handle_close(e->handle);
	*e = (struct fd_entry){ 0 };
	return r;
}

/* A copy of e into the free slot to, cloexec clear. */
static int fd_copy(struct fd_entry *e, int to)
{
	struct fd_entry n = { .kind = e->kind };
	if (e->kind != FD_CONSOLE) {
		struct handle_info info;
		if (handle_info(e->handle, &info) < 0)
			return -1;
		n.handle = handle_dup(e->handle, info.rights);
		if (n.handle < 0)
			return -1;
	}
	table[to] = n;
	return to;
}

int dup(int fd)
{
	struct fd_entry *e = fd_get(fd);
	if (!e)
		return -1;
	int to = fd_alloc(0);
	return to < 0 ? -1 : fd_copy(e, to);
}

int dup2(int fd, int to)
{
	struct fd_entry *e = fd_get(fd);
	if (!e)
		return -1;
	if (to < 0 || to >= FD_MAX) {
		errno = EBADF;
		return -1;
	}
	if (to == fd)
		return to;
	if (table[to].kind != FD_FREE)
		close(to);
	return fd_copy(e, to);
}

static void stat_from(struct stat *st, const struct fs_stat *fs)
{
	*st = (struct stat){
		.st_dev = fs->st_dev, .st_ino = fs->st_ino, .st_mode = fs->st_mode,
		.st_nlink = fs->st_nlink, .st_uid = fs->st_uid, .st_gid = fs->st_gid,
		.st_size = (off_t)fs->st_size, .st_blksize = fs->st_blksize,
		.st_blocks = fs->st_blocks, .st_atime = (time_t)fs->st_atime,
		.st_mtime = (time_t)fs->st_mtime, .st_ctime = (time_t)fs->st_ctime,
	};
}

/* FS_FSTAT or FS_STAT's reply into st. */
int fs_stat_reply(struct fs_msg *m, int h, struct stat *st)
{
	struct fs_stat fs = { 0 };
	m->recv = &fs;
	m->recv_cap = sizeof(fs);
	if ((h ? fs_call(h, m) : fs_path_call(m->send, m)) < 0)
		return -1;
	stat_from(st, &fs);
	return 0;
}

int fstat(int fd, struct stat *st)
{
	struct fd_entry *e = fd_get(fd);
	if (!e)
		return -1;
	if (e->kind == FD_CONSOLE) {
		*st = (struct stat){ .st_mode = S_IFCHR | 0620, .st_nlink = 1, .st_blksize = 1024 };
		return 0;
	}
	struct fs_msg m = { .label = FS_FSTAT };
	return fs_stat_reply(&m, e->handle, st);
}

/* A file request with no data. */
static int file_request(int fd, unsigned long label, unsigned long w0, unsigned long w1)
{
	int h = seekable(fd);
	if (h < 0) {
		if (errno == ESPIPE)
			errno = EINVAL;
		return -1;
	}
	struct fs_msg m = { .label = label, .w = { w0, w1 } };
	return fs_call(h, &m);
}

int ftruncate(int fd, off_t length)
{
	if (length < 0) {
		errno = EINVAL;
		return -1;
	}
	return file_request(fd, FS_TRUNCATE, FS_OFF_LO(length), FS_OFF_HI(length));
}

int fsync(int fd)
{
	return file_request(fd, FS_FSYNC, 0, 0);
}

int fd_utimes(int fd, unsigned long atime, unsigned long mtime)
{
	return file_request(fd, FS_UTIMES, atime, mtime);
}

int isatty(int fd)
{
	struct fd_entry *e = fd_get(fd);
	if (e && e->kind != FD_CONSOLE)
		errno = ENOTTY;
	return e && e->kind == FD_CONSOLE;
}
