/*
 * usertests: a fake file server in a forked child, speaking the file
 * protocol (<pagoda/fs.h>) from memory, for suite ufd (ufd.c): what the
 * library's fd layer must be a correct client of, with no disk and no
 * mount table (or mounted by the test). A root directory, three files ("hello", "big", "prog"), an open-file table
 * by badge (the offset lives here, so every holder of a handle shares
 * it), the buffer and the memobj forms of read and write, and a private
 * request FAKE_STATS that tells the test what the server saw.
 */
#include "utest.h"
#include "fakefs.h"
#include <pagoda_fd.h>
#include <sys/mount.h>

#define FILE_CAP   (512 * 1024)         /* "prog" may be /bin/usertests itself */
#define NR_FILES   4
#define NR_OPENS   128
#define ROOT       (-2)                 /* opens[].file of the root directory */

static const char *const names[NR_FILES] = { "hello", "big", "prog", "big2" };
static char data[NR_FILES][FILE_CAP];
static unsigned long size[NR_FILES];
static struct { int file, flags, live; unsigned long long off; } opens[NR_OPENS + 1];
static unsigned long memobj_requests, closes, last_lent;
static const char *mounted_at;          /* FS_UNMOUNT takes it out of the table */

static int lookup(const char *name)
{
	for (int i = 0; i < NR_FILES; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

static void stat_of(int f, struct fs_stat *st)
{
	if (f == ROOT) {
		*st = (struct fs_stat){ .st_ino = 1, .st_mode = S_IFDIR | 0755, .st_nlink = 2, .st_dev = 77 };
		return;
	}
	*st = (struct fs_stat){ .st_ino = (unsigned long)f + 2, .st_size = size[f], .st_mode = S_IFREG | 0644,
				.st_nlink = 1, .st_blksize = 1024, .st_dev = 77 };
}

/* FS_OPEN: mint a handle whose badge is the open file's slot. */
static unsigned long do_open(const char *name, unsigned long flags, int ep, struct ipc_msg *r,
			     struct ipc_ext *rx)
{
	int f = name[0] ? lookup(name) : ROOT;
	if (f < 0 && f != ROOT)
		return ENOENT;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return EEXIST;
	if ((flags & O_DIRECTORY) && f != ROOT)
		return ENOTDIR;
	if (f == ROOT && (flags & O_ACCMODE) != O_RDONLY)
		return EISDIR;
	int slot = 1;
	while (slot <= NR_OPENS && opens[slot].live)
		slot++;
	if (slot > NR_OPENS)
		return ENFILE;
	int h = handle_mint(ep, RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER, (unsigned long)slot);
	if (h < 0)
		return EIO;
	if ((flags & O_TRUNC) && f != ROOT)
		size[f] = 0;
	opens[slot].file = f;
	opens[slot].flags = (int)flags;
	opens[slot].live = 1;
	opens[slot].off = 0;
	rx->send_handles[0] = h;
	rx->send_nhandles = 1;
	struct fs_stat st;
	stat_of(f, &st);
	r->w[0] = (unsigned long)st.st_ino;
	r->w[1] = st.st_mode;
	return 0;
}

/* FS_READ/WRITE/PREAD/PWRITE: in buf or in the lent memory object. */
static unsigned long do_io(unsigned long label, unsigned long badge, struct ipc_msg *m, struct ipc_ext *x,
			   struct ipc_msg *r, struct ipc_ext *rx, char *out)
{
	int f = opens[badge].file, acc = opens[badge].flags & O_ACCMODE;
	if (f == ROOT)
		return EISDIR;
	int write = label == FS_WRITE || label == FS_PWRITE, positioned = label == FS_PREAD || label == FS_PWRITE;
	if (write ? acc == O_RDONLY : acc == O_WRONLY)
		return EBADF;
	unsigned long long off = positioned ? FS_OFF(m->w[1], m->w[2]) : opens[badge].off;
	if (write && !positioned && (opens[badge].flags & O_APPEND))
		off = size[f];
	char *mem = NULL;
	unsigned long n = m->w[0];
	if ((m->tag & IPC_TAG_LEND) && x->recv_nhandles == 1) {
		/* A write may lend its own pages read-only (memobj_from_user). */
		mem = memobj_map(x->recv_handles[0], 0, 0, write ? PROT_READ : PROT_READ | PROT_WRITE, 0);
		if (mem == (void *)-1 || n > (unsigned long)memobj_size(x->recv_handles[0]))
			return EINVAL;
		memobj_requests++;
		last_lent = (unsigned long)memobj_size(x->recv_handles[0]);
	} else if (write) {
		n = x->recv_len;
	} else if (n > IPC_BUF_MAX) {
		n = IPC_BUF_MAX;
	}
	if (write) {
		if (off + n > FILE_CAP)
			return EFBIG;
		memcpy(&data[f][off], mem ? mem : x->recv_buf, n);
		if (off + n > size[f])
			size[f] = (unsigned long)(off + n);
	} else {
		n = off >= size[f] ? 0 : (size[f] - off < n ? (unsigned long)(size[f] - off) : n);
		memcpy(mem ? mem : out, &data[f][off], n);
		if (!mem) {
			rx->send_buf = out;
			rx->send_len = n;
		}
	}
	if (mem)
		munmap(mem, (size_t)memobj_size(x->recv_handles[0]));
	if (!positioned)
		opens[badge].off = off + n;
	r->w[0] = n;
	return 0;
}

/* The root's entries as FS_READDIR packs them; their length. */
static unsigned long pack_dir(char *out)
{
	static const char *const dots[] = { ".", ".." };
	unsigned long used = 0;
	for (int i = -2; i < NR_FILES; i++) {
		const char *name = i < 0 ? dots[i + 2] : names[i];
		struct fs_dirent *d = (void *)(out + used);
		size_t len = strlen(name), rec = (sizeof(*d) + len + 1 + 7) & ~7UL;
		memset(d, 0, rec);
		d->d_ino = i < 0 ? 1 : (unsigned long)i + 2;
		d->d_reclen = (unsigned short)rec;
		d->d_type = i < 0 ? DT_DIR : DT_REG;
		d->d_namelen = (unsigned char)len;
		memcpy(d->d_name, name, len);
		used += rec;
	}
	return used;
}

static unsigned long request(int ep, struct ipc_msg *m, struct ipc_ext *x, struct ipc_msg *r,
			     struct ipc_ext *rx, char *out)
{
	static struct fs_stat st;
	unsigned long label = m->tag & IPC_LABEL_MASK, badge = m->badge;
	if (label == IPC_LABEL_NO_SENDERS) {
		if (badge && badge <= NR_OPENS && opens[badge].live) {
			opens[badge].live = 0;
			closes++;
		}
		return 0;
	}
	if (label == FAKE_STATS) {
		r->w[0] = memobj_requests;
		r->w[1] = closes;
		r->w[2] = last_lent;
		return 0;
	}
	if (!badge) {                           /* the mount's own handle: path requests */
		((char *)x->recv_buf)[x->recv_len < IPC_BUF_MAX ? x->recv_len : IPC_BUF_MAX - 1] = '\0';
		if (label == FS_OPEN)
			return do_open(x->recv_buf, m->w[0], ep, r, rx);
		if (label == FS_STATFS) {
			static struct fs_statfs sf = { .f_blocks = NR_FILES * FILE_CAP / 1024, .f_bsize = 1024,
						       .f_files = NR_FILES + 1, .f_namemax = 255, .f_type = "fakefs" };
			unsigned long used = 0;
			for (int i = 0; i < NR_FILES; i++)
				used += (size[i] + 1023) / 1024;
			sf.f_bfree = sf.f_bavail = sf.f_blocks - used;
			rx->send_buf = &sf;
			rx->send_len = sizeof(sf);
			return 0;
		}
		if (label == FS_UNMOUNT) {
			if (mounted_at && umount(mounted_at) < 0)
				return (unsigned long)errno;
			mounted_at = NULL;
			return 0;
		}
		if (label == FS_STAT) {
			int f = ((char *)x->recv_buf)[0] ? lookup(x->recv_buf) : ROOT;
			if (f < 0 && f != ROOT)
				return ENOENT;
			stat_of(f, &st);
			rx->send_buf = &st;
			rx->send_len = sizeof(st);
			return 0;
		}
		return ENOSYS;
	}
	if (badge > NR_OPENS || !opens[badge].live)
		return EBADF;
	switch (label) {
	case FS_READ: case FS_WRITE: case FS_PREAD: case FS_PWRITE:
		return do_io(label, badge, m, x, r, rx, out);
	case FS_LSEEK: {
		long long off = (long long)FS_OFF(m->w[0], m->w[1]), base = 0;
		if (m->w[2] == SEEK_CUR)
			base = (long long)opens[badge].off;
		else if (m->w[2] == SEEK_END)
			base = (long long)size[opens[badge].file];
		else if (m->w[2] != SEEK_SET)
			return EINVAL;
		if (base + off < 0)
			return EINVAL;
		opens[badge].off = (unsigned long long)(base + off);
		r->w[0] = FS_OFF_LO(opens[badge].off);
		r->w[1] = FS_OFF_HI(opens[badge].off);
		return 0;
	}
	case FS_READDIR:
		if (opens[badge].file != ROOT)
			return ENOTDIR;
		r->w[0] = opens[badge].off ? 0 : pack_dir(out);
		opens[badge].off = 1;
		rx->send_buf = out;
		rx->send_len = r->w[0];
		return 0;
	case FS_FSTAT:
		stat_of(opens[badge].file, &st);
		rx->send_buf = &st;
		rx->send_len = sizeof(st);
		return 0;
	case FS_TRUNCATE:
		if ((opens[badge].flags & O_ACCMODE) == O_RDONLY)
			return EBADF;
		if (FS_OFF(m->w[0], m->w[1]) > FILE_CAP)
			return EFBIG;
		if (opens[badge].file == ROOT)
			return EISDIR;
		size[opens[badge].file] = (unsigned long)FS_OFF(m->w[0], m->w[1]);
		return 0;
	}
	return EBADF;
}

static void serve(int ep)
{
	static char in[IPC_BUF_MAX + 1], out[IPC_BUF_MAX];
	struct ipc_msg m;
	struct ipc_ext x = { .recv_buf = in, .recv_cap = IPC_BUF_MAX, .timeout_ms = IPC_FOREVER };
	if (ipc_recv_ext(ep, &m, &x) < 0)
		_exit(1);
	for (;;) {
		struct ipc_msg r = { 0 };
		struct ipc_ext rx = { .recv_buf = in, .recv_cap = IPC_BUF_MAX, .timeout_ms = IPC_FOREVER };
		r.tag = request(ep, &m, &x, &r, &rx, out);
		if (ipc_reply_recv_ext(ep, &r, &rx) < 0)
			_exit(2);
		m = r;
		x = rx;
	}
}

int fakefs_start(struct fakefs *fs, const void *prog, unsigned long prog_size)
{
	mounted_at = fs->path;
	fs->ep = endpoint_create();
	if (fs->ep < 0)
		return -1;
	strcpy(data[0], "hello world\n");
	size[0] = strlen(data[0]);
	size[1] = size[3] = 0;
	if (prog_size > FILE_CAP)
		return -1;
	if (prog)
		memcpy(data[2], prog, prog_size);
	size[2] = prog_size;
	fs->pid = fork();
	if (fs->pid == 0)
		serve(fs->ep);
	return fs->pid < 0 ? -1 : 0;
}

void fakefs_stop(struct fakefs *fs)
{
	int status;
	kill(fs->pid, SIGKILL);
	waitpid(fs->pid, &status, 0);
	handle_close(fs->ep);
}

int fakefs_stats(struct fakefs *fs, unsigned long *memobj_reqs, unsigned long *nr_closes)
{
	struct fs_msg m = { .label = FAKE_STATS };
	if (fs_call(fs->ep, &m) < 0)
		return -1;
	*memobj_reqs = m.w[0];
	*nr_closes = m.w[1];
	return 0;
}

long fakefs_last_lent(struct fakefs *fs)
{
	struct fs_msg m = { .label = FAKE_STATS };
	return fs_call(fs->ep, &m) < 0 ? -1 : (long)m.w[2];
}

/* usertests --serve PATH: the fake file system mounted at PATH until it
 * is unmounted, for the shell's console tests (tools/ktest/console.py
 * shell_files): `usertests --serve /t &`. */
int fakefs_serve(int argc, char **argv)
{
	static unsigned char prog[3 * PAGE];
	struct fakefs fs = { .path = argc == 3 ? argv[2] : NULL };
	if (!fs.path) {
		dprintf(2, "usage: usertests --serve PATH\n");
		return 2;
	}
	make_tiny(prog, 42);
	if (fakefs_start(&fs, prog, TINY_ELF_SIZE) < 0 || mount(fs.path, fs.ep, "fake", "fakefs", 0) < 0) {
		dprintf(2, "usertests --serve %s: %s\n", fs.path, strerror(errno));
		return 1;
	}
	handle_close(fs.ep);                    /* the table's copy is the server's */
	int status;
	waitpid(fs.pid, &status, 0);
	return 0;
}
